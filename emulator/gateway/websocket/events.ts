/**
 * The Lambda proxy events of WebSocket APIs (Developer Guide, "WebSocket API integration requests" and the
 * console's sample events): CONNECT carries the handshake's headers and query string, MESSAGE the frame's body,
 * DISCONNECT the close code and reason; every requestContext names the connection, its stage and its route.
 */
import { allValues, joinedValues } from '../name-maps.js';
import { clfTime } from '../request-state.js';
import { randomText } from '../random-ids.js';

/** What API Gateway keeps of a connection for its events and for GetConnection. */
export interface Connection {
  connectionId: string;
  apiId: string;
  stage: string;
  /** The host the client connected to (AWS: the API's execute-api host). */
  domainName: string;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent?: string;
  /** The $connect authorizer's principalId and context, passed to every later event of the connection. */
  authorizer?: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/** A connection or request id as API Gateway writes them: 16 characters of base64 ending `=` (`L0SM9cOFvHcCIhw=`). */
export function webSocketId(): string {
  return randomText(11, 'base64').replace(/\//g, '_').replace(/\+/g, '-');
}

/** requestContext common to the three event types. */
export function webSocketRequestContext(connection: Connection, routeKey: string, eventType: EventType, now: number, requestId: string): Record<string, unknown> {
  const identity: Record<string, unknown> = { sourceIp: connection.sourceIp };
  if (connection.userAgent !== undefined) identity.userAgent = connection.userAgent;
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: clfTime(now),
    messageDirection: 'IN',
    stage: connection.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now,
    identity,
    requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: connection.apiId,
    ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
  };
}

/** Header pairs as a single-value map (the last value of a repeated name) and a multi-value map, names as sent. */
export function headerMaps(pairs: [string, string][]): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  return { headers: joinedValues(pairs), multiValueHeaders: allValues(pairs) };
}

/** Headers of the upgrade itself, which the $connect event does not carry (its authorizer's event does). */
const HOP_BY_HOP = new Set(['connection', 'upgrade']);

/** The $connect event: the upgrade request's headers (but Connection and Upgrade) and query string (absent when there is none). */
export function connectEvent(connection: Connection, headerPairs: [string, string][], query: [string, string][], now: number, requestId: string): Record<string, unknown> {
  const event: Record<string, unknown> = { ...headerMaps(headerPairs.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))) };
  if (query.length > 0) {
    event.queryStringParameters = joinedValues(query);
    event.multiValueQueryStringParameters = allValues(query);
  }
  event.requestContext = webSocketRequestContext(connection, '$connect', 'CONNECT', now, requestId);
  if (Object.keys(connection.stageVariables).length > 0) event.stageVariables = connection.stageVariables;
  event.isBase64Encoded = false;
  return event;
}

/** A message route's event: the frame's payload (a binary frame as base64). */
export function messageEvent(connection: Connection, routeKey: string, body: string, isBase64Encoded: boolean, now: number, requestId: string): Record<string, unknown> {
  const requestContext = { ...webSocketRequestContext(connection, routeKey, 'MESSAGE', now, requestId), messageId: webSocketId() };
  const event: Record<string, unknown> = { requestContext, body, isBase64Encoded };
  if (Object.keys(connection.stageVariables).length > 0) event.stageVariables = connection.stageVariables;
  return event;
}

/** The $disconnect event: best effort, after the connection is closed; the close frame's code and reason. */
export function disconnectEvent(connection: Connection, statusCode: number, reason: string, now: number, requestId: string): Record<string, unknown> {
  const { headers, multiValueHeaders } = headerMaps([
    ['Host', connection.domainName],
    ['x-api-key', ''],
    ['X-Forwarded-For', ''],
    ['x-restapi', ''],
  ]);
  const requestContext = { ...webSocketRequestContext(connection, '$disconnect', 'DISCONNECT', now, requestId), disconnectStatusCode: statusCode, disconnectReason: reason };
  const event: Record<string, unknown> = { headers, multiValueHeaders, requestContext, isBase64Encoded: false };
  if (Object.keys(connection.stageVariables).length > 0) event.stageVariables = connection.stageVariables;
  return event;
}
