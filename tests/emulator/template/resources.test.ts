/** emulator/template/resources.ts: every resource of a template accounted for at start (never silent). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { accountResources, dynamicReferences, resourceStatus } from '../../../emulator/template/resources.js';

describe('resourceStatus', () => {
  it.each([
    { given: 'AWS::Serverless::Function', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::ApiGatewayV2::Route', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::IAM::Role', want: { status: 'ignored', detail: expect.stringContaining('no IAM locally') } },
    { given: 'AWS::Logs::LogGroup', want: { status: 'ignored', detail: expect.stringContaining('no CloudWatch Logs') } },
    { given: 'AWS::S3::Bucket', want: { status: 'emulated' } },
    { given: 'AWS::S3::BucketPolicy', want: { status: 'ignored', detail: expect.stringContaining('no IAM locally') } },
    { given: 'AWS::Serverless::Application', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::CloudFormation::Stack', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::ApiGateway::DomainName', want: { status: 'not-emulated', detail: expect.stringContaining('custom domains are not served') } },
    // The HTTP API kinds of custom domain as their REST counterparts (they were ignored as "not created locally").
    { given: 'AWS::ApiGatewayV2::DomainName', want: { status: 'not-emulated', detail: expect.stringContaining('custom domains are not served') } },
    { given: 'AWS::ApiGatewayV2::ApiMapping', want: { status: 'not-emulated', detail: expect.stringContaining('API mappings are not served') } },
    { given: 'AWS::ApiGateway::BasePathMappingV2', want: { status: 'not-emulated', detail: expect.stringContaining('base paths are not served') } },
    // APIs of other kinds are not served: not emulated (--strict refuses them), not "ignored, a function calling it fails fast".
    { given: 'AWS::ApiGatewayV2::RoutingRule', want: { status: 'not-emulated', detail: expect.stringContaining('routing rules are not served') } },
    { given: 'AWS::Serverless::GraphQLApi', want: { status: 'not-emulated', detail: expect.stringContaining('GraphQL (AppSync) APIs are not served') } },
    { given: 'AWS::AppSync::GraphQLApi', want: { status: 'not-emulated', detail: expect.stringContaining('GraphQL (AppSync) APIs are not served') } },
    { given: 'AWS::AppSync::Resolver', want: { status: 'ignored', detail: expect.stringContaining('part of an AppSync GraphQL API') } },
    { given: 'AWS::Serverless::LayerVersion', want: { status: 'emulated', detail: undefined } },
    // Resources no function calls: said what they are, not "a function calling it fails fast".
    { given: 'AWS::Serverless::Connector', want: { status: 'ignored', detail: expect.stringContaining('an IAM grant') } },
    { given: 'AWS::EC2::SecurityGroup', want: { status: 'ignored', detail: expect.stringContaining("this machine's network") } },
    { given: 'AWS::EFS::AccessPoint', want: { status: 'ignored', detail: expect.stringContaining('no EFS locally') } },
    { given: 'AWS::CloudFront::Distribution', want: { status: 'ignored', detail: expect.stringContaining('no CloudFront locally') } },
    { given: 'AWS::Route53::RecordSet', want: { status: 'ignored', detail: expect.stringContaining('no DNS locally') } },
    { given: 'AWS::CertificateManager::Certificate', want: { status: 'ignored', detail: expect.stringContaining('plain HTTP') } },
    { given: 'AWS::Lambda::LayerVersion', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::SQS::Queue', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::Events::Rule', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::SQS::QueuePolicy', want: { status: 'ignored', detail: expect.stringContaining('queue policies are not evaluated') } },
    { given: 'AWS::Pipes::Pipe', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::Kinesis::Stream', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::StepFunctions::StateMachine', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::Events::ApiDestination', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::Events::Connection', want: { status: 'emulated', detail: undefined } },
    { given: 'AWS::KinesisFirehose::DeliveryStream', want: { status: 'not-emulated', detail: expect.stringContaining('nothing reads its Kinesis stream source') } },
    { given: 'AWS::ApiGateway::ClientCertificate', want: { status: 'ignored', detail: expect.stringContaining('local HTTP integrations present none') } },
    { given: 'AWS::ApiGateway::VpcLink', want: { status: 'ignored', detail: expect.stringContaining('connectionType VPC_LINK') } },
    { given: 'AWS::ApiGatewayV2::VpcLink', want: { status: 'ignored', detail: expect.stringContaining('connectionType VPC_LINK') } },
    { given: 'AWS::ApiGateway::DocumentationPart', want: { status: 'ignored', detail: expect.stringContaining('documentation parts and versions') } },
    { given: 'AWS::CodeDeploy::DeploymentGroup', want: { status: 'ignored', detail: expect.stringContaining('DeploymentPreference') } },
    { given: 'AWS::CloudFormation::WaitConditionHandle', want: { status: 'ignored', detail: expect.stringContaining('deployment signals') } },
    { given: 'Custom::SeedTable', want: { status: 'ignored', detail: expect.stringContaining('a custom resource: CloudFormation sends its ServiceToken a Create request') } },
    { given: 'AWS::CloudFormation::CustomResource', want: { status: 'ignored', detail: expect.stringContaining('a custom resource') } },
    // A service a function may call: the generic reason is the right one.
    { given: 'AWS::SSM::Parameter', want: { status: 'emulated' } },
    { given: 'AWS::SSM::Document', want: { status: 'ignored', detail: expect.stringContaining('the embedded SSM serves Parameter Store only') } },
    { given: 'AWS::KMS::Key', want: { status: 'ignored', detail: expect.stringContaining('a function calling it reaches the not-served endpoint') } },
  ])('$given is $want.status', ({ given, want }) => {
    expect(resourceStatus(given)).toEqual(want.detail === undefined ? { status: want.status } : want);
  });
});

describe('accountResources', () => {
  it('accounts for function and state machine events nothing serves (IoTRule...) as ignored, by event type; Api and HttpApi events are the APIs\', SQS events the pollers\', S3 events the buckets\', Schedule and ScheduleV2 events the schedules\'', () => {
    const fn = { Type: 'AWS::Serverless::Function', Properties: { Events: { Q: { Type: 'SQS' }, Hi: { Type: 'Api' }, H: { Type: 'HttpApi' }, Tick: { Type: 'IoTRule' }, Cron: { Type: 'Schedule' }, V2: { Type: 'ScheduleV2' }, Upload: { Type: 'S3' } } } };
    const machine = { Type: 'AWS::Serverless::StateMachine', Properties: { Events: { Start: { Type: 'Api' }, Nightly: { Type: 'IoTRule' }, Hourly: { Type: 'Schedule' }, Daily: { Type: 'ScheduleV2' } } } };

    const groups = accountResources({ Fn: fn, Flow: machine, Plain: { Type: 'AWS::Serverless::Function', Properties: {} } });

    const events = groups.filter((g) => g.type.startsWith('Events'));
    expect(events.map((g) => [g.status, g.type, g.logicalIds])).toEqual([
      ['ignored', 'Events (IoTRule)', ['Fn.Tick']],
      ['ignored', 'Events (IoTRule) of state machines', ['Flow.Nightly']],
    ]);
    expect(events[0]?.detail).toMatch(/nothing triggers them: invoke the function with such an event/);
    // A state machine is started, not invoked.
    expect(events[1]?.detail).toMatch(/nothing starts them: start an execution yourself \(StartExecution on the embedded Step Functions/);
  });

  it('groups by type, not emulated first, then ignored, then emulated, every logical id kept', () => {
    // Prepare
    const res = (Type: string) => ({ Type, Properties: {} });

    // Act
    const groups = accountResources({ Fn: res('AWS::Serverless::Function'), Role: res('AWS::IAM::Role'), Domain: res('AWS::ApiGateway::DomainName'), Fn2: res('AWS::Serverless::Function') });

    // Assess
    expect(groups.map((g) => [g.status, g.type, g.logicalIds])).toEqual([
      ['not-emulated', 'AWS::ApiGateway::DomainName', ['Domain']],
      ['ignored', 'AWS::IAM::Role', ['Role']],
      ['emulated', 'AWS::Serverless::Function', ['Fn', 'Fn2']],
    ]);
  });

  it('a resource given a status of its own (a nested stack not loaded) is a group apart from the rest of its type', () => {
    const res = (Type: string) => ({ Type, Properties: {} });

    const groups = accountResources({ Local: res('AWS::Serverless::Application'), Sar: res('AWS::Serverless::Application') }, (id) => (id === 'Sar' ? { status: 'not-emulated', detail: 'from the repository' } : undefined));

    expect(groups).toEqual([
      { type: 'AWS::Serverless::Application', logicalIds: ['Sar'], status: 'not-emulated', detail: 'from the repository' },
      { type: 'AWS::Serverless::Application', logicalIds: ['Local'], status: 'emulated' },
    ]);
  });
});

describe('loadTemplate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'resources-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accounts for the template own resources (not those SAM generates; those whose Condition is false IGNORED, as CloudFormation does not create them) and warns about a nested stack it cannot read', async () => {
    // Prepare
    const file = join(dir, 'template.yaml');
    writeFileSync(
      file,
      `Transform: AWS::Serverless-2016-10-31
Conditions:
  Never: !Equals [a, b]
Resources:
  AuthStack:
    Type: AWS::Serverless::Application
    Properties: { Location: ./auth.yaml }
  Bucket:
    Type: AWS::S3::Bucket
    Condition: Never
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({ statusCode: 200 });"
      Events:
        Get: { Type: Api, Properties: { Path: /a, Method: get } }
`,
    );

    // Act
    const template = await loadTemplate(file);

    // Assess
    expect(template.resources?.map((g) => `${g.status} ${g.type} ${g.logicalIds.join(',')}`)).toEqual(['not-emulated AWS::Serverless::Application AuthStack', 'ignored AWS::S3::Bucket Bucket', 'emulated AWS::Serverless::Function Fn']);
    expect(template.resources?.[1]?.detail).toBe('Condition Never is false: CloudFormation does not create it, nor is it served');
    expect(template.buckets).toEqual([]);
    expect(template.warnings).toContainEqual(expect.stringMatching(/^Resources\.AuthStack \(AWS::Serverless::Application\): nested stack not loaded: its template \.\/auth\.yaml does not exist/));
  });
});

describe('a SAM resource`s key written beside Properties instead of under it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stray-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { given: 'a function`s Environment', type: 'AWS::Serverless::Function', key: 'Environment', value: '{ Variables: { FOO: BAR } }', warned: true },
    { given: 'an API`s MethodSettings', type: 'AWS::Serverless::Api', key: 'MethodSettings', value: '[{ HttpMethod: "*", ResourcePath: "/*" }]', warned: true },
    { given: 'DependsOn, a resource attribute SAM keeps', type: 'AWS::Serverless::Function', key: 'DependsOn', value: 'Other', warned: false },
    { given: 'a key beside the Properties of a resource that is not SAM`s', type: 'AWS::SQS::Queue', key: 'Unknown', value: 'x', warned: false },
  ])('is said dropped, as SAM`s transform drops it ($given)', async ({ type, key, value, warned }) => {
    // Prepare
    const file = join(dir, `${key}-${type.replace(/:/g, '')}.yaml`);
    const props = type === 'AWS::Serverless::Function' ? '\n    Properties: { Runtime: nodejs22.x, Handler: index.handler, InlineCode: "exports.handler = async () => ({})" }' : type === 'AWS::Serverless::Api' ? '\n    Properties: { StageName: prod }' : '';
    writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\nResources:\n  Other: { Type: AWS::SQS::Queue }\n  It:\n    Type: ${type}${props}\n    ${key}: ${value}\n`);

    // Act
    const template = await loadTemplate(file);

    // Assess
    const said = (template.warnings ?? []).filter((w) => w.startsWith(`Resources.It.${key}:`));
    expect(said).toEqual(warned ? [`Resources.It.${key}: not under Properties: SAM's transform drops a resource key it does not know, so it applies neither on AWS nor here`] : []);
  });
});

describe('a resource naming a condition the template lacks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'resources-condition-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, body);
    return file;
  };

  it("is left out with a warning when the emulator ignores its type anyway (CDK's Metadata in a trimmed template)", async () => {
    const file = write('cdk.yaml', 'Resources:\n  CDKMetadata:\n    Type: AWS::CDK::Metadata\n    Condition: CDKMetadataAvailable\n  Role:\n    Type: AWS::IAM::Role\n');

    const t = await loadTemplate(file);

    expect(t.resources?.flatMap((g) => g.logicalIds)).toEqual(['Role']);
    expect(t.warnings).toContain('Resources.CDKMetadata.Condition: unknown condition "CDKMetadataAvailable" (CloudFormation would refuse the template); AWS::CDK::Metadata CDKMetadata is left out');
  });

  it('stops the start when the resource is one the emulator serves (a function)', async () => {
    const file = write('fn.yaml', 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Condition: Nope\n    Properties: {Code: {ZipFile: x}, Handler: index.handler, Runtime: nodejs22.x}\n');

    await expect(loadTemplate(file)).rejects.toThrow(/Resources\.Fn\.Condition: unknown condition "Nope"/);
  });
});

describe('dynamicReferences: {{resolve:...}} in served resources is named (CloudFormation resolves it at deploy)', () => {
  it.each([
    { given: 'in a function`s environment (resolved once secrets are known, named then if it cannot be)', resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Environment: { Variables: { KEY: { 'Fn::Sub': '{{resolve:ssm:/app/${Stage}/key}}' } } } } } }, want: [] },
    { given: 'in a WAF rule (the same)', resources: { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{ Statement: { ByteMatchStatement: { SearchString: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', 'S', ':SecretString:x}}']] } } } }] } } }, want: [] },
    { given: 'ssm-secure in a function`s environment (never resolved locally)', resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { KEY: '{{resolve:ssm-secure:/k}}' } } } } }, want: ['Resources.Fn.Properties.Environment.Variables.KEY: the dynamic reference {{resolve:ssm-secure:...}} is resolved by CloudFormation at deploy time: locally only one naming a secret or parameter of the template, in a function\'s environment or a WAF rule, takes its value; here it stays the text as written'] },
    { given: 'in a function property other than its environment', resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Description: '{{resolve:ssm:/d}}' } } }, want: [expect.stringMatching(/^Resources\.Fn\.Properties\.Description: the dynamic reference \{\{resolve:ssm:\.\.\.\}\}.*here it stays the text as written$/)] },
    { given: 'a secret in an Fn::Join list', resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'k', Value: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', 'S', ':SecretString:x}}']] } }] } } }, want: [expect.stringMatching(/^Resources\.Q\.Properties\.Tags\[0\]\.Value\.Fn::Join\[1\]\[0\]: the dynamic reference \{\{resolve:secretsmanager:\.\.\.\}\}/)] },
    { given: 'in a resource not served (an RDS cluster: already reported IGNORED)', resources: { Db: { Type: 'AWS::RDS::DBCluster', Properties: { MasterUserPassword: '{{resolve:secretsmanager:S:SecretString:password}}' } } }, want: [] },
    { given: 'no reference', resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Environment: { Variables: { KEY: 'plain {{text}}' } } } } }, want: [] },
  ])('$given', ({ resources, want }) => {
    expect(dynamicReferences(resources as never)).toEqual(want);
  });
});
