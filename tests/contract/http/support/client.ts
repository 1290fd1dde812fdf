/**
 * The typed Task API client the suite drives everything through: the consumers' client (openapi/client.ts),
 * with a middleware that checks every response against the contract before the test sees
 * it (a violation rejects the call, so no response escapes validation).
 */
import type { Middleware } from 'openapi-fetch';
import { createTaskApiClient, type TaskApiClient } from '../../../../openapi/client.js';
import { ContractValidator } from './contract-validator.js';
import type { Target } from './target.js';
import { variant } from './variant.js';

export type { TaskApiClient };

/** The headers a caller sends on every request; null leaves the header out. */
export interface CallerHeaders {
  apiKey: string | null;
  authorization: string | null;
}

/** Raised when a response breaks the contract; its message lists every violation. */
export class ContractViolation extends Error {
  constructor(readonly problems: string[]) {
    super(`response breaks openapi/api.yaml:\n  ${problems.join('\n  ')}`);
    this.name = 'ContractViolation';
  }
}

/** Responses received from the network and responses validated: equal when nothing bypassed validation. */
export interface ValidationLedger {
  received: number;
  validated: number;
}

/** The document of the variant under test (openapi/api.yaml for REST, the generated definition for HTTP). */
export const contract = new ContractValidator(variant.documentPath, variant.unmatchedRoute);

/** openapi-fetch middleware: validate each response (status, content type, schema, headers). */
export function contractMiddleware(ledger: ValidationLedger): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      const bodyText = await response.clone().text();
      const problems = contract.check({ method: request.method, schemaPath, status: response.status, headers: response.headers, bodyText });
      ledger.validated += 1;
      if (problems.length > 0) throw new ContractViolation(problems);
      return undefined;
    },
  };
}

/** A client for one caller of the target. */
export function clientFor(target: Target, caller: CallerHeaders, ledger: ValidationLedger): TaskApiClient {
  const counted = async (request: Request) => {
    const response = await globalThis.fetch(request);
    ledger.received += 1;
    return response;
  };
  // The client consumers get (openapi/client.ts), so the whole contract suite exercises it.
  const credentials = { ...(caller.apiKey !== null ? { apiKey: caller.apiKey } : {}), ...(caller.authorization !== null ? { authorization: caller.authorization } : {}) };
  const client = createTaskApiClient(target.baseUrl, credentials, { fetch: counted });
  client.use(contractMiddleware(ledger));
  return client;
}

type UntypedResponse = { response: Response; error?: unknown; data?: unknown };
type UntypedMethod = (path: string, init?: Record<string, unknown>) => Promise<UntypedResponse>;

/**
 * A route the contract does not have (to provoke MISSING_AUTHENTICATION_TOKEN), through the same
 * client and middleware; the cast is the only way past the typed paths.
 */
export function callOutsideContract(client: TaskApiClient, method: 'GET' | 'PATCH' | 'POST' | 'DELETE', path: string): Promise<UntypedResponse> {
  const untyped = client as unknown as Record<string, UntypedMethod>;
  const call = untyped[method];
  if (!call) throw new Error(`openapi-fetch client has no ${method} method`);
  return call.call(client, path);
}
