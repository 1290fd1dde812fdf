/**
 * The stack DescribeStacks describes (template/outputs.ts): Outputs resolved as CloudFormation resolves them once the
 * stack is deployed, an output whose Condition is false left out, what cannot be resolved locally named; and the
 * API ids and endpoints the outputs name (implicit ServerlessHttpApi, GetAtt ApiEndpoint).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { restApiIdFor } from '../../../emulator/template/stack.js';

async function load(text: string, options: { stackName?: string; parameterOverrides?: Record<string, string> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
  writeFileSync(join(dir, 'template.yaml'), text);
  return loadTemplate(join(dir, 'template.yaml'), options);
}

const FUNCTION = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => ({})
      Events: { Http: { Type: HttpApi } }
`;

describe('describeStack', () => {
  it('names the stack as AWS::StackName and AWS::StackId do', async () => {
    const t = await load('Resources:\n  Q: { Type: AWS::SQS::Queue }\n', { stackName: 'sam-app' });

    expect(t.stack).toMatchObject({ name: 'sam-app', id: 'arn:aws:cloudformation:us-east-1:123456789012:stack/sam-app/00000000-0000-0000-0000-000000000000', outputs: [] });
  });

  it('honours an output`s Condition with the parameters given', async () => {
    const text = `Parameters:\n  Stage: { Type: String, Default: dev }\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\nResources:\n  Q: { Type: AWS::SQS::Queue }\nOutputs:\n  Always: { Value: a }\n  ProdOnly: { Condition: IsProd, Value: p }\n`;

    expect((await load(text)).stack?.outputs.map((o) => o.key)).toEqual(['Always']);
    expect((await load(text, { parameterOverrides: { Stage: 'prod' } })).stack?.outputs.map((o) => o.key)).toEqual(['Always', 'ProdOnly']);
  });

  it('gives a list as CloudFormation gives it (joined with commas), a resolved Export name, the Description', async () => {
    const t = await load(`Resources:\n  Q: { Type: AWS::SQS::Queue }\nOutputs:\n  Names:\n    Description: both\n    Value: !Split [',', 'a,b']\n    Export: { Name: !Sub '\${AWS::StackName}-names' }\n`);

    expect(t.stack?.outputs).toEqual([{ key: 'Names', value: 'a,b', description: 'both', exportName: 'local-names' }]);
  });

  it('names what cannot be resolved locally: a placeholder kept as the value, an error without one', async () => {
    const t = await load(`Resources:\n  Db: { Type: AWS::RDS::DBInstance, Properties: {} }\nOutputs:\n  Endpoint: { Value: !GetAtt Db.Endpoint.Address }\n  Missing: { Value: !GetAtt Nowhere.Arn }\n`);

    expect(t.stack?.outputs).toEqual([
      { key: 'Endpoint', value: 'emulator-fake:Db.Endpoint.Address', unresolved: 'holds the placeholder "emulator-fake:Db.Endpoint.Address" (no such value locally)' },
      { key: 'Missing', unresolved: expect.stringMatching(/^not resolved locally: .*Fn::GetAtt names "Nowhere", which is not a resource/) },
    ]);
  });

  it('masks a NoEcho parameter`s value', async () => {
    const t = await load('Parameters:\n  Token: { Type: String, NoEcho: true, Default: s3cr3t }\n  Name: { Type: String, Default: n }\nResources:\n  Q: { Type: AWS::SQS::Queue }\n');

    expect(t.stack?.parameters).toEqual({ Token: '****', Name: 'n' });
  });
});

describe('the API ids outputs name', () => {
  it('resolves the implicit ServerlessHttpApi (Ref, GetAtt ApiId and ApiEndpoint) when a function`s HttpApi event creates it', async () => {
    const t = await load(`Transform: AWS::Serverless-2016-10-31\nResources:\n${FUNCTION}Outputs:\n  Url: { Value: !Sub 'https://\${ServerlessHttpApi}.execute-api.\${AWS::Region}.amazonaws.com/' }\n  Id: { Value: !GetAtt ServerlessHttpApi.ApiId }\n  Endpoint: { Value: !GetAtt ServerlessHttpApi.ApiEndpoint }\n`);
    const id = restApiIdFor('ServerlessHttpApi');

    expect(t.httpApis.map((a) => a.apiId)).toEqual([id]);
    expect(Object.fromEntries(t.stack!.outputs.map((o) => [o.key, o.value]))).toEqual({ Url: `https://${id}.execute-api.us-east-1.amazonaws.com/`, Id: id, Endpoint: `https://${id}.execute-api.us-east-1.amazonaws.com` });
  });

  it('does not invent ServerlessHttpApi for a template without an HttpApi event', async () => {
    const t = await load(`Transform: AWS::Serverless-2016-10-31\nResources:\n  Q: { Type: AWS::SQS::Queue }\nOutputs:\n  Url: { Value: !Ref ServerlessHttpApi }\n`);

    expect(t.stack?.outputs).toEqual([{ key: 'Url', unresolved: expect.stringContaining('"ServerlessHttpApi"') }]);
  });

  it('gives a WebSocket API`s ApiEndpoint as wss://', async () => {
    const t = await load(`Resources:\n  Ws: { Type: AWS::ApiGatewayV2::Api, Properties: { Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action } }\nOutputs:\n  Endpoint: { Value: !GetAtt Ws.ApiEndpoint }\n`);

    expect(t.stack?.outputs[0]?.value).toBe(`wss://${restApiIdFor('Ws')}.execute-api.us-east-1.amazonaws.com`);
  });

  it('gives Ref of an AWS::ApiGatewayV2::Stage as its StageName, which WebSocket and HTTP API URLs end with', async () => {
    const t = await load(`Resources:\n  Ws: { Type: AWS::ApiGatewayV2::Api, Properties: { Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action } }\n  Stage: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref Ws, StageName: Prod } }\nOutputs:\n  Uri: { Value: !Join ['', ['wss://', !Ref Ws, '.execute-api.', !Ref 'AWS::Region', '.amazonaws.com/', !Ref Stage]] }\n`);

    expect(t.stack?.outputs[0]?.value).toBe(`wss://${restApiIdFor('Ws')}.execute-api.us-east-1.amazonaws.com/Prod`);
  });
});

describe('SAM`s referenceable properties of what Auth.UsagePlan generates', () => {
  const api = (id: string, mode: string) => `  ${id}:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: ${mode} } }\n      DefinitionBody: { openapi: 3.0.1, info: { title: t, version: '1' }, paths: {} }\n`;
  const outputs = 'Outputs:\n  Key: { Value: !Sub "${Api.ApiKey}" }\n  Plan: { Value: !GetAtt Api.UsagePlan }\n';

  it.each([
    { mode: 'PER_API', key: 'ApiApiKey', plan: 'ApiUsagePlan' },
    { mode: 'SHARED', key: 'ServerlessApiKey', plan: 'ServerlessUsagePlan' },
  ])('<Api>.ApiKey and <Api>.UsagePlan with $mode are Ref of the generated $key and $plan (their ids)', async ({ mode, key, plan }) => {
    const t = await load(`Transform: AWS::Serverless-2016-10-31\nResources:\n${api('Api', mode)}${outputs}`);

    expect(Object.fromEntries(t.stack!.outputs.map((o) => [o.key, o.value]))).toEqual({ Key: restApiIdFor(`${key}:123456789012`), Plan: restApiIdFor(`${plan}:123456789012`) });
  });

  it('an API without a usage plan has no ApiKey to name: the output is not resolved, as SAM resolves nothing', async () => {
    const t = await load(`Transform: AWS::Serverless-2016-10-31\nResources:\n${api('Api', 'NONE')}${outputs}`);

    expect(t.stack?.outputs).toEqual(['Key', 'Plan'].map((key) => ({ key, unresolved: expect.stringContaining('only for Auth.UsagePlan with CreateUsagePlan PER_API or SHARED, and Api has none') })));
  });
});

describe('an output holding the logical id where AWS gives a physical id', () => {
  const template = `Resources:
  Pool: { Type: AWS::Cognito::IdentityPool, Properties: { AllowUnauthenticatedIdentities: false } }
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
  Logs: { Type: AWS::Logs::LogGroup }
  Api: { Type: AWS::ApiGateway::DomainName, Properties: { DomainName: api.example.com } }
  Http: { Type: AWS::ApiGatewayV2::DomainName, Properties: { DomainName: http.example.com } }
  SignIn: { Type: AWS::Cognito::UserPoolDomain, Properties: { Domain: tasks-sign-in, UserPoolId: us-east-1_abc } }
Outputs:
  PoolId: { Value: !Ref Pool }
  InText: { Value: !Sub "pool \${Pool} in \${AWS::Region}" }
  TableName: { Value: !Ref Table }
  LogGroup: { Value: !Ref Logs }
  ApiDomain: { Value: !Sub "https://\${Api}/v1" }
  HttpDomain: { Value: !Ref Http }
  HostedUi: { Value: !Sub "https://\${SignIn}.auth.\${AWS::Region}.amazoncognito.com" }
`;

  it.each([
    { output: 'PoolId', value: 'Pool', unresolved: "holds the logical id Pool where AWS gives the AWS::Cognito::IdentityPool's physical id (not created locally)" },
    { output: 'InText', value: 'pool Pool in us-east-1', unresolved: "holds the logical id Pool where AWS gives the AWS::Cognito::IdentityPool's physical id (not created locally)" },
    { output: 'TableName', value: 'local-Table', unresolved: undefined },
    { output: 'LogGroup', value: 'local-Logs', unresolved: undefined },
    // Ref of a custom domain name is the domain name, of a user pool domain its Domain (CloudFormation's return values).
    { output: 'ApiDomain', value: 'https://api.example.com/v1', unresolved: undefined },
    { output: 'HttpDomain', value: 'http.example.com', unresolved: undefined },
    { output: 'HostedUi', value: 'https://tasks-sign-in.auth.us-east-1.amazoncognito.com', unresolved: undefined },
  ])('$output is "$value", unresolved: $unresolved', async ({ output, value, unresolved }) => {
    const entry = (await load(template)).stack?.outputs.find((o) => o.key === output);
    expect(entry?.value).toBe(value);
    expect(entry?.unresolved).toBe(unresolved);
  });
});
