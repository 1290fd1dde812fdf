/**
 * The embedded CloudFormation, as a SAM app's integration tests use it on AWS: DescribeStacks with the stack's name
 * (the SDK's CloudFormation client on AWS_ENDPOINT_URL_CLOUDFORMATION, signed with the local credentials), then the
 * output naming the API's URL, which is the local one, then a request to it. Outputs resolved as the emulator resolves
 * the template (Sub, GetAtt, Export names, conditions), nested stacks listed with their parent, errors as CloudFormation's.
 */
import { describe, expect, it } from 'vitest';
import { CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { eventAppForSuite } from '../../support/event-app.js';
import { formatStartupReport } from '../../../../emulator/report.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: integration tests' stack
Parameters:
  Stage: { Type: String, Default: dev }
  Secret: { Type: String, Default: hidden, NoEcho: true }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Equals [!Ref Stage, dev]
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ message: 'hello', path: event.rawPath ?? event.path }) });
      Events:
        Rest: { Type: Api, Properties: { Path: /hello, Method: get } }
        Http: { Type: HttpApi, Properties: { Path: /hello, Method: get } }
  Child:
    Type: AWS::Serverless::Application
    Properties:
      Location: child.yaml
Outputs:
  HelloWorldApi:
    Description: API Gateway endpoint URL for Prod stage for Hello World function
    Value: !Sub "https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.amazonaws.com/Prod/hello/"
  HelloHttpApi:
    Value: !Sub "https://\${ServerlessHttpApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/hello"
  HttpApiEndpoint:
    Value: !GetAtt ServerlessHttpApi.ApiEndpoint
  HelloFunctionArn:
    Value: !GetAtt HelloFunction.Arn
    Export: { Name: !Sub "\${AWS::StackName}-HelloArn" }
  ChildTopic:
    Value: !GetAtt Child.Outputs.TopicArn
  ProdOnly:
    Condition: IsProd
    Value: prod
  DevOnly:
    Condition: IsDev
    Value: !Join ['-', [dev, !Ref Stage]]
  Imported:
    Value: !ImportValue shared-vpc-id
`;

const CHILD = `Resources:
  Topic: { Type: AWS::SNS::Topic }
Outputs:
  TopicArn: { Value: !Ref Topic }
