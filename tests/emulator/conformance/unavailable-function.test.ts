/** Conformance: a route whose function cannot run locally (code on S3, an image, neither Node.js nor Python) answers 500, is reported, and never invokes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';

const uri = (fn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;
const dir = mkdtempSync(join(tmpdir(), 'unavailable-'));
const file = join(dir, 'template.yaml');
writeFileSync(
  file,
  `Resources:
  OnS3:
    Type: AWS::Lambda::Function
    Properties: {Handler: index.handler, Runtime: nodejs20.x, Code: {S3Bucket: b, S3Key: k.zip}}
  Java:
    Type: AWS::Lambda::Function
    Properties: {Handler: example.Handler::handleRequest, Runtime: java21, Code: {ZipFile: "x"}}
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref OnS3, Principal: apigateway.amazonaws.com}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        paths:
          /s3: {get: {x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: ${uri('OnS3')}}}}
          /java: {get: {x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: ${uri('Java')}}}}
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, StageName: v1}
`,
);
const template = await loadTemplate(file);
const invoker = new FakeInProcessInvoker(template);
const logs: string[] = [];
const gateway = createGateway({ api: template.apis[0]!, template, invoker, log: (l) => logs.push(l) });

describe('routes to functions that cannot run locally', () => {
  it.each([
    { path: '/s3', why: /function OnS3: its code is on S3 \(s3:\/\/b\/k\.zip\) and cannot run locally/ },
    { path: '/java', why: /function Java: Runtime java21 cannot run locally \(Node\.js, Python and custom runtimes with a bootstrap only\)/ },
  ])('$path is reported as not emulated and answers 500 without invoking', async ({ path, why }) => {
    const route = gateway.routes.find((r) => r.path === path);

    const got = await gateway.fetch(new Request(`http://localhost/v1${path}`), { remoteAddress: '127.0.0.1', rawHeaders: [] });

    expect(route).toMatchObject({ emulated: false, detail: expect.stringMatching(why) });
    expect(got.status).toBe(500);
    expect(logs.at(-1)).toMatch(why);
    expect(invoker.calls).toEqual([]);
  });
});
