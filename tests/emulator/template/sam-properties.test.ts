/**
 * SAM's transform refuses a SAM resource whose Properties name a property its type does not define (an API's
 * `Throttle`, a function's `Timeoutt`): the deploy fails, so the emulator refuses the template in SAM's sentence.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { template } from './support/function-templates.js';
import { samTranslatorSays } from './support/sam-translator.js';

const FUNCTION = '  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, Events: {Get: {Type: Api, Properties: {Path: /a, Method: get}}}}\n';
const SRC = { 'src/app.js': 'exports.handler = async () => ({ statusCode: 200, body: "ok" });\n' };

/** What samtranslator says of a template: its refusal ("SAM translator: <its message>"), or 'translated'. */
const samRefusal = (file: string): string => samTranslatorSays([file])[file]!;

describe('SAM resource properties', () => {
  it.each([
    {
      given: 'an AWS::Serverless::Api with Throttle (an HttpApi-like setting the Api lacks)',
      yaml: `Transform: AWS::Serverless-2016-10-31\nResources:\n${FUNCTION}  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: dev, Throttle: {BurstLimit: 200, RateLimit: 100}}\n`,
      key: 'Resources.Api.Properties.Throttle',
      sentence: 'property Throttle not defined for resource of type AWS::Serverless::Api',
    },
    {
      given: 'an AWS::Serverless::Function with a misspelt Timeout',
      yaml: `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, Timeoutt: 9, Events: {Get: {Type: Api, Properties: {Path: /a, Method: get}}}}\n`,
      key: 'Resources.Fn.Properties.Timeoutt',
      sentence: 'property Timeoutt not defined for resource of type AWS::Serverless::Function',
    },
    {
      given: 'an AWS::Serverless::HttpApi with the REST Api`s MethodSettings',
      yaml: `Transform: AWS::Serverless-2016-10-31\nResources:\n${FUNCTION}  Http:\n    Type: AWS::Serverless::HttpApi\n    Properties: {MethodSettings: [{HttpMethod: '*', ResourcePath: '/*'}]}\n`,
      key: 'Resources.Http.Properties.MethodSettings',
      sentence: 'property MethodSettings not defined for resource of type AWS::Serverless::HttpApi',
    },
  ])('$given is refused in SAM`s sentence', async ({ yaml, key, sentence }) => {
    // Prepare
    const file = template(yaml, SRC);

    // Act
    const loading = loadTemplate(file);

    // Assess
    await expect(loading).rejects.toThrow(`${key}: ${sentence}`);
    expect(samRefusal(file)).toContain(sentence);
  });

  it('every property SAM defines for its resource types is accepted (an Api with all of them, a function with its usual ones)', async () => {
    // Prepare
    const api = '  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: dev, Name: n, Description: d, TracingEnabled: false, MinimumCompressionSize: 0, BinaryMediaTypes: [image~1png], Variables: {a: b}, CacheClusterEnabled: false, ApiKeySourceType: HEADER, EndpointConfiguration: {Type: REGIONAL}, OpenApiVersion: 3.0.1, AlwaysDeploy: false, DisableExecuteApiEndpoint: false, FailOnWarnings: false, PropagateTags: true, Tags: {t: v}}\n';
    const fn = '  Fn2:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, MemorySize: 256, Timeout: 9, Architectures: [x86_64], Tracing: Active, Description: d, PropagateTags: true, Tags: {t: v}, RecursiveLoop: Terminate, Events: {Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: get}}}}\n';
    const file = template(`Transform: AWS::Serverless-2016-10-31\nResources:\n${FUNCTION}${api}${fn}`, SRC);

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    expect(loaded.functions.has('Fn2')).toBe(true);
    expect(samRefusal(file)).toBe('translated');
  });
});
