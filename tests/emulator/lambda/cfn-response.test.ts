/**
 * Inline code (Code.ZipFile, SAM InlineCode) gets CloudFormation's cfn-response module (emulator/lambda/cfn-response.ts):
 * a custom resource's function, invoked with a Create event as the startup report advises, answers its ResponseURL.
 * The ResponseURL here is a local server standing for CloudFormation's presigned S3 URL (a fake of AWS).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { payload } from './support/outcome.js';

const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
const dir = mkdtempSync(join(tmpdir(), 'cfn-response-'));

const NODE = `const response = require('cfn-response');
exports.handler = (event, context) => { response.send(event, context, response.SUCCESS, { Seeded: 'yes' }, 'seed-1'); };`;
const NODE_ASYNC = `const response = require('cfn-response');
exports.handler = async (event, context) => { await new Promise((done) => { response.send(event, { ...context, done }, response.FAILED, { Why: 'no' }); }); return 'sent'; };`;
const PYTHON = `import cfnresponse
def handler(event, context):
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Seeded": "yes"}, "seed-1", reason="seeded")
    return "sent"`;

const fn = (id: string, runtime: string, code: string) =>
  `  ${id}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: ${runtime}\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: |\n${code.split('\n').map((l) => `          ${l}`).join('\n')}\n`;

/** FAKE of CloudFormation's presigned ResponseURL: records each PUT. */
const received: { method: string; contentType: string | undefined; body: Record<string, unknown> }[] = [];
const server = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> });
    res.end();
  });
});

let service: LocalLambdaService;
let responseUrl: string;

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned?X-Amz-Signature=x`;
  writeFileSync(join(dir, 'template.yaml'), `Resources:\n${fn('NodeSeeder', 'nodejs22.x', NODE)}${fn('NodeAsyncSeeder', 'nodejs22.x', NODE_ASYNC)}${fn('PythonSeeder', 'python3.12', PYTHON)}`);
  service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), { buildDir: BUILD_DIR });
  await service.prepare();
});

afterAll(async () => {
  await service.close();
  server.close();
  rmSync(BUILD_DIR, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const createEvent = (id: string) => ({ RequestType: 'Create', ResponseURL: responseUrl, StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1', RequestId: `req-${id}`, LogicalResourceId: id, ResourceType: 'Custom::Seed', ResourceProperties: {} });

describe('cfn-response for inline code', () => {
  it.each([
    { id: 'NodeSeeder', want: { Status: 'SUCCESS', PhysicalResourceId: 'seed-1', Data: { Seeded: 'yes' }, NoEcho: false } },
    { id: 'NodeAsyncSeeder', want: { Status: 'FAILED', Data: { Why: 'no' }, NoEcho: false } },
    { id: 'PythonSeeder', want: { Status: 'SUCCESS', PhysicalResourceId: 'seed-1', Data: { Seeded: 'yes' }, Reason: 'seeded', NoEcho: false } },
  ])('$id answers its ResponseURL with a PUT of the response document', async ({ id, want }) => {
    const before = received.length;

    const outcome = await service.invoke(id, createEvent(id));

    expect(outcome.kind).toBe('ok');
    expect(received.slice(before)).toEqual([
      { method: 'PUT', contentType: '', body: { ...want, StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1', RequestId: `req-${id}`, LogicalResourceId: id, Reason: want.Reason ?? expect.stringMatching(/^See the details in CloudWatch Log Stream: /), PhysicalResourceId: want.PhysicalResourceId ?? expect.any(String) } },
    ]);
    if (id !== 'NodeSeeder') expect(payload(outcome)).toBe('sent');
  });
});
