/**
 * CloudFormation's dynamic references (User Guide, "Get values stored in other services using dynamic references") to
 * what the template itself holds: `{{resolve:secretsmanager:<secret>:SecretString:<json-key>...}}` to one of its
 * AWS::SecretsManager::Secret resources (the value generated locally), `{{resolve:ssm:<name>[:<version>]}}` to one of
 * its AWS::SSM::Parameter resources. CloudFormation replaces them at deploy time; here, once the secrets are known,
 * in the functions' environment, the WAF rules (where an app compares a header with a secret) and the connections of
 * API destinations. A reference to anything else stays as written (the startup report names it).
 */
import type { LoadedTemplate } from '../template/model.js';
import type { LocalState } from './local-state.js';
import { findSecret, secretsFromTemplate, type SecretRecord } from './secret-values.js';

const REFERENCE = /\{\{resolve:(secretsmanager|ssm):([^}]*)\}\}/g;

/** The value a reference stands for, or undefined when it is not the template's. */
function referenced(service: string, body: string, secrets: SecretRecord[], parameters: Map<string, string>): string | undefined {
  if (service === 'ssm') {
    const name = body.replace(/:\d+$/, '');
    return parameters.get(name);
  }
  // secret-id (a name, or an ARN of seven colon-separated parts):SecretString:json-key:version-stage:version-id
  const parts = body.split(':');
  const idParts = parts[0] === 'arn' ? 7 : 1;
  const id = parts.slice(0, idParts).join(':');
  const [kind = 'SecretString', key = ''] = parts.slice(idParts);
  const secret = findSecret(secrets, id);
  if (!secret || kind !== 'SecretString') return undefined;
  if (key === '') return secret.secretString;
  try {
    const value = (JSON.parse(secret.secretString) as Record<string, unknown>)[key];
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** What the references are resolved against, and where each one left as written is told. */
interface Resolution {
  secrets: SecretRecord[];
  parameters: Map<string, string>;
  leftAsWritten: (reference: string) => void;
}

/** A value with the template's dynamic references replaced (strings inside objects and lists too). */
function resolved<T>(value: T, r: Resolution): T {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (whole, service: string, body: string) => {
      const found = referenced(service, body, r.secrets, r.parameters);
      if (found === undefined) r.leftAsWritten(whole);
      return found ?? whole;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => resolved(v, r)) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, r)])) as T;
  return value;
}

/**
 * Replaces, in place, the template's own dynamic references in its functions' environment and its WAF resources;
 * each one naming anything else is added to the template's warnings (the startup report's NOT APPLIED lines), which
 * name only references elsewhere, never resolved (template/resources.ts).
 */
export function resolveDynamicReferences(template: LoadedTemplate, state: LocalState): void {
  if (!JSON.stringify([[...template.functions.values()].map((f) => f.environment), template.wafResources ?? [], template.eventConnections ?? []]).includes('{{resolve:')) return;
  const base = { secrets: secretsFromTemplate(template, state), parameters: new Map((template.ssmParameters ?? []).map((p) => [p.name, p.value])) };
  const warnings = (template.warnings ??= []);
  const at = (where: string): Resolution => ({
    ...base,
    leftAsWritten: (reference) => warnings.push(`${where}: the dynamic reference ${reference} names no secret or parameter of this template: it stays the text as written (CloudFormation resolves it at deploy time)`),
  });
  for (const [id, fn] of template.functions) fn.environment = resolved(fn.environment, at(`Resources.${id}.Properties.Environment`));
  for (const resource of template.wafResources ?? []) resource.properties = resolved(resource.properties, at(`Resources.${resource.logicalId}.Properties`));
  // An API destination's connection: its API key, password or client secret is often a secret of the template.
  for (const connection of template.eventConnections ?? []) Object.assign(connection, resolved({ authorization: connection.authorization, invocation: connection.invocation }, at(`Resources.${connection.logicalId}.Properties.AuthParameters`)));
  for (const destination of template.apiDestinations ?? []) {
    const connection = template.eventConnections?.find((c) => c.logicalId === destination.connection?.logicalId);
    if (destination.connection && connection && typeof connection.authorization !== 'string') destination.connection = { ...destination.connection, authorization: connection.authorization, invocation: connection.invocation };
  }
}
