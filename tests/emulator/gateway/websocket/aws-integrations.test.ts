/**
 * AWS (non-proxy) integrations of WebSocket routes, as the serverless-patterns applications write them: $connect
 * and $disconnect storing the connection in DynamoDB (PutItem / DeleteItem with a request template of `$context`), a
 * message sent to SQS (a form template, Content-Type mapped in RequestParameters), and a function called with a
 * rendered template on a two-way route whose integration response maps the answer.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStartupReport } from '../../../../emulator/report.js';
import { closed, connect, connectionIdOf, nextMessage, startWsApp, wsApi, wsRoute, type WsApp } from './support.js';
import type WebSocket from 'ws';

const lambdaUri = '!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations';

/** An AWS (non-proxy) integration `id` calling the Handler, with `rest` (its further properties, indented) added. */
const lambdaInteg = (id: string, rest: string) => `  ${id}:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS
      IntegrationMethod: POST
      IntegrationUri: ${lambdaUri}
${rest}`;

const RESOURCES = `  Connections:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: connections
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
  ConnectInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS
      IntegrationMethod: POST
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:dynamodb:action/PutItem
      CredentialsArn: arn:aws:iam::123456789012:role/apigw
      TemplateSelectionExpression: \\$default
      RequestTemplates:
        $default: '{"TableName": "connections", "Item": {"id": {"S": "$context.connectionId"}, "stage": {"S": "$context.stage"}, "token": {"S": "$input.params(''token'')"}}}'
  ConnectRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: $connect
      Target: !Sub integrations/\${ConnectInteg}
  DisconnectInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS
      IntegrationMethod: POST
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:dynamodb:action/DeleteItem
      CredentialsArn: arn:aws:iam::123456789012:role/apigw
      RequestTemplates:
        $default: '{"TableName": "connections", "Key": {"id": {"S": "$context.connectionId"}}}'
      TemplateSelectionExpression: \\$default
  DisconnectRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: $disconnect
      Target: !Sub integrations/\${DisconnectInteg}
  SqsInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS
      IntegrationMethod: POST
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:sqs:path/\${AWS::AccountId}/orders
      CredentialsArn: arn:aws:iam::123456789012:role/apigw
      PassthroughBehavior: NEVER
      RequestParameters:
        integration.request.header.Content-Type: "'application/x-www-form-urlencoded'"
      RequestTemplates:
        $default: Action=SendMessage&MessageAttribute.1.Name=connectionId&MessageAttribute.1.Value.StringValue=$context.connectionId&MessageAttribute.1.Value.DataType=String&MessageBody=$util.urlEncode($input.json('$.order'))
  OrderRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: order
      Target: !Sub integrations/\${SqsInteg}
${lambdaInteg('MappedInteg', `      TemplateSelectionExpression: \\$default
      RequestTemplates:
        $default: '{"nonProxy": true, "connectionId": "$context.connectionId", "routeKey": "$context.routeKey", "name": $input.json(''$.name'')}'
`)}${lambdaInteg('AsyncInteg', `      RequestParameters:
        integration.request.header.X-Amz-Invocation-Type: "'Event'"
      TemplateSelectionExpression: \\$default
      RequestTemplates:
        $default: '{"async": true, "connectionId": "$context.connectionId"}'
`)}${wsRoute('AsyncRoute', 'later').replace(/Target: .*/, 'Target: !Sub integrations/${AsyncInteg}')}  MappedRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: mapped
      RouteResponseSelectionExpression: $default
      Target: !Sub integrations/\${MappedInteg}
  MappedRouteResponse:
    Type: AWS::ApiGatewayV2::RouteResponse
    Properties:
      ApiId: !Ref WsApi
      RouteId: !Ref MappedRoute
      RouteResponseKey: $default
  MappedIntegResponse:
    Type: AWS::ApiGatewayV2::IntegrationResponse
    Properties:
      ApiId: !Ref WsApi
      IntegrationId: !Ref MappedInteg
      IntegrationResponseKey: $default
      TemplateSelectionExpression: \\$default
      ResponseTemplates:
        $default: '{"hello": $input.json(''$.mapped.name''), "route": "$context.routeKey"}'
`;

/**
 * A two-way route whose AWS integration calls DynamoDB GetItem with `requestTemplate`, and its integration responses
 * (`key: template`, or `key: null` to pass the answer as it is).
 */
function twoWayGetItemRoute(name: string, requestTemplate: string, responses: Record<string, string | null>): string {
  const id = name[0]!.toUpperCase() + name.slice(1);
  const integrationResponses = Object.entries(responses).map(([key, template], i) => `  ${id}Response${i}:
    Type: AWS::ApiGatewayV2::IntegrationResponse
    Properties:
      ApiId: !Ref WsApi
      IntegrationId: !Ref ${id}Integ
      IntegrationResponseKey: ${key}
${template === null ? '' : `      TemplateSelectionExpression: \\$default\n      ResponseTemplates:\n        $default: '${template}'\n`}`);
  return `  ${id}Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS
      IntegrationMethod: POST
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:dynamodb:action/GetItem
      CredentialsArn: arn:aws:iam::123456789012:role/apigw
      TemplateSelectionExpression: \\$default
      RequestTemplates:
        $default: '${requestTemplate}'
${wsRoute(`${id}Route`, name, { twoWay: true }).replace(/Target: .*/, `Target: !Sub integrations/\${${id}Integ}`)}${integrationResponses.join('')}`;
}

