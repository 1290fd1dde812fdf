import { describe, expect, it } from 'vitest';
import { lambdaEnvironment } from '../../../emulator/lambda/environment.js';
import type { FunctionSpec } from '../../../emulator/template/model.js';

const spec: FunctionSpec = {
  logicalId: 'Fn',
  functionName: 'my-fn',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn',
  codeDir: '/code',
  handler: 'app.handler',
  runtime: 'nodejs20.x',
  architectures: ['x86_64'],
  timeoutSeconds: 3,
  memorySizeMb: 512,
  environment: { AWS_REGION: 'mars-1', POWERTOOLS_DEV: 'false', AWS_ENDPOINT_URL_DYNAMODB: 'https://real.example', OWN: 'x' },
};

describe('lambdaEnvironment', () => {
  it.each([
    { name: 'reserved variables win over the template (as Lambda forbids setting them)', key: 'AWS_REGION', want: 'eu-west-1' },
    { name: 'the function`s own POWERTOOLS_DEV is kept', key: 'POWERTOOLS_DEV', want: 'false' },
    { name: 'emulator service endpoints win over the template', key: 'AWS_ENDPOINT_URL_DYNAMODB', want: 'http://127.0.0.1:9' },
    { name: 'the function keeps its own variables', key: 'OWN', want: 'x' },
    { name: 'the not-served endpoint can be chosen per function', key: 'AWS_ENDPOINT_URL', want: 'http://127.0.0.1:7/my-fn' },
    { name: 'memory size is a string', key: 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', want: '512' },
    { name: 'execution env follows the runtime', key: 'AWS_EXECUTION_ENV', want: 'AWS_Lambda_nodejs20.x' },
    { name: 'the role credentials are the local ones the embedded services accept', key: 'AWS_ACCESS_KEY_ID', want: 'ASIAUNITTEST00000000' },
    { name: 'the secret key is the local one', key: 'AWS_SECRET_ACCESS_KEY', want: 'unit-secret' },
    { name: 'the session token is the local one', key: 'AWS_SESSION_TOKEN', want: 'unit-token' },
    { name: "the SDK's Node version warning is off (the emulator reports the Node version once)", key: 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', want: 'true' },
  ])('$name', ({ key, want }) => {
    const env = lambdaEnvironment(spec, '2025/01/01/[$LATEST]abc', {
      region: 'eu-west-1',
      extraEnvironment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' },
      notServedEndpoint: (name) => `http://127.0.0.1:7/${name}`,
      credentials: { accessKeyId: 'ASIAUNITTEST00000000', secretAccessKey: 'unit-secret', sessionToken: 'unit-token' },
    });

    expect(env[key]).toBe(want);
  });
});

describe('lambdaEnvironment: --env-vars', () => {
  const options = {
    region: 'eu-west-1',
    extraEnvironment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' },
    credentials: { accessKeyId: 'ASIAUNITTEST00000000', secretAccessKey: 'unit-secret' },
  };

  it('a service endpoint the file gives wins over the embedded one (sam local gives the function the file`s value)', () => {
    const fromFile: FunctionSpec = { ...spec, environment: { ...spec.environment, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' }, fromEnvVars: ['AWS_ENDPOINT_URL_DYNAMODB'] };

    expect(lambdaEnvironment(fromFile, 'stream', options).AWS_ENDPOINT_URL_DYNAMODB).toBe('http://127.0.0.1:1');
  });

  it('a reserved variable the file gives still loses (Lambda does not let a function set it)', () => {
    const fromFile: FunctionSpec = { ...spec, fromEnvVars: ['AWS_REGION'] };

    expect(lambdaEnvironment(fromFile, 'stream', options).AWS_REGION).toBe('eu-west-1');
  });
});

describe('lambdaEnvironment: LoggingConfig', () => {
  it.each([
    { given: 'JSON at DEBUG', logging: { format: 'JSON' as const, applicationLogLevel: 'DEBUG' }, want: { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' } },
    { given: 'Text', logging: { format: 'Text' as const }, want: { AWS_LAMBDA_LOG_FORMAT: 'Text', AWS_LAMBDA_LOG_LEVEL: undefined } },
    { given: 'none', logging: undefined, want: { AWS_LAMBDA_LOG_FORMAT: undefined, AWS_LAMBDA_LOG_LEVEL: undefined } },
  ])('$given: the variables the runtime reads to format and filter its logs', ({ logging, want }) => {
    const env = lambdaEnvironment({ ...spec, environment: {}, ...(logging ? { logging } : {}) }, 'stream', { region: 'us-east-1', credentials: { accessKeyId: 'ASIAUNITTEST00000000', secretAccessKey: 'unit-secret' } });

    expect({ AWS_LAMBDA_LOG_FORMAT: env.AWS_LAMBDA_LOG_FORMAT, AWS_LAMBDA_LOG_LEVEL: env.AWS_LAMBDA_LOG_LEVEL }).toEqual(want);
  });
});
