/**
 * What Swagger UI needs of an API Gateway document to show and call every operation: API Gateway's ANY method
 * (`x-amazon-apigateway-any-method`, R11.11/H3.3) as the verbs it stands for, and a declared parameter for each path
 * variable, greedy ones (`{proxy+}`) included, so that "Try it out" fills the path in.
 */
type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const ANY_METHOD = 'x-amazon-apigateway-any-method';
/** ANY as Swagger UI lists it: OPTIONS and HEAD are left out (a CORS preflight or a GET without body says nothing new). */
const ANY_VERBS = ['get', 'post', 'put', 'patch', 'delete'];
const VERBS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** The ANY operation copied onto each verb the path does not declare itself (an explicit method wins, R11.11, H3.3). */
function expandAny(item: Json): Json {
  const any = item[ANY_METHOD];
  if (!isRecord(any)) return item;
  const out: Json = { ...item };
  delete out[ANY_METHOD];
  for (const verb of ANY_VERBS) {
    if (out[verb] !== undefined) continue;
    const operationId = typeof any.operationId === 'string' ? { operationId: `${any.operationId}_${verb}` } : {};
    out[verb] = { summary: 'ANY', ...any, ...operationId };
  }
  return out;
}

/** A local reference (`#/components/parameters/Id`, `#/parameters/Id`); an unresolvable one declares nothing. */
function resolveLocal(doc: Json, ref: string): Json {
  if (!ref.startsWith('#/')) return {};
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = isRecord(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isRecord(node) ? node : {};
}

const pathParameter = (swagger2: boolean, name: string): Json => ({
  name,
  in: 'path',
  required: true,
  ...(swagger2 ? { type: 'string' } : { schema: { type: 'string' } }),
  ...(name.endsWith('+') ? { description: 'greedy: the rest of the path (Swagger UI percent-encodes a "/" in it)' } : {}),
});

/** A path parameter for each `{name}` / `{name+}` the operation or its path item does not declare (`proxy` renamed `proxy+`). */
function withPathParameters(path: string, item: Json, swagger2: boolean, deref: (p: Json) => Json): Json {
  const names = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return item;
  // AWS's export names a greedy variable without its "+", which Swagger UI would then never substitute.
  const rename = (list: unknown): Json[] =>
    (Array.isArray(list) ? list.filter(isRecord) : []).map((ref) => {
      const p = deref(ref);
      return p.in === 'path' && typeof p.name === 'string' && !names.includes(p.name) && names.includes(`${p.name}+`) ? { ...p, name: `${p.name}+` } : ref;
    });
  const out: Json = { ...item };
  if (Array.isArray(item.parameters)) out.parameters = rename(item.parameters);
  const shared = (out.parameters as Json[] | undefined) ?? [];
  for (const [key, op] of Object.entries(item)) {
    if (!VERBS.has(key) || !isRecord(op)) continue;
    const own = rename(op.parameters);
    const known = [...shared, ...own].map(deref).filter((p) => p.in === 'path').map((p) => p.name);
    for (const name of names) if (!known.includes(name)) own.push(pathParameter(swagger2, name));
    out[key] = { ...op, parameters: own };
  }
  return out;
}

/** The document as Swagger UI can show and call it (REST Swagger 2.0 / OpenAPI 3 and HTTP API OpenAPI 3 alike). */
export function displayDocument(doc: Json): Json {
  if (!isRecord(doc.paths)) return doc;
  const swagger2 = typeof doc.swagger === 'string';
  const deref = (p: Json): Json => (typeof p.$ref === 'string' ? resolveLocal(doc, p.$ref) : p);
  const paths = Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path, isRecord(item) ? withPathParameters(path, expandAny(item), swagger2, deref) : item]));
  return { ...doc, paths };
}