const STATUS_ROUTES = [
  twoWayGetItemRoute('lookup', `{"TableName": $input.json(''$.table''), "Key": {"id": {"S": "nobody"}}}`, { '/2\\d\\d/': null, '/4\\d\\d/': `{"error": $input.json(''$.__type'')}` }),
  twoWayGetItemRoute('strict', '{"TableName": "no-such-table", "Key": {"id": {"S": "nobody"}}}', { '/2\\d\\d/': null }),
].join('');

describe('WebSocket routes with AWS (non-proxy) integrations', () => {
  let app: WsApp;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    app = await startWsApp([wsApi(), RESOURCES, STATUS_ROUTES, wsRoute('WhoamiRoute', 'whoami', { twoWay: true })].join(''));
    const { credentials, services } = app.emulator;
    dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: services.AWS_ENDPOINT_URL_DYNAMODB, credentials });
    sqs = new SQSClient({ region: 'us-east-1', endpoint: services.AWS_ENDPOINT_URL_SQS, credentials });
  });

  afterAll(async () => {
    for (const ws of clients) ws.terminate();
    await app?.close();
  });

  it('are reported emulated, the function of a Lambda one named', () => {
    // Act
    const report = formatStartupReport(app.emulator, 0);

    // Assess
    for (const key of ['\\$connect', '\\$disconnect', 'order']) expect(report).toMatch(new RegExp(`emulated {5}WS {6}${key} +aws\\n`));
    expect(report).toMatch(/emulated {5}WS {6}mapped +aws -> Handler \(two-way/);
  });

  it('$connect puts the connection into DynamoDB from its template ($context.connectionId, $input.params), $disconnect deletes it', async () => {
    // Prepare
    const ws = await connect(`${app.api().url}?token=t-1`);
    const id = await connectionIdOf(ws);

    // Act
    const stored = await dynamodb.send(new GetItemCommand({ TableName: 'connections', Key: { id: { S: id } } }));
    const disconnected = app.waitForRequest('$disconnect');
    ws.close(1000, 'bye');
    await closed(ws);
    await disconnected;
    const after = await dynamodb.send(new GetItemCommand({ TableName: 'connections', Key: { id: { S: id } } }));

    // Assess
    expect(stored.Item).toEqual({ id: { S: id }, stage: { S: 'prod' }, token: { S: 't-1' } });
    expect(after.Item).toBeUndefined();
  });

  it('a message route sends the form its template renders to SQS (Content-Type from RequestParameters)', async () => {
    // Prepare
    const ws = await connect(app.api().url);
    clients.push(ws);
    const id = await connectionIdOf(ws);

    // Act
    const sent = app.waitForRequest('order');
    ws.send(JSON.stringify({ action: 'order', order: { sku: 'A-1', quantity: 2 } }));
    await sent;
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${app.emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/orders`, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));

    // Assess
    expect(received.Messages?.map((m) => JSON.parse(m.Body!))).toEqual([{ sku: 'A-1', quantity: 2 }]);
    expect(received.Messages?.[0]?.MessageAttributes?.connectionId?.StringValue).toBe(id);
  });

  it("a two-way route calls its function with the rendered template and sends the integration response's template back", async () => {
    // Prepare
    const ws = await connect(app.api().url);
    clients.push(ws);
    const reply = nextMessage(ws);

    // Act
    ws.send(JSON.stringify({ action: 'mapped', name: 'Ada' }));

    // Assess
    expect(JSON.parse(await reply)).toEqual({ hello: 'Ada', route: 'mapped' });
  });

  it('R2.10 an X-Amz-Invocation-Type Event route invokes its function asynchronously: the function`s failure sends the client no frame', async () => {
    // Prepare: the Handler throws on the template's event (it has no requestContext), as an async function may.
    const ws = await connect(app.api().url);
    clients.push(ws);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    const accepted = app.waitForRequest('later');

    // Act
    ws.send(JSON.stringify({ action: 'later' }));
    const entry = await accepted;
    const id = await connectionIdOf(ws);

    // Assess: the frame whoami answered is the only one; nothing came of the failing asynchronous call.
    expect(entry.status).toBe(200);
    expect(frames.map((f) => JSON.parse(f) as unknown)).toEqual([{ connectionId: id }]);
  });

  it.each([
    { given: 'a table that exists: 200, taken by the /2\\d\\d/ response (the answer as it is)', table: 'connections', want: {} },
    { given: "a table that does not exist: DynamoDB's 400, taken by the /4\\d\\d/ response and its template", table: 'no-such-table', want: { error: expect.stringMatching(/ResourceNotFoundException$/) } },
  ])('a two-way route sends back what the integration response matching the service status makes of it: $given', async ({ table, want }) => {
    // Prepare
    const ws = await connect(app.api().url);
    clients.push(ws);
    const reply = nextMessage(ws);

    // Act
    ws.send(JSON.stringify({ action: 'lookup', table }));

    // Assess
    expect(JSON.parse(await reply)).toEqual(want);
  });

  it('a service error no integration response takes (no /4\\d\\d/, no $default) is the Internal server error frame', async () => {
    // Prepare
    const ws = await connect(app.api().url);
    clients.push(ws);
    const reply = nextMessage(ws);

    // Act
    ws.send(JSON.stringify({ action: 'strict' }));

    // Assess
    expect(JSON.parse(await reply)).toMatchObject({ message: 'Internal server error' });
    expect(app.logs.some((line) => line.includes('no integration response for status 400 and no $default'))).toBe(true);
  });
});
