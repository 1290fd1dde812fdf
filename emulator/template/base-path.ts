/**
 * R11.5: the `basepath` import parameter of a RestApi whose Body is imported (`Parameters: {basepath: ...}`): `ignore`
 * (the default) serves the paths from the stage root; `prepend` puts the document's base path before every path;
 * `split` puts it there without its first segment. The base path is Swagger's `basePath`, or in OpenAPI 3 a `basePath`
 * server variable's default (even when the url does not use it) or else the path of the first server's url. As AWS
 * answered LocalStack's recorded test_import_rest_apis_with_base_path_swagger and _with_base_path_oas30.
 */
import { TemplateError, type OpenApiDocument } from './model.js';

const MODES = ['ignore', 'prepend', 'split'] as const;

/** The document's base path as segments (`/base-url/part/` is ['base-url', 'part']); [] when it has none. */
function baseSegments(doc: OpenApiDocument): string[] {
  const split = (path: string) => path.split('/').filter(Boolean);
  if (typeof doc.basePath === 'string') return split(doc.basePath);
  const servers = Array.isArray(doc.servers) ? (doc.servers as unknown[]) : [];
  const server = servers[0] as { url?: unknown; variables?: Record<string, { default?: unknown }> } | undefined;
  if (!server) return [];
  const variables = server.variables ?? {};
  const basePath = variables.basePath?.default;
  if (typeof basePath === 'string') return split(basePath);
  if (typeof server.url !== 'string') return [];
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => String(variables[name]?.default ?? ''));
  try {
    return split(new URL(url, 'https://placeholder.invalid').pathname);
  } catch {
    return [];
  }
}

/**
 * Applies the `basepath` import mode to the document's paths (in place). Once applied, the document's `basePath` and
 * `servers` are what its paths now hold, so they are removed (the support report would otherwise call them ignored).
 */
export function applyBasePathMode(doc: OpenApiDocument, parameters: unknown, file: string, key: string): void {
  const given = typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>).basepath : undefined;
  if (given === undefined) return;
  const mode = typeof given === 'string' ? given.toLowerCase() : '';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new TemplateError(file, `${key}.basepath`, `${JSON.stringify(given)} is not a basepath import mode: API Gateway takes ignore, prepend or split (R11.5)`);
  }
  if (mode === 'ignore') return;
  const segments = baseSegments(doc);
  const prefix = (mode === 'split' ? segments.slice(1) : segments).map((s) => `/${s}`).join('');
  if (prefix && doc.paths) {
    doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path === '/' ? prefix : `${prefix}${path}`, item]));
  }
  delete doc.basePath;
  delete doc.servers;
}
