/**
 * An integration or authorizer URI naming a Lambda function ARN the template lacks (another stack's function): AWS
 * deploys it, so the route is reported NOT EMULATED (nothing local runs that function) and the other routes are served.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { checkIntegrationUris, loadTemplate } from '../../../emulator/template/load.js';
import { functionOutsideTemplate } from '../../../emulator/template/uris.js';

const dir = mkdtempSync(join(tmpdir(), 'outside-fn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OUTSIDE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:OtherStackFn';
const uri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;
const LOCAL = "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'";
const integration = (target: string) => `{type: aws_proxy, httpMethod: POST, payloadFormatVersion: '2.0', uri: ${target}}`;

const FUNCTION_AND_PERMISSION = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Code: ${resolve('tests/emulator/fixtures/sam-shapes/src')}, Handler: app.handler, Runtime: nodejs22.x, Role: arn:aws:iam::123456789012:role/r}
  Invoke:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com}
`;

function template(name: string, outside: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `${FUNCTION_AND_PERMISSION}  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionBody:
        openapi: '3.0.1'
        info: {title: rest, version: '1'}
        paths:
          /local: {get: {x-amazon-apigateway-integration: ${integration(LOCAL)}}}
          /outside: {get: {x-amazon-apigateway-integration: ${integration(outside)}}}
          /guarded: {get: {security: [{Other: []}], x-amazon-apigateway-integration: ${integration(LOCAL)}}}
        components:
          securitySchemes:
            Other: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom, x-amazon-apigateway-authorizer: {type: token, authorizerUri: ${outside}}}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        info: {title: http, version: '1'}
        paths:
          /local: {get: {x-amazon-apigateway-integration: ${integration(LOCAL)}}}
          /outside: {get: {x-amazon-apigateway-integration: ${integration(outside)}}}
`,
  );
  return file;
}

describe('a URI naming a Lambda function outside the template', () => {
  const file = template('outside', `'${uri(OUTSIDE_ARN)}'`);

  it('is not refused at start; each such route is NOT EMULATED and answers 500, every other route is served', async () => {
    // Act
    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'served'), log: () => undefined });
    try {
      const rest = emulator.apis.find((a) => a.logicalId === 'Rest')!;
      const http = emulator.apis.find((a) => a.logicalId === 'Http')!;
      const [restLocal, restOutside, restGuarded, httpLocal, httpOutside] = await Promise.all([
        fetch(`${rest.url}/local`),
        fetch(`${rest.url}/outside`),
        fetch(`${rest.url}/guarded`, { headers: { authorization: 'x' } }),
        fetch(`${http.url}/local`),
        fetch(`${http.url}/outside`),
      ]);
      const report = formatStartupReport(emulator, 1);

      // Assess
      expect([restLocal.status, restOutside.status, restGuarded.status, httpLocal.status, httpOutside.status]).toEqual([200, 500, 500, 200, 500]);
      expect(rest.routes.filter((r) => !r.emulated).map((r) => r.path)).toEqual(['/outside', '/guarded']);
      expect(http.routes.filter((r) => !r.emulated).map((r) => r.path)).toEqual(['/outside']);
      expect(report).toMatch(new RegExp(`NOT EMULATED +GET +/outside.*integration uri names ${OUTSIDE_ARN}, no AWS::Serverless::Function or AWS::Lambda::Function of the template: the function is outside it, nothing local runs it`));
      expect(report).toMatch(/NOT EMULATED +GET +\/guarded.*invokes no function of the template/);
    } finally {
      await emulator.close();
    }
  });

  it('--strict refuses to start, naming the routes', async () => {
    // Act
    const started = startEmulator({ templatePath: file, port: 0, strict: true, localDir: join(dir, 'strict'), log: () => undefined });

    // Assess
    await expect(started).rejects.toThrow(StrictModeError);
    await expect(started).rejects.toThrow(/OtherStackFn/);
  });

  it.each([
    { given: 'a function ARN of another stack', target: `'${uri(OUTSIDE_ARN)}'`, want: [] as string[] },
    { given: 'a qualified function ARN of another stack', target: `'${uri(`${OUTSIDE_ARN}:live`)}'`, want: [] as string[] },
    { given: 'no Lambda function ARN', target: `'${uri('OtherStackFn')}'`, want: ['names no AWS::Serverless::Function or AWS::Lambda::Function of ', 'nor a Lambda function ARN'] },
  ])('the start check with $given: refused only when no ARN of a function', async ({ target, want }) => {
    // Prepare
    const loaded = await loadTemplate(template(`check-${want.length}-${target.length}`, target));

    // Act
    const errors = checkIntegrationUris(loaded).map((e) => e.message);

    // Assess: the REST integration, the REST authorizer and the HTTP integration naming it
    expect(errors).toHaveLength(want.length === 0 ? 0 : 3);
    for (const error of errors) for (const part of want) expect(error).toContain(part);
  });
});

describe('why a Lambda-form URI invokes no function here, for its NOT EMULATED route', () => {
  it.each([
    { given: "another stack's function", uri: uri(OUTSIDE_ARN), want: `integration uri names ${OUTSIDE_ARN}, no AWS::Serverless::Function or AWS::Lambda::Function of the template: the function is outside it, nothing local runs it` },
    {
      given: 'a mistyped Invoke API version (AbhijeetAayush/shared-wishlist: path/2015-31/functions/...)',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Fn/invocations',
      want: 'integration uri arn:aws:apigateway:us-east-1:lambda:path/2015-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Fn/invocations is no Lambda Invoke path (lambda:path/2015-03-31/functions/<function ARN>/invocations): it invokes no function',
    },
  ])('$given', ({ uri: given, want }) => {
    expect(functionOutsideTemplate(given)).toBe(want);
  });
});

describe('a URI that names no Lambda function ARN at all (API Gateway refuses to create that API)', () => {
  const BAD = `'${uri('OtherStackFn')}'`;

  function twoApis(name: string, bad: string): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `${FUNCTION_AND_PERMISSION}  Broken:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionBody:
        openapi: '3.0.1'
        info: {title: broken, version: '1'}
        paths:
          /local: {get: {security: [{Custom: []}], x-amazon-apigateway-integration: ${integration(LOCAL)}}}
        components:
          securitySchemes:
            Custom: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom, x-amazon-apigateway-authorizer: {type: token, authorizerUri: ${bad}}}
  Fine:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        info: {title: fine, version: '1'}
        paths:
          /local: {get: {x-amazon-apigateway-integration: ${integration(LOCAL)}}}
`,
    );
    return file;
  }

  it('costs that API only: reported NOT EMULATED with the URI, the template`s other API served', async () => {
    // Prepare
    const file = twoApis('one-bad', BAD);

    // Act
    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'one-bad'), log: () => undefined });
    try {
      const report = formatStartupReport(emulator, 1);
      const fine = emulator.apis.find((a) => a.logicalId === 'Fine')!;
      const got = await fetch(`${fine.url}/local`);

      // Assess
      expect(emulator.apis.map((a) => a.logicalId)).toEqual(['Fine']);
      expect(got.status).toBe(200);
      expect(report).toMatch(/NOT EMULATED .*authorizerUri: \S+functions\/OtherStackFn\/invocations names no AWS::Serverless::Function or AWS::Lambda::Function/);
      expect(report).toContain('API Broken is not served');
    } finally {
      await emulator.close();
    }
  });

  it('--strict refuses the template, naming the URI', async () => {
    const started = startEmulator({ templatePath: twoApis('one-bad-strict', BAD), port: 0, strict: true, localDir: join(dir, 'one-bad-strict'), log: () => undefined });

    await expect(started).rejects.toThrow(StrictModeError);
    await expect(started).rejects.toThrow(/API Broken is not served/);
  });

  it('a template whose every API is refused so is an error that gives the reason', async () => {
    // Prepare: the HTTP API's integration names no function either
    const file = twoApis('all-bad', BAD);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`/local: {get: {x-amazon-apigateway-integration: ${integration(LOCAL)}}}\n`, `/local: {get: {x-amazon-apigateway-integration: ${integration(BAD)}}}\n`));

    // Act
    const started = startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'all-bad'), log: () => undefined });

    // Assess
    await expect(started).rejects.toThrow(/no API to serve[\s\S]*API Broken is not served[\s\S]*API Fine is not served/);
  });

  it('neighbour: the same template with a function ARN of another stack serves both APIs', async () => {
    const emulator = await startEmulator({ templatePath: twoApis('one-outside', `'${uri(OUTSIDE_ARN)}'`), port: 0, localDir: join(dir, 'one-outside'), log: () => undefined });
    try {
      expect(emulator.apis.map((a) => a.logicalId).sort()).toEqual(['Broken', 'Fine']);
    } finally {
      await emulator.close();
    }
  });
});
