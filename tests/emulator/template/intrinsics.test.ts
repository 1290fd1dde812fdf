import { describe, expect, it } from 'vitest';
import { Stack, restApiIdFor, type RawResource } from '../../../emulator/template/stack.js';
import { TemplateError } from '../../../emulator/template/model.js';

function stack(overrides: { parameters?: Record<string, string | string[]>; region?: string } = {}): Stack {
  const resources: Record<string, RawResource> = {
    Fn: { Type: 'AWS::Serverless::Function', Properties: { FunctionName: { 'Fn::Sub': '${AWS::StackName}-fn' } } },
    Plain: { Type: 'AWS::Serverless::Function', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'tasks' } },
    Simple: { Type: 'AWS::Serverless::SimpleTable', Properties: {} },
    Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: { Ref: 'Stage' } } },
    Http: { Type: 'AWS::Serverless::HttpApi', Properties: {} },
    NamedHttp: { Type: 'AWS::Serverless::HttpApi', Properties: { StageName: 'v-1' } },
    LiteralApi: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'dev' } },
    DefaultHttp: { Type: 'AWS::Serverless::HttpApi', Properties: { StageName: '$default' } },
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'app/secret' } },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Orders: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'orders' } },
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'bus' } },
    Webhook: { Type: 'AWS::Events::ApiDestination', Properties: { Name: 'partner-hook', ConnectionArn: { 'Fn::GetAtt': ['Partner', 'Arn'] }, InvocationEndpoint: 'https://example.com/hook', HttpMethod: 'POST' } },
    Partner: { Type: 'AWS::Events::Connection', Properties: { AuthorizationType: 'API_KEY' } },
    Machine: { Type: 'AWS::Serverless::StateMachine', Properties: {} },
    OwnRoleMachine: { Type: 'AWS::Serverless::StateMachine', Properties: { Role: 'arn:aws:iam::123456789012:role/mine' } },
    ServiceRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'etl', Path: '/service-role/' } },
    RootRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'plain', Path: '/' } },
    Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: {} } },
    NamedPolicy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'read-orders', Path: '/app/' } },
    Stream: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks' } },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    Topic: { Type: 'Custom::Thing', Properties: {} },
    Record: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: 'Z1', Name: 'api.example.com', Type: 'CNAME', TTL: '300', ResourceRecords: ['lb.example.com'] } },
    Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.execute-api' } },
    Server: { Type: 'AWS::Cognito::UserPoolResourceServer', Properties: { Identifier: 'users', Name: 'users', UserPoolId: 'us-east-1_abc' } },
    ProdOnly: { Type: 'AWS::Serverless::Function', Properties: {}, Condition: 'IsProd' },
    // SAM's EventBridgeRule, CloudWatchEvent and Schedule events each generate an AWS::Events::Rule <Resource><Event>.
    OnEvents: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Events: {
          Event: { Type: 'CloudWatchEvent', Properties: { EventBusName: { Ref: 'Bus' }, Pattern: { source: ['x'] } } },
          Default: { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['x'] }, RuleName: 'named' } },
          Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)' } },
        },
      },
    },
    Flow: { Type: 'AWS::Serverless::StateMachine', Properties: { Events: { Tick: { Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)', Name: 'tick' } } } } },
  };
  return new Stack({
    file: 'template.yaml',
    region: overrides.region ?? 'us-east-1',
    accountId: '123456789012',
    stackName: 'app',
    parameters: overrides.parameters ?? { Stage: 'dev', Subnets: ['a', 'b'], Count: '2' },
    conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': [2, '2'] }] },
    },
    mappings: { Sizes: { dev: { Memory: 128 }, prod: { Memory: 1024 } } },
    resources,
  });
}

