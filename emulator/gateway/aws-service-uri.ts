/**
 * Integration URIs of AWS services (`arn:aws:apigateway:<region>:<service>:action/<Action>` or `...:path/<path>`)
 * and where the local gateway sends them: the endpoint the user configured with the SDK's variables.
 */

export interface ServiceUri {
  region: string;
  /** The service's endpoint prefix, which is also its SigV4 signing name (sqs, sns, events, states, kinesis, s3). */
  service: string;
  /** `{subdomain}.{service}` URIs (an S3 bucket, an IoT endpoint); kept for the log, not used locally. */
  subdomain?: string;
  kind: 'action' | 'path';
  /** The action name, or the path after `path/` (may hold `{name}` variables). */
  target: string;
}

const URI = /^arn:[^:]+:apigateway:([^:]*):(?:([^:]+)\.)?([a-z0-9-]+):(action|path)\/(.*)$/s;

/** R12.1: the parts of an AWS service integration URI, or undefined when the URI is not one. */
export function parseServiceUri(uri: unknown): ServiceUri | undefined {
  const m = typeof uri === 'string' ? URI.exec(uri) : null;
  if (!m) return undefined;
  return { region: m[1] as string, service: m[3] as string, ...(m[2] ? { subdomain: m[2] } : {}), kind: m[4] as 'action' | 'path', target: m[5] as string };
}

/** Endpoint prefixes whose SDK service id is not the prefix itself (AWS_ENDPOINT_URL_<service id>). */
const SERVICE_IDS: Record<string, string> = {
  events: 'EVENTBRIDGE',
  states: 'SFN',
  logs: 'CLOUDWATCH_LOGS',
  monitoring: 'CLOUDWATCH',
  email: 'SES',
  secretsmanager: 'SECRETS_MANAGER',
  'cognito-idp': 'COGNITO_IDENTITY_PROVIDER',
  apigateway: 'API_GATEWAY',
  'execute-api': 'API_GATEWAY',
};

/** The SDK's service-specific endpoint variable for a service named by its endpoint prefix, e.g. AWS_ENDPOINT_URL_SQS. */
export function endpointVariable(service: string): string {
  return `AWS_ENDPOINT_URL_${SERVICE_IDS[service] ?? service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Environment variables the gateway reads service endpoints from (its own process environment by default). */
export type ServiceEndpoints = Readonly<Record<string, string | undefined>>;

/** Where a service's calls go and which variable said so: the service's own variable, then AWS_ENDPOINT_URL. */
export function serviceEndpoint(service: string, endpoints: ServiceEndpoints | undefined): { url: string; variable: string } | undefined {
  for (const variable of [endpointVariable(service), 'AWS_ENDPOINT_URL']) {
    const url = endpoints?.[variable]?.trim();
    if (url && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)) return { url, variable };
  }
  return undefined;
}
