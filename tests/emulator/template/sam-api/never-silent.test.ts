/**
 * Never silent: what SAM generates but the emulator does not emulate is reported and refused by --strict, and a
 * template from which no API is served is an error that says why (startEmulator, as the CLI runs it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../../emulator/app.js';
import { loadTemplate } from '../../../../emulator/template/load.js';
import { formatStartupReport } from '../../../../emulator/report.js';
import { TemplateError } from '../../../../emulator/template/model.js';

const SRC = resolve('tests/emulator/fixtures/sam-shapes/src');
const work = mkdtempSync(join(tmpdir(), 'sam-never-silent-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function template(name: string, resources: string): string {
  const file = join(work, `${name}.yaml`);
  const fn = `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: app.handler\n      Runtime: nodejs22.x\n`;
  writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn}${resources}`);
  return file;
}

const RESOURCE_POLICY = template(
  'resource-policy',
  `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /a, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      OpenApiVersion: 3.0.1\n      Auth:\n        ResourcePolicy: { IpRangeWhitelist: [10.0.0.0/8] }\n`,
);
const ELSEWHERE = template('elsewhere', `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !ImportValue shared-api-id, Path: /a, Method: get }\n        Local:\n          Type: Api\n          Properties: { Path: /b, Method: get }\n`);
const NOTHING = template('nothing', '      Events:\n        Readings:\n          Type: IoTRule\n          Properties: { Sql: "SELECT * FROM \'sensors\'" }\n');

const OWN_BODY = template(
  'own-body',
  `      Events:\n        Root:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /, Method: any }\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /, Method: get }\n        Other:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /other, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: 3.0.1\n        info: { title: own, version: '1' }\n        paths:\n          /:\n            x-amazon-apigateway-any-method:\n              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }\n`,
);

describe('StageName "Stage": SAM`s deployment of an API without OpenApiVersion names that stage too', () => {
  const api = (version: string) => `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /a, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Stage\n${version}`;

  it.each([
    { given: 'without OpenApiVersion: the deploy fails, said at start', version: '', want: [expect.stringMatching(/^Resources\.Api\.Properties\.StageName: "Stage" without OpenApiVersion does not deploy: .*"Stage already exists"/)] },
    { given: 'with OpenApiVersion: SAM creates no other stage, nothing to say', version: '      OpenApiVersion: 3.0.1\n', want: [] },
  ])('$given', async ({ version, want }) => {
    // Act
    const loaded = await loadTemplate(template(`stage-named-stage-${want.length}`, api(version)));

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('.StageName:'))).toEqual(want);
    expect(loaded.apis.map((a) => [a.stageName, a.extraStages])).toEqual([['Stage', undefined]]);
  });
});

describe('Cors AllowCredentials that is no boolean: SAM drops it (only true adds the header), said at start', () => {
  const api = (credentials: string) => `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /a, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Cors: { AllowOrigin: "'https://a.example'", AllowCredentials: ${credentials} }\n`;

  // NickLeon92/Playlist-Social api/template.yaml: Globals.Api.Cors.AllowCredentials: "'*'".
  it.each([
    { given: "a quoted '*'", credentials: `"'*'"`, want: [expect.stringMatching(/Cors\.AllowCredentials: "'\*'" is not a boolean: SAM adds Access-Control-Allow-Credentials only for true/)] },
    { given: "a quoted 'true'", credentials: `"'true'"`, want: [expect.stringMatching(/Cors\.AllowCredentials: "'true'" is not a boolean/)] },
    { given: 'true', credentials: 'true', want: [] },
    { given: 'false', credentials: 'false', want: [] },
  ])('R10.5 $given', async ({ given, credentials, want }) => {
    // Act
    const loaded = await loadTemplate(template(`cors-credentials-${given.replace(/\W/g, '')}`, api(credentials)));

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('AllowCredentials'))).toEqual(want);
  });
});

describe('R13.6 an Auth.Authorizers entry no method uses: SAM deploys it unused, said at start', () => {
  const L = '{ FunctionArn: !GetAtt Fn.Arn }';
  const api = (auth: string, eventAuth = '') =>
    `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /a, Method: get${eventAuth} }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Auth: ${auth}\n`;

  // Ramachandrareddam/hcl-assginment template.yaml: Authorizers without DefaultAuthorizer, the event without Auth.
  it.each([
    { given: 'no DefaultAuthorizer and no event Auth', yaml: api(`{ Authorizers: { Mine: ${L} } }`), want: ['Mine'] },
    { given: 'the DefaultAuthorizer', yaml: api(`{ DefaultAuthorizer: Mine, Authorizers: { Mine: ${L} } }`), want: [] },
    { given: "an event's Auth.Authorizer names one of two", yaml: api(`{ Authorizers: { Mine: ${L}, Other: ${L} } }`, ', Auth: { Authorizer: Other }'), want: ['Mine'] },
    { given: 'the DefaultAuthorizer, NONE on the only event', yaml: api(`{ DefaultAuthorizer: Mine, Authorizers: { Mine: ${L} } }`, ', Auth: { Authorizer: NONE }'), want: ['Mine'] },
  ])('$given', async ({ given, yaml, want }) => {
    // Act
    const loaded = await loadTemplate(template(`unused-authorizer-${given.replace(/\W/g, '')}`, yaml));

    // Assess
    const said = loaded.warnings?.filter((w) => w.includes('no method uses it')) ?? [];
    expect(said).toEqual(want.map((name) => expect.stringMatching(new RegExp(`^Resources\\.Api\\.Properties\\.Auth\\.Authorizers\\.${name}: no method uses it .*: SAM deploys it unused`))));
  });
});

describe('events SAM refuses as no event (bilal57299/sam_project: Policies indented under Events)', () => {
  it.each([
    { given: 'a list', event: '        Policies:\n        - DynamoDBCrudPolicy: { TableName: t }\n', want: /^Resources\.Fn\.Properties\.Events\.Policies: a list, no event: SAM refuses the template \(Resource with id \[Fn\] is invalid\. Type of property 'Events' is invalid\.\)/ },
    { given: 'a map without Type', event: '        Policies:\n          Properties: { Path: /b, Method: get }\n', want: /Events\.Policies: a map without Type, no event: SAM refuses the template \(.*Event with id \[Policies\] is invalid\. Resource dict has missing or invalid value for key Type\. Event Type is: None\.\)/ },
    { given: 'Type API, the wrong case', event: '        Policies:\n          Type: API\n          Properties: { Path: /b, Method: get }\n', want: /Events\.Policies: Type API \(Api is meant: the type is case-sensitive\), no event: SAM refuses the template \(.*Event Type is: API\.\)/ },
    { given: 'a Type SAM does not know', event: '        Policies:\n          Type: Http\n          Properties: { Path: /b, Method: get }\n', want: /Events\.Policies: Type Http, no event type of SAM, no event: SAM refuses the template \(.*Event Type is: Http\.\)/ },
  ])('$given is named at start; the function`s other events are served', async ({ given, event, want }) => {
    // Act
    const loaded = await loadTemplate(template(`unread-event-${given.length}`, `      Events:\n        Get:\n          Type: Api\n          Properties: { Path: /a, Method: get }\n${event}`));

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('no event'))).toEqual([expect.stringMatching(want)]);
    expect(Object.keys(loaded.apis[0]?.openapi.paths ?? {})).toEqual(['/a']);
  });
});

describe('Api events on an API with its own DefinitionBody (SAM adds only their permissions)', () => {
  it('warns for the event whose route the document lacks, not for those it serves (itself or through ANY)', async () => {
    // Act
    const loaded = await loadTemplate(OWN_BODY);

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('SAM adds no'))).toEqual([expect.stringMatching(/Events\.Other\.Properties: SAM adds no GET \/other to Api's own DefinitionBody/)]);
  });

  it('R11.7 an event path with a trailing slash (/other/) is served by the document`s /other: no warning (Arkodiusz/weatherapp)', async () => {
    // Prepare: the document serves GET /other; one event says /other/, the other /missing/
    const file = template(
      'own-body-trailing-slash',
      `      Events:\n        Slash:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /other/, Method: get }\n        Missing:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /missing/, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: 3.0.1\n        info: { title: own, version: '1' }\n        paths:\n          /other:\n            get:\n              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }\n`,
    );

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('SAM adds no'))).toEqual([expect.stringMatching(/Events\.Missing\.Properties: SAM adds no GET \/missing\/ to Api's own DefinitionBody/)]);
  });

  it('the same with a document included from a local file (AWS::Include): it is read to know which routes it serves', async () => {
    // Prepare
    writeFileSync(join(work, 'included-api.yaml'), "openapi: 3.0.1\ninfo: { title: inc, version: '1' }\npaths:\n  /:\n    get:\n      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn/invocations' }\n");
    const file = template('include-events', `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /, Method: get }\n        Other:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /other, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        Fn::Transform: { Name: AWS::Include, Parameters: { Location: ./included-api.yaml } }\n`);

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('SAM adds no'))).toEqual([expect.stringMatching(/Events\.Other\.Properties: SAM adds no GET \/other to Api's own DefinitionBody/)]);
  });
});

describe('Api events on an API whose document SAM does not see inline', () => {
  const events = `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /, Method: get }\n        Other:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /other, Method: get }\n`;
  const api = (definition: string): string => `  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n${definition}`;

  it('a DefinitionUri file is read too: only the event whose route it lacks is named, as missing from the DefinitionUri document', async () => {
    // Prepare
    writeFileSync(join(work, 'uri-api.yaml'), "swagger: '2.0'\ninfo: { title: uri, version: '1' }\npaths:\n  /:\n    get:\n      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn/invocations' }\n");
    const file = template('uri-events', events + api('      DefinitionUri: ./uri-api.yaml\n'));

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    expect(loaded.warnings?.filter((w) => w.includes('SAM adds no'))).toEqual([expect.stringMatching(/Events\.Other\.Properties: SAM adds no GET \/other to Api's own DefinitionUri .*does not exist on AWS either/)]);
  });

  it.each([
    { given: 'as text', location: "'s3://bucket/api.yaml'" },
    { given: 'joined from intrinsics', location: "{ 'Fn::Join': ['', ['s3://', !Ref 'AWS::Region', '/api.yaml']] }" },
  ])('a document on S3 ($given) is not read: each event is named as depending on it, not as missing', async ({ location }) => {
    // Prepare
    const file = template(`s3-include-events-${location.length}`, events + api(`      DefinitionBody:\n        Fn::Transform: { Name: AWS::Include, Parameters: { Location: ${location} } }\n`));

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    const lines = loaded.warnings?.filter((w) => w.includes('SAM adds no')) ?? [];
    expect(lines).toEqual([
      expect.stringMatching(/Events\.Get\.Properties: SAM adds no GET \/ to Api's own DefinitionBody .*not read locally \(S3\): AWS serves the route only if the document declares it$/),
      expect.stringMatching(/Events\.Other\.Properties: SAM adds no GET \/other .*not read locally \(S3\)/),
    ]);
  });
});

describe('EndpointConfiguration of a SAM Api is said, not dropped', () => {
  it.each([
    { given: 'PRIVATE as text', value: 'PRIVATE', want: /EndpointConfiguration: PRIVATE: on AWS only clients of its VPC endpoints reach it .*locally every client does/ },
    { given: 'PRIVATE with VPC endpoint ids', value: '{ Type: PRIVATE, VPCEndpointIds: [vpce-1] }', want: /EndpointConfiguration: PRIVATE: on AWS only clients/ },
    { given: 'REGIONAL', value: '{ Type: REGIONAL }', want: /EndpointConfiguration: REGIONAL: the endpoint type has no local meaning/ },
  ])('$given', async ({ value, want }) => {
    const file = template(`endpoint-${value.length}`, `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /a, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      EndpointConfiguration: ${value}\n`);

    const loaded = await loadTemplate(file);

    expect(loaded.warnings?.filter((w) => w.includes('EndpointConfiguration'))).toEqual([expect.stringMatching(want)]);
  });

  it('neighbour: none set, nothing said', async () => {
    const loaded = await loadTemplate(RESOURCE_POLICY);

    expect(loaded.warnings?.some((w) => w.includes('EndpointConfiguration'))).toBe(false);
  });
});

describe('an Api event whose RestApiId is a plain AWS::ApiGateway::RestApi', () => {
  it('is warned about, the API\'s type with its article ("is an AWS::..."): SAM adds no path to it', async () => {
    // Prepare
    const file = template(
      'plain-rest-api',
      `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Plain, Path: /a, Method: get }\n  Plain:\n    Type: AWS::ApiGateway::RestApi\n    Properties: { Name: plain }\n`,
    );

    // Act
    const loaded = await loadTemplate(file);

    // Assert
    expect(loaded.warnings).toContain('Resources.Fn.Properties.Events.Get.Properties.RestApiId: Plain is an AWS::ApiGateway::RestApi; SAM adds no path to it, only the Lambda permission');
  });
});

describe('Auth.Authorizers keys SAM ignores on a REST API', () => {
  it('are named in a warning (EnableSimpleResponses and AuthorizerPayloadFormatVersion are HTTP API keys); the known ones are not', async () => {
    const file = template(
      'http-keys-on-rest',
      `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: /a, Method: get }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Auth:\n        DefaultAuthorizer: L\n        Authorizers:\n          L: { FunctionArn: !GetAtt Fn.Arn, FunctionPayloadType: REQUEST, Identity: { Headers: [x-key] }, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true }\n`,
    );

    const loaded = await loadTemplate(file);

    expect(loaded.warnings?.filter((w) => w.includes('Authorizers.L'))).toEqual(['Resources.Api.Properties.Auth.Authorizers.L: AuthorizerPayloadFormatVersion, EnableSimpleResponses ignored, as SAM ignores them on a REST API (HTTP API authorizers have them)']);
  });
});

describe('generated pieces the emulator does not emulate', () => {
  it.each([
    { given: 'Auth.ResourcePolicy (R0.2)', file: RESOURCE_POLICY, want: /Resources\.Api\.Properties\.Auth\.ResourcePolicy: resource policies are not emulated/ },
    { given: 'an Api event on an API of another stack', file: ELSEWHERE, want: /Events\.Get\.Properties\.RestApiId: not a reference to an API of this template; GET \/a is not served/ },
  ])('lists $given as not emulated', async ({ file, want }) => {
    const loaded = await loadTemplate(file);

    expect(loaded.notEmulated).toEqual([expect.stringMatching(want)]);
  });

  it.each([RESOURCE_POLICY, ELSEWHERE])('--strict refuses to start on %s, naming the piece', async (file) => {
    const started = startEmulator({ templatePath: file, port: 0, strict: true, localDir: join(work, 'strict') });

    await expect(started).rejects.toThrow(StrictModeError);
    await expect(started).rejects.toThrow(/--strict: 1 item not emulated:/);
  });

  it('without --strict, serves the API and prints the piece as NOT EMULATED in the startup report', async () => {
    const emulator = await startEmulator({ templatePath: RESOURCE_POLICY, port: 0, localDir: join(work, 'report') });
    try {
      const report = formatStartupReport(emulator, 1);

      expect(report).toMatch(/NOT EMULATED Resources\.Api\.Properties\.Auth\.ResourcePolicy/);
      // Every resource of the template accounted for, by type.
      expect(report).toContain('Resources (2):\n  EMULATED     AWS::Serverless::Api: Api\n  EMULATED     AWS::Serverless::Function: Fn');
      expect((await fetch(`${emulator.apis[0]?.url}/a`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

describe('a template from which no API is served', () => {
  it('is an error naming the template and why, before anything starts', async () => {
    const started = startEmulator({ templatePath: NOTHING, port: 0, localDir: join(work, 'nothing') });

    await expect(started).rejects.toThrow(TemplateError);
    await expect(started).rejects.toThrow(/nothing\.yaml: Resources: no API to serve: it declares no AWS::Serverless::Api, AWS::ApiGateway::RestApi, AWS::Serverless::HttpApi, AWS::ApiGatewayV2::Api, AWS::Lambda::Url, function event of Type Api or HttpApi, FunctionUrlConfig, SQS event source on a queue of the template, EventBridge rule with an EventPattern or a ScheduleExpression, EventBridge Scheduler schedule, SNS subscription of a function or queue, S3 bucket notification, DynamoDB or Kinesis stream event source, table with a Kinesis streaming destination, state machine or EventBridge pipe/);
  });

  it('names its functions and how they run without an API (invoke, start-lambda), as sam init`s quick start from scratch is run', async () => {
    const started = startEmulator({ templatePath: NOTHING, port: 0, localDir: join(work, 'nothing-functions') });

    await expect(started).rejects.toThrow(/state machine or EventBridge pipe\n {2}its functions \(Fn\) run without an API: sam-local-gateway invoke Fn -e event\.json \(as sam local invoke\), or start-lambda for the Lambda Invoke API$/);
  });

  it('still says it declares none when the template has warnings too (a parameter without a value)', async () => {
    const file = join(work, 'nothing-with-warnings.yaml');
    writeFileSync(file, `Parameters:\n  Stage: { Type: String }\n${readFileSync(NOTHING, 'utf8')}`);

    await expect(startEmulator({ templatePath: file, port: 0, localDir: join(work, 'warned') })).rejects.toThrow(
      /no API to serve: it declares no AWS::Serverless::Api, [^\n]* function event of Type Api or HttpApi, FunctionUrlConfig, SQS event source on a queue of the template, EventBridge rule with an EventPattern or a ScheduleExpression, EventBridge Scheduler schedule, SNS subscription of a function or queue, S3 bucket notification, DynamoDB or Kinesis stream event source, table with a Kinesis streaming destination, state machine or EventBridge pipe; also:\n {2}Parameters\.Stage: no Default/,
    );
  });

  it('a table copying its changes to a stream of the template is served (write to one, read the other); one whose stream is elsewhere is not', async () => {
    const table = (streamArn: string) =>
      template(
        `copy-${streamArn.length}`,
        `  Changes:\n    Type: AWS::Kinesis::Stream\n    Properties: { ShardCount: 1 }\n  Items:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n      KinesisStreamSpecification: { StreamArn: ${streamArn} }\n`,
      );
    const own = table('!GetAtt Changes.Arn');
    const elsewhere = table('arn:aws:kinesis:us-east-1:123456789012:stream/elsewhere');

    const emulator = await startEmulator({ templatePath: own, port: 0, localDir: join(work, 'copy'), log: () => undefined });
    try {
      expect(emulator.apis).toEqual([]);
      expect(emulator.streamNotes.some((n) => /its changes are copied to the Kinesis stream arn:aws:kinesis:us-east-1:123456789012:stream\/.*Changes/.test(n))).toBe(true);
    } finally {
      await emulator.close();
    }
    await expect(startEmulator({ templatePath: elsewhere, port: 0, localDir: join(work, 'copy-elsewhere'), log: () => undefined })).rejects.toThrow(/no API to serve/);
  });

  it('a template of a state machine only is served: the embedded Step Functions runs it; one it cannot read is refused', async () => {
    const machine = (properties: string) => template(`machine-${properties.length}`, `  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: { ${properties} }\n`);
    const served = machine('Definition: { StartAt: A, States: { A: { Type: Pass, End: true } } }');
    const onS3 = machine('DefinitionUri: s3://bucket/definition.json');

    const emulator = await startEmulator({ templatePath: served, port: 0, localDir: join(work, 'machine'), log: () => undefined });
    try {
      expect(emulator.apis).toEqual([]);
      expect(emulator.services.AWS_ENDPOINT_URL_SFN).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await emulator.close();
    }
    await expect(startEmulator({ templatePath: onS3, port: 0, localDir: join(work, 'on-s3') })).rejects.toThrow(/no API to serve:\n {2}Resources\.M \(AWS::Serverless::StateMachine\): its definition is on S3/);
  });

  it('does not say it declares none when it declares one it does not serve (a WebSocket API it cannot read): the reason alone', async () => {
    const file = join(work, 'websocket.yaml');
    writeFileSync(file, 'Resources:\n  Ws:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: ws, ProtocolType: WEBSOCKET}\n');

    const started = startEmulator({ templatePath: file, port: 0, localDir: join(work, 'ws') });

    await expect(started).rejects.toThrow(/no API to serve:\n {2}.*Resources\.Ws\.Properties\.RouteSelectionExpression.*is required for a WebSocket API; API Ws is not served/);
    await expect(started).rejects.not.toThrow(/it declares no/);
  });

  it('lists what was found but not served when that is the reason', async () => {
    const file = template('only-elsewhere', `      Events:\n        Get:\n          Type: Api\n          Properties: { RestApiId: !ImportValue shared-api-id, Path: /a, Method: get }\n`);

    await expect(startEmulator({ templatePath: file, port: 0, localDir: join(work, 'only') })).rejects.toThrow(/no API to serve:\n {2}Resources\.Fn\.Properties\.Events\.Get\.Properties\.RestApiId: not a reference/);
  });
});

describe('an API whose methods do not join it (RestApiId as text, not !Ref)', () => {
  const file = join(work, 'detached.yaml');
  writeFileSync(
    file,
    [
      'Resources:',
      '  Api:',
      '    Type: AWS::ApiGateway::RestApi',
      '  Dev:',
      '    Type: AWS::ApiGateway::Stage',
      '    Properties: { RestApiId: !Ref Api, StageName: dev }',
      '  Get:',
      '    Type: AWS::ApiGateway::Method',
      '    Properties: { RestApiId: Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK } }',
      '',
    ].join('\n'),
  );

  it('is served with no route: the report says every request is unmatched and lists the method as not emulated with why', async () => {
    // Act
    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(work, 'detached') });
    try {
      const report = formatStartupReport(emulator, 1);
      const res = await fetch(`${emulator.apis[0]?.url}/`);

      // Assess
      expect(report).toContain('Routes:\n  (none: every request answers 403 Missing Authentication Token (R8.9); on AWS its deployment fails: "The REST API doesn\'t contain any methods")');
      expect(report).toContain('NOT EMULATED AWS::ApiGateway::Method: Get - RestApiId is the text "Api", not that API\'s id (write !Ref Api)');
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    } finally {
      await emulator.close();
    }
  });

  it('--strict refuses it, naming the method', async () => {
    await expect(startEmulator({ templatePath: file, port: 0, strict: true, localDir: join(work, 'detached-strict') })).rejects.toThrow(/Resources\.Get \(AWS::ApiGateway::Method\): RestApiId is the text "Api"/);
  });
});

describe('R8.9 a SAM Api to which no event and no document gives a method (SAM`s api_endpointconfiguration example)', () => {
  const file = join(work, 'methodless.yaml');
  writeFileSync(file, 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Bare:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: live, OpenApiVersion: 3.0.1 }\n');

  it('R8.9 is served with no route, and the report says that AWS refuses to deploy it', async () => {
    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(work, 'methodless') });
    try {
      const report = formatStartupReport(emulator, 1);
      const res = await fetch(`${emulator.apis[0]?.url}/anything`);

      expect(report).toContain('API Bare (stage live)\nRoutes:\n  (none: every request answers 403 Missing Authentication Token (R8.9); on AWS its deployment fails: "The REST API doesn\'t contain any methods")');
      expect([res.status, await res.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
    } finally {
      await emulator.close();
    }
  });
});
