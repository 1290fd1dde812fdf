/** startEmulator (emulator/app.ts): what a start that cannot go on leaves behind. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayEndpoints, startEmulator, StrictModeError } from '../../emulator/app.js';
import { formatStartupReport } from '../../emulator/report.js';
import { TemplateError } from '../../emulator/template/model.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('startEmulator', () => {
  it('a template path that does not exist is a TemplateError, and no local state is written beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    const templatePath = join(dir, 'nested', 'template.yaml');

    const started = startEmulator({ templatePath, port: 0 });

    await expect(started).rejects.toBeInstanceOf(TemplateError);
    expect(existsSync(join(dir, 'nested'))).toBe(false);
  });

  it.each([
    { given: 'a template that does not parse', text: 'Resources: [unclosed\n' },
    { given: 'a template with no API', text: 'Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties: {}\n' },
  ])('$given: the start fails and leaves nothing running (the services thread it had started is stopped)', async ({ text }) => {
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'template.yaml'), text);
    const script = join(dir, 'start.mjs');
    // The process ends by itself only if no thread, server or timer is left behind.
    writeFileSync(script, `const { startEmulator } = await import(process.argv[2]);
await startEmulator({ templatePath: process.argv[3], port: 0, log: () => {} }).then(() => console.log('started'), (e) => console.log('failed: ' + e.name));
`);

    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script, join(import.meta.dirname, '../../emulator/dist/app.js'), join(dir, 'template.yaml')], { timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
    });

    expect(out.trim()).toBe('failed: TemplateError');
  });
});

describe('a function that does not build', () => {
  it('fails its own requests only: the API starts, the other functions answer, the report says which did not build and why', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'good.ts'), 'export const handler = async () => ({ statusCode: 200, body: "good" });\n');
    writeFileSync(join(dir, 'broken.ts'), 'import fetch from "a-package-not-installed";\nexport const handler = async () => ({ statusCode: 200, body: String(fetch) });\n');
    const fn = (id: string, file: string, path: string) =>
      `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: ${file}.handler\n      CodeUri: .\n      Events: {Get: {Type: Api, Properties: {Path: ${path}, Method: get}}}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [${file}.ts], Format: esm}}\n`;
    writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn('Good', 'good', '/good')}${fn('Broken', 'broken', '/broken')}`);
    const logs: string[] = [];

    // Act
    const emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: (l) => logs.push(l), onRequest: () => {} });
    try {
      const [good, broken] = await Promise.all([fetch(`${emulator.apis[0]!.url}/good`), fetch(`${emulator.apis[0]!.url}/broken`)]);

      // Assess
      expect([good.status, await good.text()]).toEqual([200, 'good']);
      expect(broken.status).toBe(502);
      expect(emulator.functionNotes).toEqual([expect.stringMatching(/^Broken: did not build, its requests fail \(502 on a REST API and a function URL, 500 on an HTTP API\): .*Resources\.Broken: esbuild failed: .*Could not resolve "a-package-not-installed"/)]);
      expect(logs).toContainEqual(expect.stringMatching(/Broken: the local Lambda service failed: .*esbuild failed/));
    } finally {
      await emulator.close();
    }
  });
});

/** A project of two esbuild functions, Good and Broken (its dependency not installed), each on a REST route and a function URL. */
function goodAndBroken(): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'good.ts'), 'export const handler = async () => ({ statusCode: 200, body: "good" });\n');
  writeFileSync(join(dir, 'broken.ts'), 'import fetch from "a-package-not-installed";\nexport const handler = async () => ({ statusCode: 200, body: String(fetch) });\n');
  const fn = (id: string, file: string) =>
    `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: ${file}.handler\n      CodeUri: .\n      FunctionUrlConfig: {AuthType: NONE}\n      Events: {Get: {Type: Api, Properties: {Path: /${file}, Method: get}}}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [${file}.ts], Format: esm}}\n`;
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn('Good', 'good')}${fn('Broken', 'broken')}`);
  return dir;
}

/** The start report of the project in `dir`, the gateway closed once it is written. */
async function startReportOf(dir: string): Promise<string> {
  const emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: () => {}, onRequest: () => {} });
  try {
    return formatStartupReport(emulator, 1);
  } finally {
    await emulator.close();
  }
}

describe('the start report of a function that does not build (never fail silently: nothing that will not work is said EMULATED)', () => {
  it('lists its routes and its resource NOT EMULATED with the build`s error; the function that built stays emulated', async () => {
    // Prepare
    const dir = goodAndBroken();

    // Act
    const report = await startReportOf(dir);

    // Assess
    const lines = report.split('\n');
    const routes = (fn: string) => lines.filter((l) => l.endsWith(`-> ${fn}`) || l.includes(`-> ${fn} (`)).map((l) => l.trim().slice(0, 12).trim());
    expect(routes('Good')).toEqual(['emulated', 'emulated']);
    expect(routes('Broken')).toEqual(['NOT EMULATED', 'NOT EMULATED']);
    expect(lines.filter((l) => l.includes('-> Broken'))).toEqual(Array(2).fill(expect.stringMatching(/\(function Broken did not build: .*Resources\.Broken: esbuild failed: .*Could not resolve "a-package-not-installed"\)$/)));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}EMULATED {5}AWS::Serverless::Function: Good$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED AWS::Serverless::Function: Broken - did not build, its requests fail .*esbuild failed/));
  });

  it('a route of the root stack that invokes a nested stack`s function that did not build is NOT EMULATED too, with the build`s error', async () => {
    // Prepare: the nested stack's function reaches the root's API through an Output, as modules of one app do.
    const dir = goodAndBroken();
    mkdirSync(join(dir, 'module'));
    writeFileSync(join(dir, 'module', 'broken.ts'), 'import fetch from "a-package-not-installed";\nexport const handler = async () => String(fetch);\n');
    writeFileSync(join(dir, 'module', 'template.yaml'), 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Inner:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: broken.handler, CodeUri: .}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [broken.ts], Format: esm}}\nOutputs:\n  InnerArn: {Value: !GetAtt Inner.Arn}\n');
    const uri = "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Module.Outputs.InnerArn}/invocations'";
    writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n  Module:\n    Type: AWS::Serverless::Application\n    Properties: {Location: ./module/template.yaml}\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: '3.0.1'\n        paths:\n          /inner:\n            get:\n              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: ${uri}}\n`);

    // Act
    const report = await startReportOf(dir);

    // Assess
    expect(report.split('\n').filter((l) => l.includes('/inner'))).toEqual([expect.stringMatching(/^ {2}NOT EMULATED GET +\/inner .*-> Module\/Inner \(function Module\/Inner did not build: .*esbuild failed: .*Could not resolve "a-package-not-installed"\)$/)]);
  });

  it('--strict refuses to start, naming the function and its routes', async () => {
    // Prepare
    const dir = goodAndBroken();

    // Act
    const started = startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), strict: true, log: () => {}, onRequest: () => {} });

    // Assess
    const error = await started.then(
      async (emulator) => {
        await emulator.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrictModeError);
    expect((error as Error).message).toMatch(/Resources\.Broken \(AWS::Serverless::Function\): did not build/);
    expect((error as Error).message).not.toMatch(/Good/);
  });
});

describe('an HTTP integration to the execute-api URL of an API the template also declares', () => {
  it('reaches that API served locally (same stage, path and query), whichever API is served first', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    const proxy = (uri: string) => `x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: !Sub '${uri}'}`;
    const api = (id: string, paths: string[]) => [`  ${id}:`, '    Type: AWS::Serverless::Api', '    Properties:', '      StageName: prod', '      DefinitionBody:', '        openapi: 3.0.1', `        info: {title: ${id}, version: "1"}`, '        paths:', ...paths.map((p) => `          ${p}`)];
    writeFileSync(
      join(dir, 'template.yaml'),
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        ...api('Front', [
          '/to-back:',
          `  get: {${proxy('https://${Back}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod/hello?from=front')}}`,
        ]),
        ...api('Back', ['/hello:', '  get:', '    x-amazon-apigateway-integration:', '      type: mock', "      requestTemplates: {application/json: '{\"statusCode\": 200}'}", '      responses:', '        default:', "          statusCode: '200'", '          responseTemplates:', "            application/json: '{\"from\": \"$input.params(''from'')\"}'"]),
      ].join('\n'),
    );

    // Act
    const emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: () => {}, onRequest: () => {} });
    try {
      const front = emulator.apis.find((a) => a.logicalId === 'Front')!;
      const reached = await fetch(`${front.url}/to-back`);

      // Assess
      expect([reached.status, await reached.json()]).toEqual([200, { from: 'front' }]);
    } finally {
      await emulator.close();
    }
  });
});

describe('where the gateways send SQS, EventBridge, SNS and SSM integrations ([AMBIGUOUS] choice, emulator/services/README.md "SQS")', () => {
  const EMBEDDED = 'http://127.0.0.1:4000';

  it.each([
    { service: 'SQS', given: 'nothing configured', user: {}, want: EMBEDDED },
    { service: 'SQS', given: 'the user`s AWS_ENDPOINT_URL_SQS', user: { AWS_ENDPOINT_URL_SQS: 'http://localhost:4566' }, want: 'http://localhost:4566' },
    { service: 'SQS', given: 'only the user`s AWS_ENDPOINT_URL (the template`s queues stay local)', user: { AWS_ENDPOINT_URL: 'http://localhost:4566' }, want: EMBEDDED },
    { service: 'EVENTBRIDGE', given: 'nothing configured', user: {}, want: EMBEDDED },
    { service: 'EVENTBRIDGE', given: 'the user`s AWS_ENDPOINT_URL_EVENTBRIDGE', user: { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://localhost:4566' }, want: 'http://localhost:4566' },
    { service: 'SNS', given: 'nothing configured', user: {}, want: EMBEDDED },
    { service: 'SNS', given: 'the user`s AWS_ENDPOINT_URL_SNS', user: { AWS_ENDPOINT_URL_SNS: 'http://localhost:4566' }, want: 'http://localhost:4566' },
    { service: 'SSM', given: 'nothing configured (the template`s parameters are local)', user: {}, want: EMBEDDED },
    { service: 'SSM', given: 'the user`s AWS_ENDPOINT_URL_SSM', user: { AWS_ENDPOINT_URL_SSM: 'http://localhost:4566' }, want: 'http://localhost:4566' },
  ])('$service: $given -> $want', ({ service, user, want }) => {
    const endpoints = gatewayEndpoints({ serviceEndpoints: user }, { sqsUrl: EMBEDDED, eventBridgeUrl: EMBEDDED, snsUrl: EMBEDDED, ssmUrl: EMBEDDED });

    expect(endpoints[`AWS_ENDPOINT_URL_${service}`]).toBe(want);
    expect(endpoints.AWS_ENDPOINT_URL).toBe((user as Record<string, string>).AWS_ENDPOINT_URL);
  });
});
