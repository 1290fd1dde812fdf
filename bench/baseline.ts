/**
 * The baseline: a bare node:http server that calls the fixture's handlers in this process with prebuilt API
 * Gateway events, its DynamoDB in a process of its own (dynamodb-process.ts). It is the floor any gateway adds its
 * cost on top of.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface BaselineRoute {
  handlerFile: string;
  exportName: string;
  /** Served at its requestContext.path. */
  event: APIGatewayProxyEvent;
}

export interface Baseline {
  /** URL of each route, in the order given. */
  urls: string[];
  close(): Promise<void>;
}

/** A payload-1.0 event for GET `resource` at `path`, built once: the baseline pays nothing for building events. */
export function proxyEvent(stage: string, resource: string, path: string, pathParameters: Record<string, string> | null): APIGatewayProxyEvent {
  return {
    resource,
    path,
    httpMethod: 'GET',
    headers: { Host: '127.0.0.1' },
    multiValueHeaders: { Host: ['127.0.0.1'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters,
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
      resourcePath: resource,
    },
  };
}

// A fake Lambda context: the baseline has no Lambda runtime, and the fixture handlers read none of it.
const FAKE_CONTEXT = {
  functionName: 'baseline',
  awsRequestId: 'baseline-request',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** Import the handler modules (after their environment is set) and serve them on 127.0.0.1. */
export async function startBaseline(routes: BaselineRoute[]): Promise<Baseline> {
  const handlers = new Map<string, { invoke: ProxyHandler; event: APIGatewayProxyEvent }>();
  for (const route of routes) {
    const mod = (await import(pathToFileURL(route.handlerFile).href)) as Record<string, unknown>;
    const handler = mod[route.exportName];
    if (typeof handler !== 'function') throw new Error(`${route.handlerFile}: no exported function "${route.exportName}"`);
    handlers.set(route.event.requestContext.path, { invoke: handler as ProxyHandler, event: route.event });
  }
  const server = createServer((req, res) => {
    const route = handlers.get(req.url ?? '');
    if (!route) return void res.writeHead(404).end();
    route.invoke(route.event, FAKE_CONTEXT).then(
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
    urls: routes.map((r) => `http://127.0.0.1:${port}${r.event.requestContext.path}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DynamoDbProcess {
  endpoint: string;
  pid: number;
  close(): void;
}

/** dynamodb-process.ts as a child process with `env` (its credentials); resolves once it prints its endpoint. */
export function startDynamoDbProcess(env: Record<string, string>): Promise<DynamoDbProcess> {
  const script = fileURLToPath(new URL('./dynamodb-process.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { endpoint } = JSON.parse(line) as { endpoint: string };
      resolve({ endpoint, pid: child.pid as number, close: () => child.stdin?.end() });
    });
    child.once('exit', (code) => reject(new Error(`the baseline's DynamoDB process exited (${code}) before serving`)));
  });
}
