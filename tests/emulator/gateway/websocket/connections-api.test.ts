/**
 * The @connections API of a WebSocket API end to end (emulator/gateway/websocket/connections-api.ts) through
 * @aws-sdk/client-apigatewaymanagementapi: PostToConnection, GetConnection, DeleteConnection, GoneException,
 * PayloadTooLargeException, unsigned calls refused; and a function posting over TLS on the API's own port.
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { signedHeaders } from '../../../support/sigv4-signer.js';
import { ask, closed, connect, connectionIdOf, ctx, nextMessage, startWsApp, wsApi, wsRoute, type WsApp } from './support.js';

describe('WebSocket API end to end: the @connections API', () => {
  let app: WsApp;
  let client: ApiGatewayManagementApiClient;
  let httpBase: string;
  const clients: WebSocket[] = [];
  const open = async () => {
    const ws = await connect(app.api().url);
    clients.push(ws);
    return { ws, id: await connectionIdOf(ws) };
  };
  /** The error a call rejects with (fails the test when it resolves). */
  const failure = async (call: Promise<unknown>): Promise<{ name: string; $metadata: { httpStatusCode?: number } }> => {
    const outcome = await call.then(
      () => undefined,
      (error: unknown) => error as { name: string; $metadata: { httpStatusCode?: number } },
    );
    if (!outcome) throw new Error('the call succeeded');
    return outcome;
  };

  beforeAll(async () => {
    app = await startWsApp([wsApi(), wsRoute('ConnectRoute', '$connect'), wsRoute('DisconnectRoute', '$disconnect'), wsRoute('WhoamiRoute', 'whoami', { twoWay: true }), wsRoute('PostRoute', 'post'), wsRoute('PostByIdRoute', 'post-by-id')].join(''));
    httpBase = `http://127.0.0.1:${app.api().port}`;
    const { accessKeyId, secretAccessKey } = app.emulator.credentials;
    client = new ApiGatewayManagementApiClient({ endpoint: `${httpBase}/prod`, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
  });
  afterAll(async () => {
    client?.destroy();
    for (const ws of clients) ws.terminate();
    await app?.close();
  });

  it('WS fact 9: PostToConnection delivers Data to the client as a frame', async () => {
    // Prepare
    const { ws, id } = await open();
    const message = nextMessage(ws);

    // Act
    await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: '{"hello":"world"}' }));

    // Assess
    expect(await message).toBe('{"hello":"world"}');
  });

  it('WS fact 9: an endpoint ending in / (the SDK then sends /<stage>//@connections/<id>) still reaches the connection', async () => {
    // Prepare
    const { ws, id } = await open();
    const message = nextMessage(ws);
    const slashed = new ApiGatewayManagementApiClient({ endpoint: `http://127.0.0.1:${app.api().port}/prod/`, region: 'us-east-1', credentials: app.emulator.credentials });

    // Act
    await slashed.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'slashed' }));

    // Assess
    expect(await message).toBe('slashed');
  });

  it('WS fact 9: GetConnection returns ConnectedAt (Date), Identity.SourceIp and LastActiveAt', async () => {
    // Prepare
    const before = Date.now();
    const { id } = await open();

    // Act
    const out = await client.send(new GetConnectionCommand({ ConnectionId: id }));

    // Assess
    expect(out.ConnectedAt).toBeInstanceOf(Date);
    expect(out.ConnectedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(out.ConnectedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(out.Identity?.SourceIp).toBe('127.0.0.1');
    expect(out.LastActiveAt).toBeInstanceOf(Date);
    expect(out.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(out.ConnectedAt!.getTime());
  });

  it("WS fact 9 / fact 3: DeleteConnection closes the client; $disconnect gets 1000 'Connection Closed Normally'; later calls throw GoneException (410)", async () => {
    // Prepare
    const { ws, id } = await open();
    const closing = closed(ws);

    // Act
    await client.send(new DeleteConnectionCommand({ ConnectionId: id }));

    // Assess
    await closing;
    const event = await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);
    expect(ctx(event)).toMatchObject({ disconnectStatusCode: 1000, disconnectReason: 'Connection Closed Normally' });
    const post = await failure(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'late' })));
    expect(post.name).toBe('GoneException');
    expect(post.$metadata.httpStatusCode).toBe(410);
    const get = await failure(client.send(new GetConnectionCommand({ ConnectionId: id })));
    expect(get.name).toBe('GoneException');
    expect(get.$metadata.httpStatusCode).toBe(410);
  });

  it('WS fact 9: PostToConnection to a connection the client closed → GoneException (410)', async () => {
    // Prepare
    const { ws, id } = await open();
    ws.close(1000, 'bye');
    await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);

    // Act
    const error = await failure(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'late' })));

    // Assess
    expect(error.name).toBe('GoneException');
    expect(error.$metadata.httpStatusCode).toBe(410);
  });

  it('WS fact 9: Data over 131072 bytes → PayloadTooLargeException (413); 131072 bytes is delivered', async () => {
    // Prepare
    const { ws, id } = await open();

    // Act
    const error = await failure(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x'.repeat(131_073) })));
    const message = nextMessage(ws);
    await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'y'.repeat(131_072) }));

    // Assess
    expect(error.name).toBe('PayloadTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    expect((await message).length).toBe(131_072);
  });

  it('WS fact 9: an unsigned plain fetch POST to /<stage>/@connections/<id> → 403 with x-amzn-ErrorType ForbiddenException', async () => {
    // Prepare
    const { ws, id } = await open();
    const received: string[] = [];
    ws.on('message', (data: WebSocket.RawData) => received.push(data.toString()));

    // Act
    const res = await fetch(`${httpBase}/prod/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'unsigned' });

    // Assess
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('ForbiddenException');
    const after = await ask(ws, { action: 'whoami' });
    expect(received).toEqual([after]);
  });

  it('WS fact 9: a signed call on an unknown stage path → 403', async () => {
    // Prepare
    const { id } = await open();
    const { accessKeyId, secretAccessKey } = app.emulator.credentials;
    const other = new ApiGatewayManagementApiClient({ endpoint: `${httpBase}/nostage`, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });

    // Act
    const error = await failure(other.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x' })));
    other.destroy();

    // Assess
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.name).toBe('ForbiddenException');
  });

  it('WS fact 9: an unsigned fetch on an unknown stage path → 403', async () => {
    // Act
    const res = await fetch(`${httpBase}/nostage/@connections/abc`, { method: 'POST', body: 'x' });

    // Assess
    expect(res.status).toBe(403);
  });

  it('WS fact 9: Data over the 10 MB request limit, signed → PayloadTooLargeException (413), not a signature mismatch', async () => {
    // Prepare: the gateway keeps only the first 10 MB + 1 byte, over which the SDK's signature no longer holds.
    const { ws, id } = await open();
    const received: string[] = [];
    ws.on('message', (data: WebSocket.RawData) => received.push(data.toString()));

    // Act
    const error = await failure(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'z'.repeat(10 * 1024 * 1024 + 16) })));

    // Assess
    expect(error.name).toBe('PayloadTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    const after = await ask(ws, { action: 'whoami' });
    expect(received).toEqual([after]);
  });

  it.each([
    { given: 'a stage escape that is no UTF-8', path: '/prod%E0%A4%A/@connections/abc' },
    { given: 'a lone % in the stage', path: '/pr%od/@connections/abc' },
  ])('WS fact 9: an @connections path with $given → 403 ForbiddenException (it names no stage)', async ({ path }) => {
    // Act
    const res = await fetch(`${httpBase}${path}`, { method: 'POST', body: 'x' });

    // Assess
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('ForbiddenException');
  });

  it.each(['%E0%A4%A', 'ab%zz'])('WS fact 9: a signed POST to a connection id %s whose escapes do not decode → GoneException (410)', async (escaped) => {
    // Prepare
    const url = `${httpBase}/prod/@connections/${escaped}`;
    const headers = await signedHeaders({ method: 'POST', url, body: 'x', at: new Date(), credentials: app.emulator.credentials });

    // Act
    const res = await fetch(url, { method: 'POST', body: 'x', headers });

    // Assess
    expect(res.status).toBe(410);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('GoneException');
  });

  it('WS fact 10: a function posting to https://<domainName>/<stage> reaches the client (TLS on the same port), and the !Sub execute-api ENDPOINT is the local http URL', async () => {
    // Prepare
    const { ws } = await open();
    const message = nextMessage(ws);

    // Act
    ws.send(JSON.stringify({ action: 'post' }));

    // Assess
    expect(JSON.parse(await message)).toEqual({ posted: true, endpoint: `http://127.0.0.1:${app.api().port}/prod` });
  });

  it("WS fact 10: a function posting to https://<apiId>.execute-api.<region>.amazonaws.com/<stage> (the API id's host, as simple-websockets-chat-app builds it) reaches the client", async () => {
    // Prepare
    const { ws } = await open();
    const message = nextMessage(ws);

    // Act
    ws.send(JSON.stringify({ action: 'post-by-id' }));

    // Assess
    expect(JSON.parse(await message)).toMatchObject({ posted: true });
  });

  it('WS fact 10: a wss:// client trusting the local certificate (NODE_EXTRA_CA_CERTS) connects on the same port', async () => {
    // Prepare
    const ca = readFileSync(app.emulator.services.NODE_EXTRA_CA_CERTS!);

    // Act
    const ws = await connect(`wss://127.0.0.1:${app.api().port}/prod`, undefined, { ca });
    clients.push(ws);

    // Assess
    expect(await connectionIdOf(ws)).toEqual(expect.any(String));
  });
});
