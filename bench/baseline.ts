/**
 * The baseline: a bare node:http server that calls the fixture's handler in this process with a
 * prebuilt API Gateway event. It is the floor any gateway adds its cost on top of.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface Baseline {
  url: string;
  close(): Promise<void>;
}

/** A payload-1.0 event for GET /items/{id}, built once: the baseline pays nothing for building events. */
export function itemEvent(stage: string, id: string): APIGatewayProxyEvent {
  const path = `/items/${id}`;
  return {
    resource: '/items/{id}',
    path,
    httpMethod: 'GET',
    headers: { Host: '127.0.0.1' },
    multiValueHeaders: { Host: ['127.0.0.1'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'baseline',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      identity: { sourceIp: '127.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/${stage}${path}`,
      stage,
      requestId: 'baseline-request',
      requestTimeEpoch: 0,
      resourceId: 'baseline',
      resourcePath: '/items/{id}',
    },
  };
}

// A fake Lambda context: the baseline has no Lambda runtime, and the fixture handler reads none of it.
const FAKE_CONTEXT = {
  functionName: 'baseline',
  awsRequestId: 'baseline-request',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** Import the handler module (after its environment is set) and serve it on 127.0.0.1. */
export async function startBaseline(handlerFile: string, exportName: string, event: APIGatewayProxyEvent): Promise<Baseline> {
  const mod = (await import(pathToFileURL(handlerFile).href)) as Record<string, unknown>;
  const handler = mod[exportName];
  if (typeof handler !== 'function') throw new Error(`${handlerFile}: no exported function "${exportName}"`);
  const invoke = handler as ProxyHandler;
  const server = createServer((_req, res) => {
    invoke(event, FAKE_CONTEXT).then(
      (result) => {
        res.writeHead(result.statusCode, result.headers as Record<string, string> | undefined);
        res.end(result.body);
      },
      (error: unknown) => {
        console.error('baseline: handler failed', error);
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${event.requestContext.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
