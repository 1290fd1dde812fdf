/**
 * H2.6 (REST and HTTP APIs alike): API Gateway itself resolves `${AWS::Region}`, `${AWS::AccountId}` and
 * `${AWS::Partition}` written as plain text in an imported OpenAPI document (an integration uri, a mapping template),
 * where no Fn::Sub did it before: a document included with AWS::Include or read from DefinitionUri keeps them.
 */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The document with those three variables replaced wherever they are left as text. */
export function substituteAwsVariables<T>(value: T, aws: { region: string; accountId: string }): T {
  const vars: Record<string, string> = { 'AWS::Region': aws.region, 'AWS::AccountId': aws.accountId, 'AWS::Partition': 'aws' };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('${AWS::') ? v.replace(/\$\{(AWS::(?:Region|AccountId|Partition))\}/g, (m, name: string) => vars[name] ?? m) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
