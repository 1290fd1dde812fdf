/**
 * A function with AutoPublishAlias is invoked through its alias by the events SAM wires to it: SAM points an Api or
 * HttpApi event's integration, and its FunctionUrlConfig's URL, at the alias ARN, so the function's context names
 * that ARN (`...:function:Name:live`) and the published version that runs (`1`), as its START line does; a function
 * without an alias runs $LATEST. So does an Invoke naming the alias or the version. Python and Node.js contexts alike.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { eventAppForSuite } from '../support/event-app.js';

const PYTHON = `import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"arn": context.invoked_function_arn, "version": context.function_version})}
`;
const NODE = `exports.handler = async (event, context) => ({ statusCode: 200, body: JSON.stringify({ arn: context.invokedFunctionArn, version: context.functionVersion }) });
`;

const emulator = eventAppForSuite('invoked-alias-', {
  'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Aliased:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Handler: app.handler
      Runtime: python3.12
      AutoPublishAlias: live
      FunctionUrlConfig: {AuthType: NONE}
      Events:
        Get: {Type: Api, Properties: {Path: /aliased, Method: get}}
        Http: {Type: HttpApi, Properties: {Path: /aliased, Method: get}}
  AliasedNode:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: js/
      Handler: app.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
      Events:
        Get: {Type: Api, Properties: {Path: /aliased-node, Method: get}}
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Handler: app.handler
      Runtime: python3.12
      Events:
        Get: {Type: Api, Properties: {Path: /plain, Method: get}}
`,
  'py/app.py': PYTHON,
  'js/app.js': NODE,
});

describe('the invoked function ARN and version a function sees through API Gateway', () => {
  it.each([
    { given: 'a Python function with AutoPublishAlias (SAM points the Api event at its alias)', api: 'ServerlessRestApi', path: '/aliased', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Aliased:live', version: '1' },
    { given: 'a Node.js function with AutoPublishAlias', api: 'ServerlessRestApi', path: '/aliased-node', arn: 'arn:aws:lambda:us-east-1:123456789012:function:AliasedNode:live', version: '1' },
    { given: 'a function without an alias', api: 'ServerlessRestApi', path: '/plain', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Plain', version: '$LATEST' },
    { given: 'an HttpApi event of a function with AutoPublishAlias', api: 'ServerlessHttpApi', path: '/aliased', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Aliased:live', version: '1' },
    { given: 'the FunctionUrlConfig URL of a function with AutoPublishAlias', api: 'AliasedUrl', path: '/', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Aliased:live', version: '1' },
  ])('$given', async ({ api, path, arn, version }) => {
    const res = await fetch(`${emulator().apis.find((a) => a.logicalId === api)!.url.replace(/\/$/, '')}${path}`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ arn, version });
  });
});

describe('the invoked function ARN and version a function sees through Invoke', () => {
  it.each([
    { given: 'its alias', name: 'Aliased:live', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Aliased:live', version: '1' },
    { given: 'its published version', name: 'Aliased:1', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Aliased:1', version: '1' },
    { given: 'no qualifier', name: 'Aliased', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Aliased', version: '$LATEST' },
  ])('$given', async ({ name, arn, version }) => {
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: emulator().services.AWS_ENDPOINT_URL_LAMBDA, credentials: emulator().credentials });

    const answer = await lambda.send(new InvokeCommand({ FunctionName: name }));

    expect(JSON.parse(JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8')).body)).toEqual({ arn, version });
  });
});
