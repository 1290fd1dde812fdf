/**
 * Where API Gateway's OpenAPI import reads `x-amazon-apigateway-authorizer`: only in a security scheme
 * (`components.securitySchemes.<name>`, Swagger's `securityDefinitions.<name>`) that an operation's `security` names.
 * Written anywhere else (on an operation, beside its integration) it authorizes nothing, on AWS as here.
 */
import type { Verdict } from './support-report.js';

/** Whether an extension found at `location` (its parent object's path) sits in a security scheme. */
export function inSecurityScheme(location: string): boolean {
  return /^(?:components\.securitySchemes|securityDefinitions)\.[^.]+$/.test(location);
}

/** The verdict of an x-amazon-apigateway-authorizer outside a security scheme (R7.1): the method is open. */
export function outsideSchemeVerdict(location: string): Verdict {
  return {
    status: 'ignored',
    detail: `at ${location || '(root)'}, not in a security scheme: API Gateway reads an authorizer only from components.securitySchemes (securityDefinitions) named by an operation's security, so it authorizes nothing and the method is open, on AWS too (R7.1)`,
  };
}

/** The verdict of each key of such an authorizer: one line for all of them in the report. */
export const OUTSIDE_SCHEME_KEY: Verdict = { status: 'ignored', detail: 'a key of an x-amazon-apigateway-authorizer outside any security scheme (listed above with where): read by nothing' };