describe('intrinsics: Ref', () => {
  it.each([
    { given: 'Stage', want: 'dev' },
    { given: 'Subnets', want: ['a', 'b'] },
    { given: 'AWS::Region', want: 'us-east-1' },
    { given: 'AWS::AccountId', want: '123456789012' },
    { given: 'AWS::Partition', want: 'aws' },
    { given: 'AWS::StackName', want: 'app' },
    { given: 'AWS::URLSuffix', want: 'amazonaws.com' },
    { given: 'Fn', want: 'app-fn' },
    { given: 'Plain', want: 'Plain' },
    { given: 'Table', want: 'tasks' },
    { given: 'Simple', want: 'app-Simple' },
    { given: 'Webhook', want: 'partner-hook' },
    { given: 'Api', want: restApiIdFor('Api') },
    // SAM's referenceable property of an AWS::Serverless::Api: the stage name.
    { given: 'Api.Stage', want: 'dev' },
    { given: 'Secret', want: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/secret-AbCdEf' },
    { given: 'Topic', want: 'Topic' },
    // CloudFormation's Ref of these: a queue's URL, a topic's and a state machine's ARN, a bus's and a stream's name.
    { given: 'Queue', want: 'https://sqs.us-east-1.amazonaws.com/123456789012/app-Queue' },
    { given: 'Orders', want: 'arn:aws:sns:us-east-1:123456789012:orders' },
    { given: 'Machine', want: 'arn:aws:states:us-east-1:123456789012:stateMachine:app-Machine' },
    { given: 'Bus', want: 'bus' },
    { given: 'Stream', want: 'clicks' },
    // A record set's Ref is its domain name (CloudFormation's return values for AWS::Route53::RecordSet).
    { given: 'Record', want: 'api.example.com' },
    // A VPC endpoint's Ref is its id, which a private API's endpoint-specific URL names (`<apiId>-<vpce-id>.execute-api...`).
    { given: 'Endpoint', want: expect.stringMatching(/^vpce-[0-9a-f]{17}$/) },
    // A resource server's Ref is its Identifier: CDK's OAuthScope.resourceServer joins it with the scope name into the
    // scope a method's AuthorizationScopes require and Cognito's access tokens carry (users/read).
    { given: 'Server', want: 'users' },
    // CloudFormation's generated bucket name: lower case, with a suffix (S3 refuses upper case).
    { given: 'Bucket', want: expect.stringMatching(/^app-bucket-[0-9a-f]{12}$/) },
    // Stages SAM generates (a custom domain's mapping names them): Ref is the stage name.
    { given: 'ApiStage', want: 'dev' },
    { given: 'HttpApiGatewayDefaultStage', want: '$default' },
    { given: 'NamedHttpStage065afdce56', want: 'v-1' },
    { given: 'LiteralApidevStage', want: 'dev' },
    { given: 'DefaultHttpApiGatewayDefaultStage', want: '$default' },
    { given: 'ServerlessRestApiProdStage', want: 'Prod' },
    // The execution role SAM generates for a function without Role.
    { given: 'PlainRole', want: 'app-PlainRole-EMULATOR' },
    // A customer managed policy's Ref is its ARN, with its Path (serverless-samples' owasp demo outputs one).
    { given: 'Policy', want: 'arn:aws:iam::123456789012:policy/app-Policy' },
    { given: 'NamedPolicy', want: 'arn:aws:iam::123456789012:policy/app/read-orders' },
    // ... and for a state machine without Role (sam init's step-func template outputs its Arn).
    { given: 'MachineRole', want: 'app-MachineRole-EMULATOR' },
    // The rule SAM generates for an event: Ref is its name, <bus>|<name> on a custom bus (aws-serverless-ecommerce-platform's
    // platform/template.yaml hands !Ref OnEventsFunctionEvent to its functions).
    { given: 'OnEventsEvent', want: 'bus|app-OnEventsEvent' },
    { given: 'OnEventsDefault', want: 'named' },
    { given: 'OnEventsNightly', want: 'app-OnEventsNightly' },
    { given: 'FlowTick', want: 'tick' },
  ])('Ref $given → $want', ({ given, want }) => {
    expect(stack().resolve({ Ref: given }, 'k')).toEqual(want);
  });

  it('AWS::Region is overridable', () => {
    expect(stack({ region: 'eu-west-1' }).resolve({ Ref: 'AWS::Region' }, 'k')).toBe('eu-west-1');
  });

  it('AWS::NoValue removes the key and the list item', () => {
    const given = { keep: 1, drop: { Ref: 'AWS::NoValue' }, list: ['a', { Ref: 'AWS::NoValue' }, 'b'] };

    expect(stack().resolve(given, 'k')).toEqual({ keep: 1, list: ['a', 'b'] });
  });

  it.each(['ApiProdStage', 'ApidevStage', 'HttpStage', 'HttpDevStage', 'TableRole', 'OwnRoleMachineRole', 'OnEventsOther', 'PlainEvent'])('a generated-looking name SAM does not generate here (%s) is still unknown', (name) => {
    expect(() => stack().resolve({ Ref: name }, 'k')).toThrow(/Ref to unknown parameter or resource/);
  });

  it('a Ref to an unknown name is a TemplateError naming file and key', () => {
    expect(() => stack().resolve({ Environment: { X: { Ref: 'Nope' } } }, 'Resources.Fn.Properties')).toThrow(
      /^template\.yaml: Resources\.Fn\.Properties\.Environment\.X\.Ref: Ref to unknown parameter or resource "Nope"/,
    );
  });

  it('a resource whose Condition is false is absent', () => {
    expect(() => stack().resolve({ Ref: 'ProdOnly' }, 'k')).toThrow(TemplateError);
    expect(stack().resources.ProdOnly).toBeUndefined();
    expect(stack({ parameters: { Stage: 'prod' } }).resources.ProdOnly).toBeDefined();
  });
});

describe('intrinsics: Fn::GetAtt', () => {
  it.each([
    { given: ['Fn', 'Arn'], want: 'arn:aws:lambda:us-east-1:123456789012:function:app-fn' },
    { given: 'Plain.Arn', want: 'arn:aws:lambda:us-east-1:123456789012:function:Plain' },
    { given: ['Table', 'Arn'], want: 'arn:aws:dynamodb:us-east-1:123456789012:table/tasks' },
    { given: ['Table', 'StreamArn'], want: 'arn:aws:dynamodb:us-east-1:123456789012:table/tasks/stream/1970-01-01T00:00:00.000' },
    { given: ['Pool', 'ProviderName'], want: expect.stringMatching(/^cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/) },
    { given: ['Pool', 'ProviderURL'], want: expect.stringMatching(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/) },
    { given: ['Pool', 'Arn'], want: expect.stringMatching(/^arn:aws:cognito-idp:us-east-1:123456789012:userpool\/us-east-1_\w+$/) },
    { given: ['Api', 'RootResourceId'], want: expect.stringMatching(/^[0-9a-f]{10}$/) },
    { given: ['Queue', 'QueueUrl'], want: 'https://sqs.us-east-1.amazonaws.com/123456789012/app-Queue' },
    { given: ['Queue', 'QueueName'], want: 'app-Queue' },
    { given: ['Queue', 'Arn'], want: 'arn:aws:sqs:us-east-1:123456789012:app-Queue' },
    { given: ['Orders', 'TopicArn'], want: 'arn:aws:sns:us-east-1:123456789012:orders' },
    { given: ['Orders', 'TopicName'], want: 'orders' },
    { given: ['Bus', 'Arn'], want: 'arn:aws:events:us-east-1:123456789012:event-bus/bus' },
    // EventBridge's <kind>/<name>/<uuid>: a pipe or rule targeting one is then named an API destination, not an unknown resource.
    { given: ['Webhook', 'Arn'], want: expect.stringMatching(/^arn:aws:events:us-east-1:123456789012:api-destination\/partner-hook\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) },
    { given: ['Partner', 'Arn'], want: expect.stringMatching(/^arn:aws:events:us-east-1:123456789012:connection\/app-Partner\/[0-9a-f-]{36}$/) },
    { given: ['Machine', 'Arn'], want: 'arn:aws:states:us-east-1:123456789012:stateMachine:app-Machine' },
    { given: ['Machine', 'Name'], want: 'app-Machine' },
    { given: ['Stream', 'Arn'], want: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks' },
    { given: ['Bucket', 'Arn'], want: expect.stringMatching(/^arn:aws:s3:::app-bucket-[0-9a-f]{12}$/) },
    { given: ['Queue', 'SomethingElse'], want: 'emulator-fake:Queue.SomethingElse' },
    { given: 'PlainRole.Arn', want: 'arn:aws:iam::123456789012:role/app-PlainRole-EMULATOR' },
    { given: 'MachineRole.Arn', want: 'arn:aws:iam::123456789012:role/app-MachineRole-EMULATOR' },
    // A role's Path is in its ARN (sam init's step-func-etl template outputs a role with Path /service-role/).
    { given: ['ServiceRole', 'Arn'], want: 'arn:aws:iam::123456789012:role/service-role/etl' },
    { given: ['RootRole', 'Arn'], want: 'arn:aws:iam::123456789012:role/plain' },
    // A customer managed policy's PolicyArn attribute is what its Ref gives.
    { given: ['NamedPolicy', 'PolicyArn'], want: 'arn:aws:iam::123456789012:policy/app/read-orders' },
    // The ARN of a rule SAM generates for an event names its bus when not the default one.
    { given: ['OnEventsEvent', 'Arn'], want: 'arn:aws:events:us-east-1:123456789012:rule/bus/app-OnEventsEvent' },
    { given: 'OnEventsNightly.Arn', want: 'arn:aws:events:us-east-1:123456789012:rule/app-OnEventsNightly' },
  ])('GetAtt $given', ({ given, want }) => {
    expect(stack().resolve({ 'Fn::GetAtt': given }, 'k')).toEqual(want);
  });

  it('GetAtt of an absent resource is a TemplateError', () => {
    expect(() => stack().resolve({ 'Fn::GetAtt': ['ProdOnly', 'Arn'] }, 'k')).toThrow(/not a resource \(or its Condition is false\)/);
  });
});

describe('intrinsics: Fn::Sub', () => {
  it.each([
    { given: 'arn:${AWS::Partition}:x:${AWS::Region}', want: 'arn:aws:x:us-east-1' },
    { given: '${Stage}-${Fn}', want: 'dev-app-fn' },
    { given: '${Fn.Arn}/invocations', want: 'arn:aws:lambda:us-east-1:123456789012:function:app-fn/invocations' },
    { given: '${!Literal}-${Stage}', want: '${Literal}-dev' },
    { given: ['${A}-${Stage}', { A: { Ref: 'Table' } }], want: 'tasks-dev' },
    { given: ['${Subnets}', {}], want: 'a,b' },
    { given: 'no variables', want: 'no variables' },
  ])('Sub $given → $want', ({ given, want }) => {
    expect(stack().resolve({ 'Fn::Sub': given }, 'k')).toBe(want);
  });
});

describe('intrinsics: functions over values', () => {
  it.each([
    { name: 'Join', given: { 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 'c']] }, want: 'a-dev-c' },
    { name: 'Join of a list Ref', given: { 'Fn::Join': [',', { Ref: 'Subnets' }] }, want: 'a,b' },
    { name: 'Select', given: { 'Fn::Select': ['1', ['x', 'y', 'z']] }, want: 'y' },
    { name: 'Select of Split', given: { 'Fn::Select': [2, { 'Fn::Split': ['/', 'a/b/c'] }] }, want: 'c' },
    // An attribute only AWS knows that is a list (a VPC endpoint's DnsEntries): an item of its placeholder is a placeholder.
    { name: 'Select of a list attribute', given: { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': ['Queue', 'DnsEntries'] }] }] }] }, want: 'Queue.DnsEntries[0]' },
    { name: 'Select of a list attribute, kept whole', given: { 'Fn::Select': [0, { 'Fn::GetAtt': ['Queue', 'DnsEntries'] }] }, want: 'emulator-fake:Queue.DnsEntries[0]' },
    { name: 'Split', given: { 'Fn::Split': [',', 'a,b,,c'] }, want: ['a', 'b', '', 'c'] },
    { name: 'FindInMap', given: { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] }, want: 128 },
    // AWS::LanguageExtensions: DefaultValue answers only when the map has no value there.
    { name: 'FindInMap with a DefaultValue it does not need', given: { 'Fn::FindInMap': ['Sizes', 'dev', 'Memory', { DefaultValue: 512 }] }, want: 128 },
    { name: 'FindInMap with a DefaultValue, second key missing', given: { 'Fn::FindInMap': ['Sizes', 'dev', 'Timeout', { DefaultValue: 3 }] }, want: 3 },
    { name: 'FindInMap with a DefaultValue, top key missing', given: { 'Fn::FindInMap': ['Sizes', { 'Fn::Sub': '${Stage}-x' }, 'Memory', { DefaultValue: { Ref: 'Stage' } }] }, want: 'dev' },
    { name: 'FindInMap with a DefaultValue, map missing', given: { 'Fn::FindInMap': ['Nope', 'a', 'b', { DefaultValue: 'd' }] }, want: 'd' },
    { name: 'Base64', given: { 'Fn::Base64': { 'Fn::Sub': 'hi-${Stage}' } }, want: Buffer.from('hi-dev').toString('base64') },
    { name: 'If true', given: { 'Fn::If': ['IsDev', 'yes', 'no'] }, want: 'yes' },
    { name: 'If false skips the other branch', given: { 'Fn::If': ['IsProd', { Ref: 'ProdOnly' }, 'no'] }, want: 'no' },
    { name: 'Condition', given: { Condition: 'Both' }, want: true },
    { name: 'Or', given: { Condition: 'Either' }, want: true },
    { name: 'Equals', given: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, want: false },
    { name: 'Not', given: { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }, want: true },
    { name: 'GetAZs', given: { 'Fn::GetAZs': '' }, want: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
    { name: 'ToJsonString', given: { 'Fn::ToJsonString': { a: { Ref: 'Stage' }, b: [1] } }, want: '{"a":"dev","b":[1]}' },
    { name: 'Length', given: { 'Fn::Length': { Ref: 'Subnets' } }, want: 2 },
  ])('$name', ({ given, want }) => {
    expect(stack().resolve(given, 'k')).toEqual(want);
  });

  it('Select of an item of a Split value only AWS knows (a CDK asset key "<bucket>||<key>" without value): a placeholder of that item', () => {
    const s = stack({ parameters: { Stage: 'dev', Key: 'emulator-unresolved:Parameter/Key' } });

    expect(s.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['||', { Ref: 'Key' }] }] }, 'k')).toBe('emulator-unresolved:Parameter/Key[1]');
    expect(s.resolve({ 'Fn::Select': [0, { 'Fn::Split': ['||', { Ref: 'Key' }] }] }, 'k')).toBe('emulator-unresolved:Parameter/Key');
    expect(() => s.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['||', { Ref: 'Stage' }] }] }, 'k')).toThrow(/Fn::Select index 1 out of range/);
  });

  it.each([
    { name: 'Select out of range', given: { 'Fn::Select': [5, ['a']] }, want: /Fn::Select index 5 out of range/ },
    { name: 'FindInMap missing', given: { 'Fn::FindInMap': ['Sizes', 'qa', 'Memory'] }, want: /no value at Mappings\.Sizes\.qa\.Memory/ },
    { name: 'Cidr', given: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, want: /Fn::Cidr is not supported/ },
    { name: 'an unknown Fn::', given: { 'Fn::Nope': 'x' }, want: /Resources\.X\.Fn::Nope: Fn::Nope is not supported/ },
    { name: 'unknown condition', given: { 'Fn::If': ['Nope', 1, 2] }, want: /unknown condition "Nope"/ },
  ])('$name is a TemplateError', ({ given, want }) => {
    expect(() => stack().resolve(given, 'Resources.X')).toThrow(want);
  });
});
