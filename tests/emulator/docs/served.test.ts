/** `/docs` as startEmulator serves it: one page per API port, REST and HTTP APIs of one template, listed at start. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type ServedApi } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/docs/template.yaml', import.meta.url));
const localDir = mkdtempSync(join(tmpdir(), 'docs-served-'));
let emulator: RunningEmulator;
const api = (id: string): ServedApi => emulator.apis.find((a) => a.logicalId === id)!;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, maxConcurrency: 1 });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

describe('/docs with a REST API and HTTP APIs in one template', () => {
  it.each(['ServerlessRestApi', 'FilesApi', 'PlainApi'])('%s has its page on its own port, outside any stage, listed at start', (id) => {
    const served = api(id);

    expect(served.docsUrl).toBe(`http://127.0.0.1:${served.port}/docs`);
    expect(formatStartupReport(emulator, 1)).toContain(`Docs: ${served.docsUrl} (Swagger UI of this API`);
  });

  it.each([
    { id: 'ServerlessRestApi', kind: 'REST', others: ['FilesApi (HTTP)', 'PlainApi (HTTP)'] },
    { id: 'FilesApi', kind: 'HTTP', others: ['ServerlessRestApi (REST)', 'PlainApi (HTTP)'] },
  ])("$id's page shows its document ($kind) and links every other API's page", async ({ id, kind, others }) => {
    const served = api(id);

    const html = await (await fetch(served.docsUrl!)).text();

    expect(html).toContain(`"url":"/docs/${id}.json","name":"${id} (${kind}, ${served.url})"`);
    for (const other of others) {
      const target = api(other.split(' ')[0]!);
      expect(html).toContain(`<a href="${target.docsUrl}">${other}</a>`);
    }
  });

  it.each([
    { id: 'ServerlessRestApi', server: (a: ServedApi) => ({ host: `127.0.0.1:${a.port}`, basePath: '/Prod' }) },
    { id: 'FilesApi', server: (a: ServedApi) => ({ servers: [{ url: `http://127.0.0.1:${a.port}`, description: 'local gateway' }] }) },
    { id: 'PlainApi', server: (a: ServedApi) => ({ servers: [{ url: `http://127.0.0.1:${a.port}/api`, description: 'local gateway' }] }) },
  ])("$id's document targets its local base URL", async ({ id, server }) => {
    const served = api(id);

    const doc = await (await fetch(`http://127.0.0.1:${served.port}/docs/${id}.json`)).json();

    expect(doc).toMatchObject(server(served));
  });

  it("an API's page does not serve another API's document (each page calls its own port only)", async () => {
    const res = await fetch(`http://127.0.0.1:${api('FilesApi').port}/docs/PlainApi.json`);

    expect(res.status).toBe(404);
  });

  it('H3.2 H4.3 "Try it out" on the HTTP document: the greedy route called at the document\'s server with the parameter percent-encoded as Swagger UI sends it, the path handed over decoded', async () => {
    const doc = await (await fetch(`http://127.0.0.1:${api('FilesApi').port}/docs/FilesApi.json`)).json();
    const path = '/files/{proxy+}'.replace('{proxy+}', encodeURIComponent('a/b.txt'));

    const res = await fetch(`${doc.servers[0].url}${path}`);

    expect(doc.paths['/files/{proxy+}'].get.parameters[0].name).toBe('proxy+');
    expect(res.status).toBe(200);
    // H4.3: an HTTP API hands its integration the path percent-decoded, so the encoded slash arrives as one.
    expect(await res.json()).toMatchObject({ path: '/files/a/b.txt' });
  });
});
