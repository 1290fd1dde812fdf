/**
 * WebSocket APIs end to end (emulator/gateway/websocket/gateway.ts through startEmulator): the $connect, MESSAGE and
 * $disconnect events as AWS sends them, route selection, one-way and two-way routes, the error frames, handshake
 * refusals and the 128 KB message limit. A real `ws` client talks to the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { connect as netConnect } from 'node:net';
import { ask, closed, connect, connectionIdOf, ctx, handshakeStatus, nextMessage, sendFragmented, serverFrames, startWsApp, wsApi, wsRoute, type WsApp } from './support.js';

const CLF = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;
const ERROR_FRAME = (message: string) => new RegExp(`^\\{"message": "${message}", "connectionId":"([^"]+)", "requestId":"([^"]+)"\\}$`);

describe('WebSocket API end to end: connect, messages, disconnect', () => {
  let app: WsApp;
  let url: string;
  const clients: WebSocket[] = [];
  const open = async (suffix = '', protocols?: string[], headers?: Record<string, string>) => {
    const ws = await connect(`${url}${suffix}`, protocols, headers ? { headers } : {});
    clients.push(ws);
    return ws;
  };

  beforeAll(async () => {
    app = await startWsApp(
      [
        wsApi(),
        wsRoute('ConnectRoute', '$connect'),
        wsRoute('DisconnectRoute', '$disconnect'),
        wsRoute('DefaultRoute', '$default'),
        wsRoute('OneWayRoute', 'oneway'),
        wsRoute('BoomRoute', 'boom'),
        wsRoute('WhoamiRoute', 'whoami', { twoWay: true }),
        wsRoute('EchoRoute', 'echo', { twoWay: true }),
        wsRoute('StatusRoute', 'status', { twoWay: true }),
        wsApi('NoDefaultApi'),
        wsRoute('KnownRoute', 'known', { api: 'NoDefaultApi' }),
      ].join(''),
    );
    url = app.api().url;
  });
  afterAll(async () => {
    for (const ws of clients) ws.terminate();
    await app?.close();
  });

  it('serves the API on ws://127.0.0.1:<port>/<stage>', () => {
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/prod$/);
  });

  it('WS fact 1: the $connect event carries the handshake headers in client casing (no Connection/Upgrade), the query and the requestContext', async () => {
    // Prepare / Act
    const ws = await open('?a=1&b=x&b=y', undefined, { 'X-Custom-Header': 'v1' });
    const id = await connectionIdOf(ws);

    // Assess
    const event = app.events().find((e) => ctx(e).eventType === 'CONNECT' && ctx(e).connectionId === id)!;
    expect(event).toBeDefined();
    const headers = event.headers as Record<string, string>;
    expect(headers['X-Custom-Header']).toBe('v1');
    expect(headers.Host).toBe(new URL(url).host);
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('connection');
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('upgrade');
    expect((event.multiValueHeaders as Record<string, string[]>)['X-Custom-Header']).toEqual(['v1']);
    expect(event.queryStringParameters).toEqual({ a: '1', b: 'y' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1'], b: ['x', 'y'] });
    expect(event.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('body');
    const rc = ctx(event);
    expect(rc).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT', messageDirection: 'IN', stage: 'prod', connectionId: id, apiId: app.emulator.template.websocketApis?.find((a) => a.logicalId === 'WsApi')?.apiId, domainName: new URL(url).host });
    expect(rc.connectedAt).toEqual(expect.any(Number));
    expect(rc.requestTimeEpoch).toEqual(expect.any(Number));
    expect(rc.requestTime).toMatch(CLF);
    expect(rc.requestId).toEqual(expect.any(String));
    expect(rc.extendedRequestId).toBe(rc.requestId);
    expect((rc.identity as Record<string, unknown>).sourceIp).toBe('127.0.0.1');
  });

  it('WS fact 1: without a query string the $connect event has no queryStringParameters', async () => {
    // Prepare / Act
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Assess
    const event = app.events().find((e) => ctx(e).eventType === 'CONNECT' && ctx(e).connectionId === id)!;
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('multiValueQueryStringParameters');
  });

  it('WS fact 2: a MESSAGE event has eventType MESSAGE, the selected routeKey, a messageId, the frame text as body and no headers', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);
    const frame = JSON.stringify({ action: 'echo', n: 1 });

    // Act
    const answer = await ask(ws, frame);

    // Assess
    expect(answer).toBe(`echo:${frame}`);
    const event = app.events().find((e) => ctx(e).connectionId === id && e.body === frame)!;
    expect(ctx(event)).toMatchObject({ eventType: 'MESSAGE', routeKey: 'echo', messageDirection: 'IN', stage: 'prod', connectionId: id, messageId: expect.any(String) });
    expect(ctx(event).requestTime).toMatch(CLF);
    expect(event).not.toHaveProperty('headers');
    expect(event).not.toHaveProperty('multiValueHeaders');
    expect(event.isBase64Encoded).toBe(false);
  });

  it.each([
    { given: 'a non-JSON message', frame: 'hello, not json' },
    { given: 'JSON without action', frame: '{"other":1}' },
    { given: 'an unknown action', frame: '{"action":"nope"}' },
  ])('WS fact 4: $given goes to the default route', async ({ frame }) => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Act
    ws.send(frame);

    // Assess
    const event = await app.waitForEvent((e) => ctx(e).connectionId === id && e.body === frame);
    expect(ctx(event).routeKey).toBe('$default');
  });

  it.each(['$connect', '$disconnect'])('WS fact 4: a message whose action is %s goes to the default route (those routes run only on the handshake and the close)', async (action) => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);
    const frame = JSON.stringify({ action });
    const connects = app.events().filter((e) => ctx(e).eventType === 'CONNECT').length;

    // Act
    ws.send(frame);

    // Assess
    const event = await app.waitForEvent((e) => ctx(e).connectionId === id && e.body === frame);
    expect(ctx(event)).toMatchObject({ routeKey: '$default', eventType: 'MESSAGE' });
    expect(app.events().filter((e) => ctx(e).eventType === 'CONNECT').length).toBe(connects);
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('WS fact 4: $request.body.action selects the route named by action', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);
    const frame = JSON.stringify({ action: 'oneway', x: 1 });

    // Act
    ws.send(frame);

    // Assess
    const event = await app.waitForEvent((e) => ctx(e).connectionId === id && e.body === frame);
    expect(ctx(event).routeKey).toBe('oneway');
  });

  it('WS fact 4: no route and no $default → Forbidden frame {"message": "Forbidden", "connectionId":..., "requestId":...}, the connection stays open', async () => {
    // Prepare
    const other = await connect(app.api('NoDefaultApi').url);
    clients.push(other);

    // Act
    const first = await ask(other, '{"action":"unknown"}');
    const second = await ask(other, 'not json');

    // Assess
    const [, connectionId, requestId] = ERROR_FRAME('Forbidden').exec(first) ?? [];
    expect(first).toMatch(ERROR_FRAME('Forbidden'));
    expect(connectionId).toEqual(expect.any(String));
    expect(requestId).toEqual(expect.any(String));
    expect(second).toMatch(ERROR_FRAME('Forbidden'));
    expect(ERROR_FRAME('Forbidden').exec(second)?.[1]).toBe(connectionId);
    expect(ERROR_FRAME('Forbidden').exec(second)?.[2]).not.toBe(requestId);
    expect(other.readyState).toBe(other.OPEN);
  });

  it('WS fact 5: one-way route (no RouteResponse): the returned body is not sent to the client', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);
    const received: string[] = [];
    ws.on('message', (data: WebSocket.RawData) => received.push(data.toString()));
    const frame = JSON.stringify({ action: 'oneway', marker: 'one-way' });

    // Act
    ws.send(frame);
    await app.waitForEvent((e) => ctx(e).connectionId === id && e.body === frame);
    // A two-way message after it: frames arrive in order, so anything the one-way route sent would come first.
    const after = await ask(ws, { action: 'whoami' });

    // Assess
    expect(received).toEqual([after]);
  });

  it('WS fact 5: two-way route (RouteResponse $default): the returned body string is sent as a frame', async () => {
    // Prepare
    const ws = await open();

    // Act
    const answer = await ask(ws, '{"action":"echo"}');

    // Assess
    expect(answer).toBe('echo:{"action":"echo"}');
  });

  it('WS fact 6: a function that throws on a message route → {"message": "Internal server error", "connectionId":..., "requestId":...}', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Act
    const answer = await ask(ws, '{"action":"boom"}');

    // Assess
    expect(answer).toMatch(ERROR_FRAME('Internal server error'));
    expect(ERROR_FRAME('Internal server error').exec(answer)?.[1]).toBe(id);
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it.each([401, 400])('WS fact 7: $connect returning {statusCode: %i} refuses the handshake with that status', async (status) => {
    // Act / Assess
    expect(await handshakeStatus(`${url}?status=${status}`)).toBe(status);
  });

  it.each([
    { given: 'a statusCode that is no number (null)', status: 'abc' },
    { given: 'statusCode 99', status: '99' },
    { given: 'statusCode 600', status: '600' },
    { given: 'statusCode 101 (only the gateway switches protocols)', status: '101' },
    { given: 'statusCode 150', status: '150' },
  ])('WS fact 7: the connect route answering $given refuses the handshake with 502 (a malformed proxy result)', async ({ status }) => {
    // Act / Assess
    expect(await handshakeStatus(`${url}?status=${status}`)).toBe(502);
  });

  it('WS fact 7: the connect route answering statusCode 500 refuses with 500 (the neighbour that is an HTTP status)', async () => {
    // Act / Assess
    expect(await handshakeStatus(`${url}?status=500`)).toBe(500);
  });

  it('WS fact 7: $connect throwing → 502', async () => {
    // Act / Assess
    expect(await handshakeStatus(`${url}?throw=1`)).toBe(502);
  });

  it("WS fact 7: $connect returning headers {'Sec-WebSocket-Protocol': 'chat'} while the client offers ['chat','other'] → ws.protocol is 'chat'", async () => {
    // Act
    const ws = await open('?protocol=chat', ['chat', 'other']);

    // Assess
    expect(ws.protocol).toBe('chat');
  });

  it('WS fact 3: DISCONNECT event after ws.close(1000, "bye"): the fixed headers, disconnectStatusCode 1000 and disconnectReason "bye"', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Act
    ws.close(1000, 'bye');

    // Assess
    const event = await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);
    expect(event.headers).toEqual({ Host: new URL(url).host, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' });
    expect(ctx(event)).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 1000, disconnectReason: 'bye', connectionId: id });
    expect(event.isBase64Encoded).toBe(false);
  });

  it("WS fact 3: ws.close() with no code → disconnectStatusCode 1005, disconnectReason 'Client-side close frame status not set'", async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Act
    ws.close();

    // Assess
    const event = await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);
    expect(ctx(event)).toMatchObject({ disconnectStatusCode: 1005, disconnectReason: 'Client-side close frame status not set' });
  });

  it('WS fact 11: a message over 128 KB (131072 bytes), in frames of 32 KB, closes the connection with 1009', async () => {
    // Prepare
    const ws = await open();
    const closing = closed(ws);

    // Act
    sendFragmented(ws, 'x'.repeat(131_073));

    // Assess
    expect((await closing).code).toBe(1009);
  });

  it("WS fact 3 / fact 11: the close for a message over 128 KB is what $disconnect reports (1009), not the client's answer", async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Act
    sendFragmented(ws, 'x'.repeat(131_073));

    // Assess
    const event = await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);
    expect(ctx(event)).toMatchObject({ disconnectStatusCode: 1009, disconnectReason: 'Message too big' });
  });

  it('WS fact 11 (32 KB frames): one frame of 32769 bytes, a message well under 128 KB, closes the connection with 1009; it is not routed, and $disconnect reports 1009', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);
    const closing = closed(ws);
    const body = JSON.stringify({ action: 'oneway', pad: 'p'.repeat(32_769 - 30) }).padEnd(32_769, ' ');

    // Act
    ws.send(body);

    // Assess
    expect(await closing).toEqual({ code: 1009, reason: 'Message too big' });
    const event = await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);
    expect(ctx(event)).toMatchObject({ disconnectStatusCode: 1009, disconnectReason: 'Message too big' });
    expect(app.events().filter((e) => ctx(e).connectionId === id && ctx(e).routeKey === 'oneway')).toEqual([]);
  });

  it('WS fact 11 (32 KB frames): a frame of exactly 32768 bytes is routed', async () => {
    // Prepare
    const ws = await open();
    const body = JSON.stringify({ action: 'echo', pad: '' }).padEnd(32_768, ' ');

    // Act
    const answer = await ask(ws, body);

    // Assess
    expect(answer).toBe(`echo:${body}`);
  });

  it('WS fact 11 (32 KB frames): a 100 KB message sent in frames of 32 KB is routed, and its two-way answer comes back in frames of at most 32 KB', async () => {
    // Prepare: every byte the client gets from the server, to read its frames.
    const received: Buffer[] = [];
    const ws = await connect(url, undefined, {
      createConnection: () => {
        const socket = netConnect({ host: '127.0.0.1', port: Number(new URL(url).port) });
        socket.prependListener('data', (chunk: Buffer) => received.push(chunk));
        return socket;
      },
    });
    clients.push(ws);
    const body = JSON.stringify({ action: 'echo', pad: 'q'.repeat(100 * 1024) });
    const answer = nextMessage(ws);

    // Act
    sendFragmented(ws, body);

    // Assess
    expect(await answer).toBe(`echo:${body}`);
    expect(ws.readyState).toBe(ws.OPEN);
    const frames = serverFrames(Buffer.concat(received));
    expect(frames.map((f) => f.length)).toEqual([32_768, 32_768, 32_768, body.length + 5 - 3 * 32_768]);
    expect(frames.map((f) => [f.opcode, f.fin])).toEqual([[1, false], [0, false], [0, false], [0, true]]);
  });

  it('WS fact 3: a text frame that is no UTF-8 closes the connection with 1007, and $disconnect reports 1007', async () => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);
    const closing = closed(ws);

    // Act: the ws client sends the bytes as a text frame without checking them.
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });

    // Assess
    expect((await closing).code).toBe(1007);
    const event = await app.waitForEvent((e) => ctx(e).eventType === 'DISCONNECT' && ctx(e).connectionId === id);
    expect(ctx(event)).toMatchObject({ disconnectStatusCode: 1007, disconnectReason: 'Invalid frame payload data' });
  });

  it.each([
    { given: 'a statusCode that is no number', statusCode: 'abc' },
    { given: 'statusCode 1000', statusCode: 1000 },
    { given: 'statusCode -1', statusCode: -1 },
  ])('a two-way route answering $given sends the Internal server error frame, not a reply', async ({ statusCode }) => {
    // Prepare
    const ws = await open();
    const id = await connectionIdOf(ws);

    // Act
    const answer = await ask(ws, { action: 'status', statusCode });

    // Assess
    expect(answer).toMatch(ERROR_FRAME('Internal server error'));
    expect(ERROR_FRAME('Internal server error').exec(answer)?.[1]).toBe(id);
  });

  it.each([200, 404, '201'])('a two-way route answering statusCode %s sends its body (the neighbours that are HTTP statuses)', async (statusCode) => {
    // Prepare
    const ws = await open();

    // Act / Assess
    expect(await ask(ws, { action: 'status', statusCode })).toBe('status');
  });

  it('WS fact 11: a message of exactly 131072 bytes, in frames of 32 KB, is routed', async () => {
    // Prepare
    const ws = await open();
    const frame = JSON.stringify({ action: 'echo', pad: '' });
    const padded = frame.replace('"pad":""', `"pad":"${'p'.repeat(131_072 - frame.length)}"`);
    const answering = nextMessage(ws);

    // Act
    sendFragmented(ws, padded);
    const answer = await answering;

    // Assess
    expect(Buffer.byteLength(padded)).toBe(131_072);
    expect(answer).toBe(`echo:${padded}`);
  });

  it('WS fact 12: a handshake to an unknown stage path → 403', async () => {
    // Act / Assess
    expect(await handshakeStatus(url.replace(/\/prod$/, '/nostage'))).toBe(403);
  });
});
