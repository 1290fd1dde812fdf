/** Structured logs of the handlers: JSON, correlation id = API Gateway request id, stacks only in logs. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { proxyEvent } from '../support/events.js';
import { startHandlerEnv, type HandlerEnv } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let env: HandlerEnv;
let handler: Handler;
let tracingEnabled: boolean;

beforeAll(async () => {
  env = await startHandlerEnv();
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  ({ handler } = (await import('../../functions/deleteTask.js')) as { handler: Handler });
  tracingEnabled = (await import('../../functions/shared/observability.js')).tracer.isTracingEnabled();
});
afterAll(async () => {
  await env.close();
});

/** Runs `act` and returns the JSON log lines written to stdout and stderr meanwhile. */
async function logsOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('observability', () => {
  it('tracing is off outside Lambda (no segments sent from tests)', () => {
    expect(tracingEnabled).toBe(false);
  });

  it('an expected failure logs one JSON line with the request id as correlation id', async () => {
    const event = proxyEvent('deleteTask', { sub: 'obs' });
    const logs = await logsOf(() => handler(event, fakeContext('DeleteTaskFunction')));
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'INFO', correlation_id: event.requestContext.requestId, function_name: 'DeleteTaskFunction', service: 'task-api-test' }),
    );
  });

  it('an unexpected failure is logged with its stack, and the client gets a generic 500', async () => {
    const event = proxyEvent('deleteTask', { sub: '' });
    let result: APIGatewayProxyResult | undefined;
    const logs = await logsOf(async () => {
      result = await handler(event, fakeContext('DeleteTaskFunction'));
    });
    const error = logs.find((l) => l.level === 'ERROR');
    expect(error).toMatchObject({ correlation_id: event.requestContext.requestId });
    expect(JSON.stringify(error)).toContain('claims.sub is missing');
    expect(JSON.stringify(error)).toMatch(/stack/);
    expect(result?.statusCode).toBe(500);
    expect(result?.body).not.toMatch(/claims|stack|at /);
  });
});
