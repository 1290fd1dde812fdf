/**
 * An AWS::ApiGateway::Deployment is a snapshot of the methods its REST API has when CloudFormation creates it; the
 * CloudFormation docs (AWS::ApiGateway::Deployment) say it must depend on the RestApi's methods, or it is created before
 * them. Locally every stage serves the template as it is, so a method the deployment does not wait for is said here.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The logical ids a value names: Ref, Fn::GetAtt and the `${Name}` / `${Name.Attr}` of Fn::Sub. */
function namedIds(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) namedIds(v, out);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'Ref' && typeof v === 'string') out.add(v);
    else if (key === 'Fn::GetAtt') {
      const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
      if (typeof target === 'string') out.add(target);
    } else if (key === 'Fn::Sub') {
      const text = Array.isArray(v) ? v[0] : v;
      if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) out.add(m[1] as string);
      if (Array.isArray(v)) namedIds(v[1], out);
    } else namedIds(v, out);
  }
}

/**
 * What CloudFormation creates before `id`: its DependsOn and the resources its Properties name, and theirs in turn.
 * Names that are no resource of `resources` (those SAM's transform generates) are added to `generated` when given.
 */
export function createdBefore(resources: Record<string, unknown>, id: string, generated?: Set<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [id];
  while (todo.length) {
    const res = resources[todo.pop() as string];
    if (!isRecord(res)) continue;
    const next = new Set<string>();
    for (const d of Array.isArray(res.DependsOn) ? res.DependsOn : [res.DependsOn]) if (typeof d === 'string') next.add(d);
    namedIds(res.Properties, next);
    for (const n of next) {
      if (!(n in resources)) generated?.add(n);
      if (seen.has(n) || !(n in resources)) continue;
      seen.add(n);
      todo.push(n);
    }
  }
  return seen;
}

export const restApiOf = (res: Record<string, unknown>): string | undefined => {
  const ref = isRecord(res.Properties) ? res.Properties.RestApiId : undefined;
  return isRecord(ref) && typeof ref.Ref === 'string' ? ref.Ref : undefined;
};

/**
 * The template's deployments that CloudFormation may create before some of their REST API's Method resources, one
 * warning each (an API whose Body or BodyS3Location holds its methods has none to wait for).
 */
export function deploymentsBeforeMethods(resources: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  for (const [id, res] of Object.entries(resources)) {
    if (!isRecord(res) || res.Type !== 'AWS::ApiGateway::Deployment') continue;
    const api = restApiOf(res);
    const apiRes = api === undefined ? undefined : resources[api];
    if (!isRecord(apiRes) || apiRes.Type !== 'AWS::ApiGateway::RestApi') continue;
    if (isRecord(apiRes.Properties) && (apiRes.Properties.Body !== undefined || apiRes.Properties.BodyS3Location !== undefined)) continue;
    const methods = Object.entries(resources).filter(([, m]) => isRecord(m) && m.Type === 'AWS::ApiGateway::Method' && restApiOf(m) === api).map(([mid]) => mid);
    const before = createdBefore(resources, id);
    const missing = methods.filter((m) => !before.has(m));
    if (missing.length === 0) continue;
    const named = missing.length > 4 ? `${missing.slice(0, 4).join(', ')} and ${missing.length - 4} more` : missing.join(', ');
    warnings.push(
      `Resources.${id}: does not depend on ${named} (neither by DependsOn nor by a reference): CloudFormation may create this deployment before ${missing.length === 1 ? 'that method' : 'those methods'}, and a deployment serves only the methods ${api} had when it was made (${missing.length === methods.length ? "before all of them, CloudFormation's deploy fails: \"The REST API doesn't contain any methods\"" : 'on AWS the others answer 403 Missing Authentication Token until the API is deployed again'}); served here as if deployed after them`,
    );
  }
  return warnings;
}
