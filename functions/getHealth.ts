/** GET /health (getHealth) on the HTTP API, whose routes all need a Lambda: the REST API answers it with a mock. */
import { requireEnv } from './shared/config.js';
import { proxyHandler } from './shared/proxy.js';

const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

export const handler = proxyHandler({ operation: 'getHealth', problemStatuses: [], allowedOrigin })(async () => ({ statusCode: 200, body: { status: 'ok' } }));
