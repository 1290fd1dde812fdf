/** What API Gateway sends a WebSocket client when it refuses a handshake or cannot run a message's route. */

/** The largest message a WebSocket API takes (128 KB; frames of 32 KB make it up): more closes the connection (1009). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface HandshakeRefusal {
  status: number;
  body: string;
}

const HANDSHAKE_MESSAGES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 500: 'Internal server error', 502: 'Internal server error', 504: 'Endpoint request timed out' };

/** The HTTP answer to a refused upgrade: API Gateway's `{"message": ...}` for the status. */
export function handshakeRefusal(status: number): HandshakeRefusal {
  return { status, body: JSON.stringify({ message: HANDSHAKE_MESSAGES[status] ?? 'Internal server error' }) };
}

/**
 * The frame a client gets when its message found no route or its integration failed, spaced as API Gateway writes
 * it: `{"message": "Forbidden", "connectionId":"XDmENcnwIE0CFEQ=", "requestId":"XDmGEE2RoE0FRdQ="}`.
 */
export function webSocketError(message: string, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`;
}