`;

const app = eventAppForSuite('cloudformation-app-', { 'template.yaml': TEMPLATE, 'child.yaml': CHILD });

function client(credentials = app().credentials): CloudFormationClient {
  return new CloudFormationClient({ region: 'us-east-1', endpoint: app().services.AWS_ENDPOINT_URL_CLOUDFORMATION!, credentials });
}

async function outputs(stackName: string): Promise<Record<string, string | undefined>> {
  const { Stacks } = await client().send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue]));
}

describe('the embedded CloudFormation (DescribeStacks)', () => {
  it('describes the stack by its name: CREATE_COMPLETE, its Description, Parameters (NoEcho masked)', async () => {
    const { Stacks } = await client().send(new DescribeStacksCommand({ StackName: 'local' }));

    expect(Stacks).toHaveLength(1);
    expect(Stacks![0]).toMatchObject({
      StackName: 'local',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/local/00000000-0000-0000-0000-000000000000',
      StackStatus: 'CREATE_COMPLETE',
      Description: "integration tests' stack",
    });
    expect(Stacks![0]!.CreationTime).toBeInstanceOf(Date);
    expect(Stacks![0]!.Parameters).toEqual([
      { ParameterKey: 'Stage', ParameterValue: 'dev' },
      { ParameterKey: 'Secret', ParameterValue: '****' },
    ]);
  });

  it('gives the REST API`s output as its local URL, and that URL answers with the function', async () => {
    const rest = app().apis.find((a) => a.kind === 'rest')!;
    const { HelloWorldApi } = await outputs('local');

    expect(HelloWorldApi).toBe(`${rest.url}/hello/`);
    const res = await fetch(HelloWorldApi!);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'hello', path: '/hello/' });
  });

  it('gives the HTTP API`s outputs (the implicit ServerlessHttpApi`s Ref and GetAtt ApiEndpoint, $default stage) as its local URL, which answers', async () => {
    const http = app().apis.find((a) => a.kind === 'http')!;
    const { HelloHttpApi, HttpApiEndpoint } = await outputs('local');

    expect(HttpApiEndpoint).toBe(http.url);
    expect(HelloHttpApi).toBe(`${http.url}/hello`);
    const res = await fetch(HelloHttpApi!);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'hello', path: '/hello' });
  });

  it('resolves GetAtt (the function`s ARN, a nested stack`s output) and Join; an output whose Condition is false is absent', async () => {
    const { Stacks } = await client().send(new DescribeStacksCommand({ StackName: 'local' }));
    const byKey = new Map(Stacks![0]!.Outputs!.map((o) => [o.OutputKey, o]));

    expect([...byKey.keys()]).toEqual(['HelloWorldApi', 'HelloHttpApi', 'HttpApiEndpoint', 'HelloFunctionArn', 'ChildTopic', 'DevOnly', 'Imported']);
    expect(byKey.get('HelloWorldApi')?.Description).toBe('API Gateway endpoint URL for Prod stage for Hello World function');
    expect(byKey.get('HelloFunctionArn')).toEqual({ OutputKey: 'HelloFunctionArn', OutputValue: 'arn:aws:lambda:us-east-1:123456789012:function:HelloFunction', ExportName: 'local-HelloArn' });
    expect(byKey.get('ChildTopic')?.OutputValue).toBe('arn:aws:sns:us-east-1:123456789012:local-Child-Topic');
    expect(byKey.get('DevOnly')?.OutputValue).toBe('dev-dev');
  });

  it('takes the StackId as StackName too', async () => {
    const { Stacks } = await client().send(new DescribeStacksCommand({ StackName: 'arn:aws:cloudformation:us-east-1:123456789012:stack/local/00000000-0000-0000-0000-000000000000' }));

    expect(Stacks?.map((s) => s.StackName)).toEqual(['local']);
  });

  it('lists every stack without StackName, a nested one with its ParentId and RootId', async () => {
    const { Stacks } = await client().send(new DescribeStacksCommand({}));

    expect(Stacks?.map((s) => s.StackName)).toEqual(['local', 'local-Child']);
    expect(Stacks![1]).toMatchObject({ ParentId: Stacks![0]!.StackId, RootId: Stacks![0]!.StackId, Outputs: [{ OutputKey: 'TopicArn', OutputValue: 'arn:aws:sns:us-east-1:123456789012:local-Child-Topic' }] });
  });

  it('answers an unknown stack with CloudFormation`s ValidationError, 400', async () => {
    const error = await client().send(new DescribeStacksCommand({ StackName: 'sam-app' })).then(() => undefined, (e: unknown) => e);

    expect(error).toMatchObject({ name: 'ValidationError', message: 'Stack with id sam-app does not exist', $metadata: { httpStatusCode: 400 } });
  });

  it('lists the exports (ListExports)', async () => {
    const { Exports } = await client().send(new ListExportsCommand({}));

    expect(Exports).toEqual([{ ExportingStackId: expect.stringContaining(':stack/local/'), Name: 'local-HelloArn', Value: 'arn:aws:lambda:us-east-1:123456789012:function:HelloFunction' }]);
  });

  it('answers an action it does not serve with InvalidAction, 400', async () => {
    const error = await client().send(new DescribeStackEventsCommand({ StackName: 'local' })).then(() => undefined, (e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidAction', $metadata: { httpStatusCode: 400 } });
  });
});

describe('the embedded CloudFormation is closed to what is not signed with the local credentials', () => {
  it('refuses an unsigned request (403 MissingAuthenticationToken, the query protocol`s common error, in CloudFormation`s XML)', async () => {
    const res = await fetch(app().services.AWS_ENDPOINT_URL_CLOUDFORMATION!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeStacks&Version=2010-05-15&StackName=local',
    });

    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(body).not.toContain('HelloWorldApi');
  });

  it('refuses a request signed with other credentials (403 InvalidClientTokenId, as the SDK reads it)', async () => {
    const other = client({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
    const error = await other.send(new DescribeStacksCommand({ StackName: 'local' })).then(() => undefined, (e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
  });
});

describe('the start report', () => {
  it('lists the endpoint among the services, the stack`s name, its outputs as served and the one not resolved locally', () => {
    const report = formatStartupReport(app(), 0);
    const rest = app().apis.find((a) => a.kind === 'rest')!;

    expect(report).toContain(`  AWS_ENDPOINT_URL_CLOUDFORMATION=${app().services.AWS_ENDPOINT_URL_CLOUDFORMATION}\n`);
    expect(report).toContain('AWS_SAM_STACK_NAME=local');
    expect(report).toContain(`    HelloWorldApi = ${rest.url}/hello/\n`);
    expect(report).toMatch(/ {4}Imported = emulator-unresolved:ImportValue\/shared-vpc-id: NOT RESOLVED holds the placeholder "emulator-unresolved:ImportValue\/shared-vpc-id"/);
  });
});
