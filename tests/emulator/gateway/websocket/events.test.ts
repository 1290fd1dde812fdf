/**
 * The Lambda proxy events of WebSocket APIs (emulator/gateway/websocket/events.ts): CONNECT, MESSAGE and DISCONNECT
 * as AWS sends them (Developer Guide and captured events).
 */
import { describe, expect, it } from 'vitest';
import { connectEvent, disconnectEvent, messageEvent, webSocketRequestContext, type Connection } from '../../../../emulator/gateway/websocket/events.js';

/** 11/Nov/2024:11:35:24 +0000 */
const NOW = Date.UTC(2024, 10, 11, 11, 35, 24, 123);
const CONNECTED = NOW - 5_000;

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    connectionId: 'L0SM9cOFvHcCIhw=',
    apiId: 'abc123defg',
    stage: 'prod',
    domainName: '127.0.0.1:3002',
    connectedAt: CONNECTED,
    lastActiveAt: CONNECTED,
    sourceIp: '127.0.0.1',
    stageVariables: {},
    ...overrides,
  };
}

const HANDSHAKE: [string, string][] = [
  ['Host', '127.0.0.1:3002'],
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
  ['Sec-WebSocket-Version', '13'],
  ['X-Multi', 'a'],
  ['X-Multi', 'b'],
  ['X-Forwarded-For', '127.0.0.1'],
];

describe('connectEvent', () => {
  const event = connectEvent(connection(), HANDSHAKE, [['a', '1'], ['b', 'x'], ['b', 'y']], NOW, 'Req1dAAAAAAAAA=');

  it('WS fact 1: headers and multiValueHeaders in client casing, without Connection and Upgrade', () => {
    expect(event.headers).toEqual({ Host: '127.0.0.1:3002', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'X-Multi': 'b', 'X-Forwarded-For': '127.0.0.1' });
    expect(event.multiValueHeaders).toEqual({ Host: ['127.0.0.1:3002'], 'Sec-WebSocket-Key': ['dGhlIHNhbXBsZSBub25jZQ=='], 'Sec-WebSocket-Version': ['13'], 'X-Multi': ['a', 'b'], 'X-Forwarded-For': ['127.0.0.1'] });
  });

  it('WS fact 1: queryStringParameters (last value) and multiValueQueryStringParameters when the URL has a query', () => {
    expect(event.queryStringParameters).toEqual({ a: '1', b: 'y' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1'], b: ['x', 'y'] });
  });

  it('WS fact 1: no queryStringParameters / multiValueQueryStringParameters when the URL has no query', () => {
    const bare = connectEvent(connection(), HANDSHAKE, [], NOW, 'Req1dAAAAAAAAA=');
    expect(bare).not.toHaveProperty('queryStringParameters');
    expect(bare).not.toHaveProperty('multiValueQueryStringParameters');
  });

  it('WS fact 1: requestContext of $connect (CONNECT, IN, times, requestId === extendedRequestId, identity.sourceIp)', () => {
    expect(event.requestContext).toEqual({
      routeKey: '$connect',
      eventType: 'CONNECT',
      extendedRequestId: 'Req1dAAAAAAAAA=',
      requestTime: '11/Nov/2024:11:35:24 +0000',
      messageDirection: 'IN',
      stage: 'prod',
      connectedAt: CONNECTED,
      requestTimeEpoch: NOW,
      identity: { sourceIp: '127.0.0.1' },
      requestId: 'Req1dAAAAAAAAA=',
      domainName: '127.0.0.1:3002',
      connectionId: 'L0SM9cOFvHcCIhw=',
      apiId: 'abc123defg',
    });
  });

  it('WS fact 1: isBase64Encoded false and no body', () => {
    expect(event.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('body');
  });
});

describe('messageEvent', () => {
  const event = messageEvent(connection({ authorizer: { principalId: 'user-1', role: 'admin' } }), 'sendmessage', '{"action":"sendmessage"}', false, NOW, 'Req2dAAAAAAAAA=');

  it('WS fact 2: requestContext with eventType MESSAGE, the selected routeKey and a messageId', () => {
    expect(event.requestContext).toMatchObject({ routeKey: 'sendmessage', eventType: 'MESSAGE', messageDirection: 'IN', connectionId: 'L0SM9cOFvHcCIhw=', requestId: 'Req2dAAAAAAAAA=', extendedRequestId: 'Req2dAAAAAAAAA=', requestTimeEpoch: NOW, connectedAt: CONNECTED });
    expect((event.requestContext as Record<string, unknown>).messageId).toEqual(expect.any(String));
  });

  it('WS fact 2: the body is the frame text; no headers', () => {
    expect(event.body).toBe('{"action":"sendmessage"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('headers');
    expect(event).not.toHaveProperty('multiValueHeaders');
  });

  it("WS fact 8: the connection's authorizer principalId and context are requestContext.authorizer", () => {
    expect((event.requestContext as Record<string, unknown>).authorizer).toEqual({ principalId: 'user-1', role: 'admin' });
  });

  it('each message has its own messageId', () => {
    const other = messageEvent(connection(), 'sendmessage', 'x', false, NOW, 'Req3dAAAAAAAAA=');
    expect((other.requestContext as Record<string, unknown>).messageId).not.toBe((event.requestContext as Record<string, unknown>).messageId);
  });
});

describe('disconnectEvent', () => {
  it.each([
    { given: 'ws.close(1000, "bye")', code: 1000, reason: 'bye' },
    { given: 'ws.close()', code: 1005, reason: 'Client-side close frame status not set' },
    { given: 'DeleteConnection', code: 1000, reason: 'Connection Closed Normally' },
  ])('WS fact 3: $given → disconnectStatusCode $code, disconnectReason "$reason"', ({ code, reason }) => {
    const event = disconnectEvent(connection(), code, reason, NOW, 'Req4dAAAAAAAAA=');
    expect(event.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: code, disconnectReason: reason });
  });

  it("WS fact 3: headers {Host, x-api-key:'', X-Forwarded-For:'', x-restapi:''}, isBase64Encoded false, no body", () => {
    const event = disconnectEvent(connection(), 1000, 'bye', NOW, 'Req4dAAAAAAAAA=');
    expect(event.headers).toEqual({ Host: '127.0.0.1:3002', 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' });
    expect(event.multiValueHeaders).toEqual({ Host: ['127.0.0.1:3002'], 'x-api-key': [''], 'X-Forwarded-For': [''], 'x-restapi': [''] });
    expect(event.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('body');
  });
});

describe('webSocketRequestContext', () => {
  it('WS fact 1: requestTime is in CLF (dd/Mon/yyyy:HH:mm:ss +0000, UTC)', () => {
    expect(webSocketRequestContext(connection(), '$connect', 'CONNECT', Date.UTC(2024, 0, 2, 3, 4, 5), 'r').requestTime).toBe('02/Jan/2024:03:04:05 +0000');
  });

  it('identity carries the userAgent when the connection has one', () => {
    expect(webSocketRequestContext(connection({ userAgent: 'ua/1' }), '$connect', 'CONNECT', NOW, 'r').identity).toEqual({ sourceIp: '127.0.0.1', userAgent: 'ua/1' });
  });
});
