/**
 * The emulator's composition root: template -> local services -> Lambda runtime -> one gateway
 * per API -> HTTP. The CLI and the tests both start the emulator through startEmulator().
 */
import { checkIntegrationUris, loadTemplate } from './template/load.js';
import type { LoadedTemplate } from './template/model.js';
import { LocalLambdaService } from './lambda/runtime.js';
import { startDynamoDb, createTables } from './services/dynamodb.js';
import { createGateway } from './gateway/pipeline.js';
import type { Gateway, RequestLogEntry, RouteInfo, SupportItem } from './gateway/types.js';
import { serveGateway, type ListeningServer } from './server.js';

export interface EmulatorOptions {
  templatePath: string;
  /** First port; a template with several APIs gets one port each (API Gateway gives each its own host). 0 = any free port. */
  port?: number;
  host?: string;
  parameterOverrides?: Record<string, string>;
  region?: string;
  /** Persist DynamoDB data here across restarts; in memory when absent. */
  dataDir?: string;
  /** Refuse to start when anything in the template is not emulated. */
  strict?: boolean;
  /** Rebuild functions on source change. */
  watch?: boolean;
  onRequest?: (entry: RequestLogEntry) => void;
  onReload?: (functionLogicalId: string) => void;
}

export interface ServedApi {
  logicalId: string;
  stageName: string;
  /** e.g. http://127.0.0.1:3000/v1 */
  url: string;
  port: number;
  gateway: Gateway;
  routes: RouteInfo[];
  support: SupportItem[];
}

export interface RunningEmulator {
  template: LoadedTemplate;
  apis: ServedApi[];
  /** Endpoints of the embedded AWS services, as functions see them. */
  services: Record<string, string>;
  close(): Promise<void>;
}

/** Raised when --strict finds something the emulator would not do as API Gateway does. */
export class StrictModeError extends Error {
  constructor(readonly items: string[]) {
    super(`--strict: ${items.length} item(s) not emulated:\n  ${items.join('\n  ')}`);
    this.name = 'StrictModeError';
  }
}

function notEmulated(routes: RouteInfo[], support: SupportItem[]): string[] {
  const fromRoutes = routes.filter((r) => !r.emulated).map((r) => `${r.method} ${r.path}: ${r.detail ?? 'not emulated'}`);
  const fromKeys = support.filter((s) => s.status === 'not-emulated').map((s) => `${s.subject} at ${s.location}${s.detail ? `: ${s.detail}` : ''}`);
  return [...fromRoutes, ...fromKeys];
}

/** Start everything the template needs and serve its APIs; close() stops it all. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const template = await loadTemplate(options.templatePath, { parameterOverrides: options.parameterOverrides, region: options.region });
  const uriErrors = checkIntegrationUris(template);
  if (uriErrors.length > 0) throw uriErrors[0];

  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const fn of closers.reverse()) await fn().catch(() => undefined);
  };
  try {
    const dynamo = await startDynamoDb({ dataDir: options.dataDir });
    closers.push(() => dynamo.close());
    await createTables(dynamo.endpoint, template.tables);
    const services = { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };

    const lambda = new LocalLambdaService(template, { extraEnvironment: services, watch: options.watch, onReload: options.onReload });
    closers.push(() => lambda.close());
    await lambda.prepare();

    const apis: ServedApi[] = [];
    let nextPort = options.port ?? 3000;
    for (const api of template.apis) {
      const gateway = createGateway({ api, template, invoker: lambda, onRequest: options.onRequest });
      const problems = notEmulated(gateway.routes, gateway.support);
      if (options.strict && problems.length > 0) throw new StrictModeError(problems);
      const listening: ListeningServer = await serveGateway(gateway, nextPort, options.host);
      closers.push(() => listening.close());
      const host = options.host ?? '127.0.0.1';
      apis.push({
        logicalId: api.logicalId,
        stageName: api.stageName,
        url: `http://${host}:${listening.port}/${api.stageName}`,
        port: listening.port,
        gateway,
        routes: gateway.routes,
        support: gateway.support,
      });
      nextPort = nextPort === 0 ? 0 : listening.port + 1;
    }
    return { template, apis, services, close };
  } catch (error) {
    await close();
    throw error;
  }
}
