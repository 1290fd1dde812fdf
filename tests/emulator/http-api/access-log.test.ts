/** H11.5 access logs of an HTTP API stage (AccessLogSettings): one line per request in the request log. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../emulator/gateway/types.js';
import { httpSupportItems } from '../../../emulator/gateway/http/report.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { SAM_TEMPLATE, httpHarness } from './harness.js';

const FORMAT = '{"id":"$context.requestId","route":"$context.routeKey","status":"$context.status","length":"$context.responseLength","path":"$context.path","integration":"$context.integration.status","lambda":"$context.integration.integrationStatus","latency":"$context.integrationLatency","lambdaRequest":"$context.integration.requestId","error":"$context.error.message","sub":"$context.authorizer.claims.sub"}';

const template = await loadTemplate(SAM_TEMPLATE);
const entries: RequestLogEntry[] = [];
const withAccessLog = (logicalId: string) => {
  const plain = template.httpApis.find((a) => a.logicalId === logicalId)!;
  const api = { ...plain, stages: plain.stages.map((s) => ({ ...s, accessLog: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:http-access:*', format: FORMAT } })) };
  return httpHarness(logicalId, SAM_TEMPLATE, { api, onRequest: (entry) => entries.push(entry) });
};
const h = await withAccessLog('ServerlessHttpApi');
// AuthApi has no $default route and no greedy path, so an unknown path really is unrouted.
const auth = await withAccessLog('AuthApi');

const last = (): Record<string, string> => {
  expect(entries.at(-1)?.accessLog?.destination).toBe('http-access');
  return JSON.parse(entries.at(-1)!.accessLog!.line) as Record<string, string>;
};

describe('H11.5 an HTTP API stage`s access log', () => {
  it('a Lambda answer: the request id of apigw-requestid, the route key, status, length and the integration`s figures', async () => {
    // Act
    const got = await h.send({ path: '/pets/dog/7' });

    // Assess
    const line = last();
    expect(line).toMatchObject({ id: got.headers.get('apigw-requestid'), route: 'GET /pets/dog/{id}', status: '200', length: String(Buffer.byteLength(got.text)), path: '/pets/dog/7', integration: '200', lambda: '200', error: '-', sub: '-' });
    expect(line.latency).toMatch(/^\d+$/);
    // The Lambda invocation's own request id.
    expect(line.lambdaRequest).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('H10.1 no route: 404 with error.message, no integration figures', async () => {
    // Act
    const got = await auth.send({ method: 'DELETE', path: '/dev/nothing/here' });

    // Assess
    expect(got.status).toBe(404);
    expect(last()).toMatchObject({ status: '404', error: 'Not Found', integration: '-', lambda: '-', latency: '-', route: '-', lambdaRequest: '-' });
  });

  it('H7.1 a JWT route without a token: 401 Unauthorized logged with the route key, the integration never called', async () => {
    // Act
    const got = await auth.send({ path: '/dev/me' });

    // Assess
    expect(got.status).toBe(401);
    expect(last()).toMatchObject({ status: '401', error: 'Unauthorized', route: 'GET /me', integration: '-', sub: '-' });
  });

  it('a neighbour route on the same API still logs its Lambda answer', async () => {
    // Act
    const got = await auth.send({ path: '/dev/open' });

    // Assess
    expect(got.status).toBe(200);
    expect(last()).toMatchObject({ status: '200', route: 'ANY /open', integration: '200', error: '-' });
  });
});

describe('H11.5 access log settings in HTTP API templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'http-access-log-'));
  const load = (props: string[]) => {
    const file = join(dir, `t${props.length}.yaml`);
    writeFileSync(file, ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', ...props].join('\n'));
    return loadTemplate(file);
  };

  it('SAM AccessLogSettings reach the stage and the report lists them EMULATED', async () => {
    const loaded = await load(['      AccessLogSettings: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:g, Format: "$context.requestId" }']);
    const served = loaded.httpApis[0]!;
    expect(served.stages[0]?.accessLog).toEqual({ destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g', format: '$context.requestId' });
    expect(served.notes).toContainEqual(expect.objectContaining({ subject: 'AccessLogSettings', status: 'emulated' }));
  });

  it('never silent: variables the gateway never fills in are named in the report, IGNORED', async () => {
    const loaded = await load(['      AccessLogSettings: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:g, Format: "$context.requestId $context.authorizer.error $context.integration.requestId" }', '      # (two property lines: a file of its own)']);

    const items = httpSupportItems(loaded.httpApis[0]!).filter((s) => s.subject === 'access log variables');

    expect(items).toEqual([expect.objectContaining({ status: 'ignored', detail: 'printed - in every line, not filled in locally: $context.authorizer.error; $context.integration.requestId is filled for Lambda integrations only (- for the others)' })]);
  });

  it('neighbour: settings without a Format log nothing and say so', async () => {
    const loaded = await load(['      StageName: dev', '      AccessLogSettings: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:g }']);
    const served = loaded.httpApis[0]!;
    expect(served.stages[0]).not.toHaveProperty('accessLog');
    expect(served.notes).toContainEqual(expect.objectContaining({ subject: 'AccessLogSettings', status: 'ignored', detail: expect.stringContaining('no Format') }));
  });
});
