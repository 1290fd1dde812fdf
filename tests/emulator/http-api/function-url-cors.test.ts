/**
 * A function URL's Cors with `AllowOrigins: ['*']` and `AllowCredentials: true`. API Gateway v2 refuses that pair
 * (H9.5, tests/emulator/template/http-apis.test.ts), Lambda does not: its Cors type (Lambda API reference, "Cors",
 * https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html) puts no constraint between the two fields, and
 * deployed projects use it. A browser refuses `Access-Control-Allow-Origin: *` with credentials, so such a URL answers
 * an allowed request's own origin, with `Access-Control-Allow-Credentials: true`; a request without Origin gets no
 * CORS headers (H9.2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { httpHarness } from './harness.js';

const FUNCTIONS = resolve('tests/emulator/fixtures/http-api/functions');
const dir = mkdtempSync(join(tmpdir(), 'function-url-cors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const template = join(dir, 'template.yaml');
writeFileSync(
  template,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    `  Function: { CodeUri: '${FUNCTIONS}', Runtime: nodejs22.x }`,
    'Resources:',
    '  Echo:',
    '    Type: AWS::Serverless::Function',
    "    Properties: { Handler: echo.handler, FunctionUrlConfig: { AuthType: NONE, Cors: { AllowOrigins: ['*'], AllowCredentials: true, AllowMethods: [GET, POST] } } }",
    `  Plain: { Type: AWS::Lambda::Function, Properties: { Handler: echo.handler, Runtime: nodejs22.x, Code: '${FUNCTIONS}', Role: arn:aws:iam::123456789012:role/r } }`,
    "  PlainUrl: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Plain.Arn, AuthType: AWS_IAM, Cors: { AllowOrigins: ['*'], AllowCredentials: true } } }",
  ].join('\n'),
);

describe('a function URL with Cors AllowOrigins * and AllowCredentials true', () => {
  it.each(['EchoUrl', 'PlainUrl'])('H9.5 neighbour: %s is served, not refused as an HTTP API would be', async (url) => {
    // Act
    const loaded = await loadTemplate(template);

    // Assess
    expect(loaded.httpApis.map((a) => a.logicalId)).toContain(url);
    expect((loaded.notEmulated ?? []).filter((n) => n.includes(url.replace(/Url$/, '')))).toEqual([]);
  });

  it.each([
    {
      given: 'a preflight from https://app.example',
      request: { method: 'OPTIONS', headers: [['origin', 'https://app.example'], ['access-control-request-method', 'POST']] as [string, string][] },
      want: { status: 204, origin: 'https://app.example', credentials: 'true' },
    },
    {
      given: 'a GET from http://localhost:5173',
      request: { method: 'GET', headers: [['origin', 'http://localhost:5173']] as [string, string][] },
      want: { status: 200, origin: 'http://localhost:5173', credentials: 'true' },
    },
    {
      given: 'a GET without Origin',
      request: { method: 'GET', headers: [] as [string, string][] },
      want: { status: 200, origin: null, credentials: null },
    },
  ])('H9.2/H9.5 neighbour: $given answers Allow-Origin $want.origin, Allow-Credentials $want.credentials', async ({ request, want }) => {
    // Prepare
    const h = await httpHarness('EchoUrl', template);

    // Act
    const got = await h.send({ ...request, path: '/' });

    // Assess
    expect(got.status).toBe(want.status);
    expect(got.headers.get('access-control-allow-origin')).toBe(want.origin);
    expect(got.headers.get('access-control-allow-credentials')).toBe(want.credentials);
  });
});
