/** `$input` of API Gateway mapping templates (R3.1-R3.7). */
import { parseExactJson, stringifyExactJson } from './exact-json.js';
import { evaluateJsonPath } from './jsonpath.js';

export interface InputSource {
  /** Raw payload text ("" when empty). */
  body: string;
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
}

function parsed(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseExactJson(body === '' ? '{}' : body) };
  } catch {
    return { ok: false };
  }
}

/** A parameter's own value: `constructor` or `toString` are names like any other, not Object.prototype's members. */
function own(map: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

function lookupHeader(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Builds the `$input` object; JSON is parsed lazily once. */
export function createInput(source: InputSource): Record<string, unknown> {
  let cache: ReturnType<typeof parsed> | undefined;
  const json = () => (cache ??= parsed(source.body));
  const pathValue = (path: unknown): unknown => {
    const doc = json();
    if (!doc.ok) return String(path).trim() === '$' ? source.body : undefined;
    return evaluateJsonPath(doc.value, String(path));
  };
  return {
    // R3.1: an empty payload reads as "{}".
    body: source.body === '' ? '{}' : source.body,
    path: pathValue,
    json: (path: unknown): string => {
      const value = pathValue(path);
      return value === undefined ? '' : stringifyExactJson(value);
    },
    params: (name?: unknown): unknown => {
      if (name === undefined) return source.params;
      const key = String(name);
      // R3.7: path, then query string, then header; missing ⇒ "".
      return own(source.params.path, key) ?? own(source.params.querystring, key) ?? lookupHeader(source.params.header, key) ?? '';
    },
  };
}
