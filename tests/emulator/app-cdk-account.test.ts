/**
 * A CDK app synthesized with credentials (`env: { account: process.env.CDK_DEFAULT_ACCOUNT }`, as `cdk init` suggests)
 * writes its account literally into the permissions of its LambdaRestApi. Served in the local account 123456789012,
 * no permission matched and every route answered API Gateway's 500 (R1.54). The whole stack now runs in the account
 * its cloud assembly names: the permission matches, and the ARNs and URLs the embedded services give (a table's ARN
 * from DynamoDB, a queue's URL from SQS) agree with the ones the template resolved, as they would on AWS.
 */
import { describe, expect, it } from 'vitest';
import { eventAppForSuite } from './support/event-app.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

// What the function reports: the account API Gateway puts in the event, and what the services answer for its resources.
const HANDLER = `
const { DynamoDBClient, DescribeTableCommand } = require('@aws-sdk/client-dynamodb');
const { SQSClient, GetQueueAttributesCommand } = require('@aws-sdk/client-sqs');
exports.handler = async (event) => {
  const table = await new DynamoDBClient({}).send(new DescribeTableCommand({ TableName: process.env.TABLE }));
  const queue = await new SQSClient({}).send(new GetQueueAttributesCommand({ QueueUrl: process.env.QUEUE_URL, AttributeNames: ['QueueArn'] }));
  return { statusCode: 200, body: JSON.stringify({ account: event.requestContext.accountId, tableArn: table.Table.TableArn, queueArn: queue.Attributes.QueueArn }) };
};`;

/** LambdaRestApi as CDK synthesizes it for an environment-specific stack: its permission names the account literally. */
const STACK = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
    Queue: { Type: 'AWS::SQS::Queue' },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { ZipFile: HANDLER },
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Timeout: 10,
        Role: `arn:aws:iam::${ACCOUNT}:role/fn`,
        Environment: { Variables: { TABLE: { Ref: 'Table' }, QUEUE_URL: { Ref: 'Queue' } } },
      },
    },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'Api' } },
    Proxy: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'where' } },
    Get: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Proxy' },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Join': ['', [`arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/`, { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']] } },
      },
    },
    Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } }, DependsOn: ['Get'] },
    Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'prod' } },
    Permission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: { 'Fn::Join': ['', [`arn:aws:execute-api:${REGION}:${ACCOUNT}:`, { Ref: 'Api' }, '/', { Ref: 'Stage' }, '/GET/where']] },
      },
    },
  },
};

// A cloud assembly: the stack's template (JSON, which is YAML) and the manifest naming its environment.
const artifact = { type: 'aws:cloudformation:stack', environment: `aws://${ACCOUNT}/${REGION}`, properties: { templateFile: 'template.yaml' } };
const app = eventAppForSuite('cdk-account-', { 'template.yaml': JSON.stringify(STACK), 'manifest.json': JSON.stringify({ version: '54.0.0', artifacts: { App: artifact } }) });

describe('a CDK stack synthesized for an account is served in that account', () => {
  it('R1.54: the permission naming the account lets API Gateway invoke the function; the event and the services say the same account', async () => {
    // Act
    const response = await fetch(`${app().apis[0]!.url}/where`);
    const text = await response.text();
    // Assess
    expect(response.status, text).toBe(200);
    expect(JSON.parse(text)).toEqual({
      account: ACCOUNT,
      tableArn: expect.stringMatching(new RegExp(`^arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/`)),
      queueArn: expect.stringMatching(new RegExp(`^arn:aws:sqs:${REGION}:${ACCOUNT}:`)),
    });
  });

  it("the template's own ARNs are in that account", () => {
    expect(app().template.accountId).toBe(ACCOUNT);
    expect(app().template.region).toBe(REGION);
  });
});
