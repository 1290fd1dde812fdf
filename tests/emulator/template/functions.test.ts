/**
 * Functions' settings as the template declares them (emulator/template/functions.ts): concurrency, timeout,
 * AutoPublishAlias references, Fn::ImportValue, FunctionName, asynchronous invocation, logging, environment limits, and
 * what a local run lacks. Their code has its own file (function-code.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkIntegrationUris, loadTemplate } from '../../../emulator/template/load.js';
import { restApiIdFor } from '../../../emulator/template/stack.js';
import { lambda, template } from './support/function-templates.js';

describe('ReservedConcurrentExecutions', () => {
  it.each([
    { given: 'a SAM function with 5', type: 'AWS::Serverless::Function', value: '5', want: 5 },
    { given: 'a Lambda function with 0 (every invocation throttled)', type: 'AWS::Lambda::Function', value: '0', want: 0 },
    { given: 'a quoted number', type: 'AWS::Serverless::Function', value: '"2"', want: 2 },
    { given: 'none', type: 'AWS::Serverless::Function', value: undefined, want: undefined },
  ])('$given → $want', async ({ type, value, want }) => {
    // Prepare
    const setting = value === undefined ? '' : `, ReservedConcurrentExecutions: ${value}`;
    const file = template(`Resources:\n  Fn:\n    Type: ${type}\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, ${type === 'AWS::Lambda::Function' ? 'Code: ./src, Role: arn:aws:iam::123456789012:role/r' : 'CodeUri: ./src'}${setting}}\n`, { 'src/index.js': '' });

    // Act
    const fn = (await loadTemplate(file)).functions.get('Fn');

    // Assess
    expect(fn?.reservedConcurrency).toBe(want);
  });

  it.each([{ value: '-1' }, { value: '1.5' }, { value: 'many' }])('$value is refused as CloudFormation refuses it', async ({ value }) => {
    // Prepare
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, CodeUri: ./src, ReservedConcurrentExecutions: ${value}}\n`, { 'src/index.js': '' });

    // Act / Assess
    await expect(loadTemplate(file)).rejects.toThrow(/Resources\.Fn\.Properties\.ReservedConcurrentExecutions: expected a whole number from 0/);
  });
});

describe('Timeout (CloudFormation takes 1 to 900 seconds)', () => {
  const load = (value: string) => loadTemplate(template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, CodeUri: ./src${value === '' ? '' : `, Timeout: ${value}`}}\n`, { 'src/index.js': '' }));

  it.each([
    { given: 'none', value: '', want: 3 },
    { given: '1', value: '1', want: 1 },
    { given: '900', value: '900', want: 900 },
    { given: 'a quoted 30', value: '"30"', want: 30 },
  ])('$given is served as $want s, with no warning', async ({ value, want }) => {
    // Prepare / Act
    const t = await load(value);

    // Assess
    expect(t.functions.get('Fn')?.timeoutSeconds).toBe(want);
    expect((t.warnings ?? []).filter((w) => w.includes('.Timeout'))).toEqual([]);
  });

  it.each([
    { given: '0', value: '0', named: '0' },
    { given: '-1', value: '-1', named: '-1' },
    { given: '901', value: '901', named: '901' },
    { given: '1.5', value: '1.5', named: '1.5' },
    { given: '"abc"', value: 'abc', named: '"abc"' },
  ])('$given is served with the default 3 s and a warning that CloudFormation would refuse it', async ({ value, named }) => {
    // Prepare / Act
    const t = await load(value);

    // Assess
    expect(t.functions.get('Fn')?.timeoutSeconds).toBe(3);
    expect(t.warnings).toContain(`Resources.Fn.Properties.Timeout: ${named} is not a whole number of seconds from 1 to 900 (CloudFormation would refuse the template); locally the function runs with Lambda's default, 3 s`);
  });
});

describe('MemorySize (CloudFormation takes 128 to 10240 MB)', () => {
  const load = (value: string) => loadTemplate(template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, CodeUri: ./src${value === '' ? '' : `, MemorySize: ${value}`}}\n`, { 'src/index.js': '' }));

  it.each([
    { given: 'none', value: '', want: 128, warned: false },
    { given: '1024', value: '1024', want: 1024, warned: false },
    { given: 'a quoted 10240', value: '"10240"', want: 10_240, warned: false },
    { given: '0 (a parameter without value once gave it)', value: '0', want: 128, warned: true },
    { given: '64', value: '64', want: 128, warned: true },
    { given: '10241', value: '10241', want: 128, warned: true },
    { given: '"big"', value: 'big', want: 128, warned: true },
  ])('$given is served as $want MB, warned: $warned', async ({ value, want, warned }) => {
    // Prepare / Act
    const t = await load(value);

    // Assess
    expect(t.functions.get('Fn')?.memorySizeMb).toBe(want);
    const warnings = (t.warnings ?? []).filter((w) => w.startsWith('Resources.Fn.Properties.MemorySize: '));
    expect(warnings).toEqual(warned ? [expect.stringMatching(/is not a whole number of MB from 128 to 10240 \(CloudFormation would refuse the template\); locally the function runs with Lambda's default, 128 MB$/)] : []);
  });
});

describe('AutoPublishAlias and Lambda aliases/versions', () => {
  const SAM = (extra: string) =>
    `Globals:\n  Function: {Runtime: nodejs20.x, Handler: index.handler, CodeUri: src/}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {AutoPublishAlias: live}\n${extra}`;
  const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Fn';
  const uriFor = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

  it.each([
    { given: '!Ref Fn.Alias', value: '!Ref Fn.Alias', want: `${ARN}:live` },
    { given: '!Ref Fn.Version', value: '!Ref Fn.Version', want: `${ARN}:1` },
    { given: '!Ref FnAliaslive', value: '!Ref FnAliaslive', want: `${ARN}:live` },
    { given: '!Sub ${Fn.Alias}', value: '!Sub "${Fn.Alias}/x"', want: `${ARN}:live/x` },
  ])('$given resolves to the alias/version ARN', async ({ value, want }) => {
    const t = await loadTemplate(template(SAM(`  Other:\n    Type: AWS::Serverless::Function\n    Properties: {Environment: {Variables: {TARGET: ${value}}}}\n`)));

    expect(t.functions.get('Other')?.environment.TARGET).toBe(want);
  });

  it('Globals.Function.AutoPublishAlias counts; without it Fn.Alias names nothing', async () => {
    const withGlobal = template('Globals:\n  Function: {AutoPublishAlias: prod, Runtime: nodejs20.x, Handler: index.handler, CodeUri: src/}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n  Other:\n    Type: AWS::Serverless::Function\n    Properties: {Environment: {Variables: {T: !Ref Fn.Alias}}}\n');
    const without = template('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: index.handler, InlineCode: x, Environment: {Variables: {T: !Ref Fn.Alias}}}\n');

    expect((await loadTemplate(withGlobal)).functions.get('Other')?.environment.T).toBe(`${ARN}:prod`);
    await expect(loadTemplate(without)).rejects.toThrow(/Ref to unknown parameter or resource "Fn\.Alias"/);
  });

  it('R1.54 / R1.2 a permission on the alias grants the function; an alias integration URI names the function', async () => {
    const t = await loadTemplate(
      template(SAM('  Perm:\n    Type: AWS::Lambda::Permission\n    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn.Alias, Principal: apigateway.amazonaws.com, SourceArn: "arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/x"}\n')),
    );

    expect(t.apiGatewayMayInvoke('Fn', 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/x')).toBe(true);
    expect(t.apiGatewayMayInvoke('Fn', 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/x')).toBe(false);
    expect(t.functionForUri(uriFor(`${ARN}:live`))?.logicalId).toBe('Fn');
  });

  it.each([
    { given: 'AWS::Lambda::Alias', resource: '  A:\n    Type: AWS::Lambda::Alias\n    Properties: {FunctionName: !Ref Fn, FunctionVersion: "1", Name: blue}\n', want: `${ARN}:blue` },
    { given: 'AWS::Lambda::Version', resource: '  A:\n    Type: AWS::Lambda::Version\n    Properties: {FunctionName: !GetAtt Fn.Arn}\n', want: `${ARN}:1` },
  ])('Ref of an $given is the qualified function ARN', async ({ resource, want }) => {
    const t = await loadTemplate(template(SAM(`${resource}  Other:\n    Type: AWS::Serverless::Function\n    Properties: {Environment: {Variables: {T: !Ref A}}}\n`)));

    expect(t.functions.get('Other')?.environment.T).toBe(want);
  });
});

describe('Fn::ImportValue', () => {
  const withUri = (uri: string) =>
    template(
      'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: index.handler, InlineCode: x, Environment: {Variables: {BUCKET: !ImportValue shared-bucket}}}\n' +
        `  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody:\n        openapi: 3.0.1\n        paths:\n          /x:\n            get:\n              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: ${uri}}\n`,
    );
  const LOCAL = '!Sub "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"';

  it('without a value: a clear placeholder and a startup warning naming the export, never a refusal', async () => {
    const t = await loadTemplate(withUri(LOCAL));

    expect(t.functions.get('Fn')?.environment.BUCKET).toBe('emulator-unresolved:ImportValue/shared-bucket');
    expect(t.warnings).toContainEqual(expect.stringMatching(/Fn::ImportValue "shared-bucket" only exists in AWS; .*--import-values "shared-bucket=<value>"/));
  });

  it('with --import-values: the given value, no warning', async () => {
    const t = await loadTemplate(withUri(LOCAL), { importValues: { 'shared-bucket': 'my-bucket' } });

    expect(t.functions.get('Fn')?.environment.BUCKET).toBe('my-bucket');
    expect(t.warnings).not.toContainEqual(expect.stringMatching(/ImportValue/));
  });

  it.each([
    { given: 'an imported function ARN', uri: '!Sub ["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${A}/invocations", {A: !ImportValue fn-arn}]', errors: [] as string[] },
    { given: 'a function ARN the template lacks (reported on its route)', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Missing/invocations', errors: [] as string[] },
    { given: 'a bare function name, no ARN', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/Missing/invocations', errors: ['paths./x.get.x-amazon-apigateway-integration.uri'] },
  ])('an integration URI naming $given: refused at start only when API Gateway would refuse it', async ({ uri, errors }) => {
    const t = await loadTemplate(withUri(uri));

    expect(checkIntegrationUris(t).map((e) => e.key)).toEqual(errors);
  });
});

describe('a FunctionName and an integration URI !Sub\'d from one parameter without a value (2pax-hq/serverless-todo-example)', () => {
  const withName = (name: string, uriName: string) =>
    template(
      `Parameters:\n  Stage: {Type: String}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {FunctionName: !Sub "${name}", Runtime: nodejs20.x, Handler: index.handler, InlineCode: x}\n` +
        `  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody:\n        openapi: 3.0.1\n        paths:\n          /x:\n            get:\n              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: !Sub "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:\${AWS::AccountId}:function:${uriName}/invocations"}\n`,
    );

  it.each([
    { given: 'the same name', name: 'add-${Stage}', uriName: 'add-${Stage}', want: 'Fn' },
    { given: 'the parameter alone', name: '${Stage}', uriName: '${Stage}', want: 'Fn' },
    { given: 'another name from the parameter', name: 'add-${Stage}', uriName: 'get-${Stage}', want: undefined },
  ])('R1.2 $given: the URI names the function → $want', async ({ name, uriName, want }) => {
    // Prepare
    const t = await loadTemplate(withName(name, uriName));
    const uri = String((t.apis[0]?.openapi.paths?.['/x'] as Record<string, Record<string, Record<string, unknown>>>).get?.['x-amazon-apigateway-integration']?.uri);

    // Act
    const fn = t.functionForUri(uri);

    // Assess
    expect(uri).toContain('emulator-unresolved:Parameter/Stage');
    expect(fn?.logicalId).toBe(want);
  });
});

describe('two functions with one FunctionName (CloudFormation would refuse the template)', () => {
  const fn = (id: string, path: string) =>
    `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {FunctionName: shared, InlineCode: "x", Handler: index.handler, Runtime: nodejs22.x, Events: {Get: {Type: Api, Properties: {Path: ${path}, Method: get}}}}\n`;

  it('warns, naming both, and each SAM Api event still lets API Gateway invoke its own function (the permission names it by Ref)', async () => {
    // Prepare
    const file = template(`Transform: AWS::Serverless-2016-10-31\nResources:\n${fn('First', '/a')}${fn('Second', '/b')}`);
    const arn = (path: string) => `arn:aws:execute-api:us-east-1:123456789012:${restApiIdFor('ServerlessRestApi')}/Prod/GET${path}`;

    // Act
    const t = await loadTemplate(file);

    // Assess
    expect(t.warnings).toContain('Resources.Second.Properties.FunctionName: "shared" is First\'s name too (CloudFormation would refuse it: a function\'s name is unique); an integration naming it by ARN reaches First');
    expect(t.apiGatewayMayInvoke('First', arn('/a'))).toBe(true);
    expect(t.apiGatewayMayInvoke('Second', arn('/b'))).toBe(true);
    expect(t.apiGatewayMayInvoke('Second', arn('/a'))).toBe(false);
  });
});

describe('function properties whose effect a local run lacks are named, the function served', () => {
  it.each([
    { given: 'FileSystemConfigs (EFS)', props: 'FileSystemConfigs: [{Arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-1, LocalMountPath: /mnt/lambda}]', want: /Properties\.FileSystemConfigs: no EFS locally/ },
    { given: 'DurableConfig', props: 'DurableConfig: {ExecutionTimeout: 900}', want: /Properties\.DurableConfig: durable execution is not emulated/ },
    { given: 'CapacityProviderConfig (Lambda Managed Instances)', props: 'CapacityProviderConfig: {PerExecutionEnvironmentMaxConcurrency: 10}', want: /Properties\.CapacityProviderConfig: Lambda Managed Instances are not emulated/ },
    { given: 'VpcConfig', props: 'VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}', want: /Properties\.VpcConfig: no VPC locally/ },
    { given: 'Tracing (SAM)', props: 'Tracing: Active', want: /Properties\.Tracing: X-Ray is not emulated/ },
    // An AWS::Lambda::Function's: SAM's transform refuses TracingConfig on its own function type.
    { given: 'TracingConfig (CloudFormation)', props: 'TracingConfig: {Mode: Active}', want: /Properties\.TracingConfig: X-Ray is not emulated/, cfn: true },
    { given: 'AWS_LAMBDA_EXEC_WRAPPER', props: 'Environment: {Variables: {AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap}}', want: /AWS_LAMBDA_EXEC_WRAPPER: wrapper scripts are not run locally/ },
  ])('$given', async ({ props, want, cfn }) => {
    const fn = cfn ? lambda('Fn', `Code: src/, ${props}`) : `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: app.handler\n      CodeUri: src/\n      ${props}\n`;
    const file = template(`Transform: AWS::Serverless-2016-10-31\nResources:\n${fn}`, { 'src/app.mjs': 'export const handler = async () => 1;\n', 'src/index.mjs': 'export const handler = async () => 1;\n' });

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.unavailable).toBeUndefined();
    expect(t.warnings).toContainEqual(expect.stringMatching(want));
  });

  it('TenancyConfig PER_TENANT is applied (lambda/tenancy.ts), not named as lacking', async () => {
    const file = template('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, TenancyConfig: {TenantIsolationMode: PER_TENANT}}\n', { 'src/app.mjs': 'export const handler = async () => 1;\n' });

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.tenantIsolation).toBe(true);
    expect((t.warnings ?? []).filter((w) => w.includes('TenancyConfig'))).toEqual([]);
  });

  it('TenancyConfig PER_TENANT with what cannot name a tenant (an event but a REST Api one, a function URL): each is named, as Lambda refuses its invocations', async () => {
    const events = '{Rest: {Type: Api, Properties: {Path: /a, Method: get}}, Http: {Type: HttpApi}, Queue: {Type: SQS, Properties: {Queue: arn:aws:sqs:us-east-1:123456789012:q}}}';
    const file = template(`Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, TenancyConfig: {TenantIsolationMode: PER_TENANT}, FunctionUrlConfig: {AuthType: NONE}, Events: ${events}}\n`, { 'src/app.mjs': 'export const handler = async () => 1;\n' });

    const t = await loadTemplate(file);

    const named = (t.warnings ?? []).filter((w) => w.includes('with TenancyConfig PER_TENANT')).map((w) => w.split(':')[0]);
    expect(named).toEqual(['Resources.Fn.Properties.Events.Http', 'Resources.Fn.Properties.Events.Queue', 'Resources.Fn.Properties.FunctionUrlConfig']);
  });

  it('neighbour: a TenantIsolationMode Lambda does not have is refused as CloudFormation refuses it', async () => {
    const file = template('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, TenancyConfig: {TenantIsolationMode: SHARED}}\n', { 'src/app.mjs': 'export const handler = async () => 1;\n' });

    await expect(loadTemplate(file)).rejects.toThrow(/TenancyConfig\.TenantIsolationMode: expected PER_TENANT, got "SHARED"/);
  });

  it('neighbour: a function without them is named in no such warning', async () => {
    const file = template('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/}\n', { 'src/app.mjs': 'export const handler = async () => 1;\n' });

    expect((await loadTemplate(file)).warnings ?? []).toEqual([]);
  });
});

describe('asynchronous invocation settings (applied to S3, SNS and EventBridge deliveries)', () => {
  const fn = (props: string, extra = '') => template(`Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: app.handler\n      CodeUri: src/\n${props}${extra}`, { 'src/app.mjs': 'export const handler = async () => 1;\n' });

  it.each([
    { given: 'no settings: none (Lambda`s defaults apply)', props: '', want: undefined },
    { given: 'SAM EventInvokeConfig', props: '      EventInvokeConfig: {MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 120, DestinationConfig: {OnSuccess: {Type: SNS, Destination: arn:aws:sns:us-east-1:123456789012:ok}, OnFailure: {Type: SQS, Destination: arn:aws:sqs:us-east-1:123456789012:failed}}}\n', want: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 120, onSuccess: 'arn:aws:sns:us-east-1:123456789012:ok', onFailure: 'arn:aws:sqs:us-east-1:123456789012:failed' } },
    { given: 'SAM DeadLetterQueue', props: '      DeadLetterQueue: {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq}\n', want: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600, deadLetter: 'arn:aws:sqs:us-east-1:123456789012:dlq' } },
  ])('$given', async ({ props, want }) => {
    const t = await loadTemplate(fn(props));

    expect(t.functions.get('Fn')?.asyncInvoke).toEqual(want);
  });

  it('AWS::Lambda::EventInvokeConfig applies to the function it names (Ref), over its defaults', async () => {
    const t = await loadTemplate(fn('', '  Config:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties: {FunctionName: !Ref Fn, Qualifier: $LATEST, MaximumRetryAttempts: 0, DestinationConfig: {OnFailure: {Destination: arn:aws:events:us-east-1:123456789012:event-bus/default}}}\n'));

    expect(t.functions.get('Fn')?.asyncInvoke).toEqual({ maximumRetryAttempts: 0, maximumEventAgeSeconds: 21600, onFailure: 'arn:aws:events:us-east-1:123456789012:event-bus/default' });
    expect(t.resources?.find((g) => g.type === 'AWS::Lambda::EventInvokeConfig')?.status).toBe('emulated');
  });

  describe.each([
    { type: 'SQS', when: 'OnFailure', id: 'FnEventInvokeConfigOnFailureQueue', arn: 'arn:aws:sqs:us-east-1:123456789012:local-FnEventInvokeConfigOnFailureQueue', name: (x: string) => `!GetAtt ${x}.Arn` },
    { type: 'SNS', when: 'OnSuccess', id: 'FnEventInvokeConfigOnSuccessTopic', arn: 'arn:aws:sns:us-east-1:123456789012:local-FnEventInvokeConfigOnSuccessTopic', name: (x: string) => `!Ref ${x}` },
  ])('a $type $when destination without Destination: SAM creates it', ({ type, when, id, arn, name }) => {
    const config = `      EventInvokeConfig: {DestinationConfig: {${when}: {Type: ${type}}}}\n`;

    it('as a local resource the function sends to', async () => {
      const t = await loadTemplate(fn(config));

      const key = when === 'OnSuccess' ? 'onSuccess' : 'onFailure';
      expect(t.functions.get('Fn')?.asyncInvoke?.[key]).toMatch(new RegExp(`^${arn}`));
      expect([...(t.queues ?? []), ...(t.topics ?? [])].map((r) => r.logicalId)).toContain(id);
      expect(t.warnings ?? []).not.toContainEqual(expect.stringMatching(/EventInvokeConfig/));
    });

    it('that the template may name (the template loads, its output is the destination)', async () => {
      const t = await loadTemplate(fn(config, `Outputs:\n  Destination:\n    Value: ${name(id)}\n`));

      expect(t.stack?.outputs.find((o) => o.key === 'Destination')).toEqual({ key: 'Destination', value: expect.stringMatching(new RegExp(`^${arn}`)) });
    });
  });

  it('neighbour: a Lambda destination without Destination creates nothing, and says nothing is sent', async () => {
    const t = await loadTemplate(fn('      EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: Lambda}}}\n'));

    expect(t.functions.get('Fn')?.asyncInvoke?.onFailure).toBeUndefined();
    expect(t.warnings).toContainEqual(expect.stringMatching(/EventInvokeConfig\.DestinationConfig\.OnFailure: a Lambda destination without a Destination: nothing is sent on failure/));
  });
});

describe('LoggingConfig (Lambda advanced logging controls)', () => {
  it.each([
    { given: 'JSON with a level', config: '{LogFormat: JSON, ApplicationLogLevel: debug}', want: { format: 'JSON', applicationLogLevel: 'DEBUG' }, warnings: [] },
    { given: 'JSON alone: INFO', config: '{LogFormat: JSON, LogGroup: /custom/group, SystemLogLevel: WARN}', want: { format: 'JSON', applicationLogLevel: 'INFO' }, warnings: [] },
    { given: 'Text', config: '{LogFormat: Text}', want: { format: 'Text' }, warnings: [] },
    { given: 'Text with a level (filtered only with JSON)', config: '{LogFormat: Text, ApplicationLogLevel: WARN}', want: { format: 'Text' }, warnings: [/LoggingConfig\.ApplicationLogLevel: not applied: Lambda filters by log level only with LogFormat JSON/] },
  ])('$given', async ({ config, want, warnings }) => {
    const file = template(`Resources:\n${lambda('Fn', `Code: ./src, LoggingConfig: ${config}`)}`, { 'src/index.js': '' });

    const loaded = await loadTemplate(file);

    expect(loaded.functions.get('Fn')!.logging).toEqual(want);
    expect((loaded.warnings ?? []).filter((w) => w.includes('LoggingConfig'))).toEqual(warnings.map((w) => expect.stringMatching(w)));
  });

  it.each([
    { config: '{LogFormat: XML}', want: /LoggingConfig\.LogFormat: must be Text or JSON/ },
    { config: '{LogFormat: JSON, ApplicationLogLevel: LOUD}', want: /LoggingConfig\.ApplicationLogLevel: must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL/ },
  ])('$config is a template error', async ({ config, want }) => {
    const file = template(`Resources:\n${lambda('Fn', `Code: ./src, LoggingConfig: ${config}`)}`, { 'src/index.js': '' });

    await expect(loadTemplate(file)).rejects.toThrow(want);
  });
});

describe("Lambda's 4 KB limit on a function's environment variables", () => {
  it.each([
    { given: 'names and values of 4,096 bytes in all', value: 'x'.repeat(4_096 - 'BIG'.length), want: [] },
    { given: 'one byte more', value: 'x'.repeat(4_097 - 'BIG'.length), want: [expect.stringMatching(/^Resources\.Fn\.Properties\.Environment: the variables take 4097 bytes, over the 4096 Lambda allows .*: a deploy would fail; here they are set as given$/)] },
  ])('$given', async ({ value, want }) => {
    const t = await loadTemplate(template('Resources:\n' + lambda('Fn', `Code: {ZipFile: "exports.handler = async () => 1;"}, Environment: {Variables: {BIG: ${value}}}`)));

    expect(t.warnings?.filter((w) => w.includes('Properties.Environment'))).toEqual(want);
    expect(t.functions.get('Fn')?.environment.BIG).toBe(value);
  });
});
