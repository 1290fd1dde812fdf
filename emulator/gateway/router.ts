/**
 * API Gateway REST resource routing: a tree by path segment (find-my-way style) with literal,
 * `{param}` and greedy `{proxy+}` children, and methods (explicit verbs or ANY) on each resource.
 */

export interface RouteMatch<T> {
  route: T;
  /** The resource template, e.g. "/pets/{id}". */
  resourcePath: string;
  /** null when the resource has no path variables (R1.17); values stay URL-encoded. */
  pathParameters: Record<string, string> | null;
}

interface Node<T> {
  resourcePath: string;
  statics: Map<string, Node<T>>;
  param?: { name: string; node: Node<T> };
  greedy?: { name: string; node: Node<T> };
  methods: Map<string, T>;
  /** A {name+} resource: it can have no children (R11.8). */
  isGreedy?: boolean;
}

const ANY = 'ANY';
/** The verbs API Gateway has; ANY stands for these only, so TRACE, CONNECT or FOO match no method (R8.9). */
const HTTP_VERBS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

function newNode<T>(resourcePath: string): Node<T> {
  return { resourcePath, statics: new Map(), methods: new Map() };
}

/** Splits a resource template into segments ("/" → []). */
function templateSegments(resourcePath: string): string[] {
  return resourcePath.split('/').filter((s) => s !== '');
}

/** Routes (method, path) to a resource the way API Gateway REST does (R11.6-R11.12). */
export class Router<T> {
  private readonly root: Node<T> = newNode('/');

  /** Registers a method ("GET", ..., or "ANY") on a resource template; rejects shapes API Gateway refuses (R11.3, R11.8). */
  add(method: string, resourcePath: string, route: T): void {
    const segments = templateSegments(resourcePath);
    let node = this.root;
    let walked = '';
    segments.forEach((segment, index) => {
      walked += `/${segment}`;
      node = this.child(node, segment, walked, index === segments.length - 1, resourcePath);
    });
    const verb = method.toUpperCase();
    if (node.methods.has(verb)) throw new Error(`duplicate route ${verb} ${resourcePath}`);
    node.methods.set(verb, route);
  }

  private child(node: Node<T>, segment: string, walked: string, last: boolean, full: string): Node<T> {
    if (node.isGreedy) throw new Error(`${full}: cannot create a child of a resource with a greedy path variable: ${node.resourcePath}`);
    const variable = /^\{([^{}]+)\}$/.exec(segment);
    if (!variable) {
      if (/[{}]/.test(segment)) throw new Error(`${full}: a path variable must be a whole segment ("${segment}")`);
      let next = node.statics.get(segment);
      if (!next) node.statics.set(segment, (next = newNode(walked)));
      return next;
    }
    const raw = variable[1] as string;
    const isGreedy = raw.endsWith('+');
    const name = isGreedy ? raw.slice(0, -1) : raw;
    // API Gateway's CreateResource refuses any other name (`{proxy++}`, `{id:int}`), in these words.
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new Error(`${full}: Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`);
    }
    if (isGreedy && !last) throw new Error(`${full}: a greedy path variable must be the last segment`);
    const slot = isGreedy ? node.greedy : node.param;
    const other = isGreedy ? node.param : node.greedy;
    if ((slot && slot.name !== name) || other) {
      throw new Error(`${full}: a sibling already has a variable path part -- only one is allowed`);
    }
    if (slot) return slot.node;
    const created = { name, node: { ...newNode<T>(walked), isGreedy } };
    if (isGreedy) node.greedy = created;
    else node.param = created;
    return created.node;
  }

  /**
   * Finds the route for a request path relative to the stage root (still URL-encoded).
   * Static beats {param} beats {proxy+} at each level; a resource that lacks the verb falls back to
   * the next candidate (R11.9). [choice] Backtracking also reaches a {param} sibling, not only greedy ones.
   */
  match(method: string, path: string, options: MatchOptions = {}): RouteMatch<T> | undefined {
    const segments = requestSegments(path);
    const emptyGreedy = options.emptyGreedyAfterSlash === true && path.length > 1 && path.endsWith('/');
    return this.walk(this.root, segments, 0, method.toUpperCase(), {}, emptyGreedy);
  }

  private walk(node: Node<T>, segs: string[], i: number, verb: string, params: Record<string, string>, emptyGreedy = false): RouteMatch<T> | undefined {
    if (i === segs.length) {
      const found = serve(node, verb, params);
      if (found) return found;
      // See MatchOptions: `/x/` reaches `/x/{proxy+}` with an empty value when `/x` itself does not serve the verb.
      if (emptyGreedy && node.greedy) {
        const viaEmpty = serve(node.greedy.node, verb, { ...params, [node.greedy.name]: '' });
        if (viaEmpty) return viaEmpty;
      }
    } else {
      const seg = segs[i] as string;
      const stat = seg === '' ? undefined : node.statics.get(seg);
      const viaStatic = stat && this.walk(stat, segs, i + 1, verb, params, emptyGreedy);
      if (viaStatic) return viaStatic;
      if (node.param && seg !== '') {
        const viaParam = this.walk(node.param.node, segs, i + 1, verb, { ...params, [node.param.name]: seg }, emptyGreedy);
        if (viaParam) return viaParam;
      }
    }
    if (node.greedy && i < segs.length) {
      const rest = segs.slice(i).join('/');
      if (rest !== '') return serve(node.greedy.node, verb, { ...params, [node.greedy.name]: rest });
    }
    return undefined;
  }
}

export interface MatchOptions {
  /**
   * HTTP APIs: a path ending in "/" (`/handler/`) matches the greedy route under it (`ANY /handler/{proxy+}`) with an
   * empty value, as a live HTTP API event shows (`"pathParameters": {"proxy": ""}`, path `/handler/`, eu-central-1,
   * 2022-02-06) and storacha/w3infra#166 relied on (`/metrics/` served by `GET /metrics/{proxy+}`). REST keeps R11.8.
   */
  emptyGreedyAfterSlash?: boolean;
}

function serve<T>(node: Node<T>, verb: string, params: Record<string, string>): RouteMatch<T> | undefined {
  // R11.11 explicit verb beats ANY; R11.12 HEAD is not served by GET.
  const route = HTTP_VERBS.has(verb) ? (node.methods.get(verb) ?? node.methods.get(ANY)) : undefined;
  if (route === undefined) return undefined;
  return { route, resourcePath: node.resourcePath, pathParameters: Object.keys(params).length ? params : null };
}

/** Request path → segments: one leading "/" and the trailing "/" are not part of the match (R11.7); inner "//" is kept. */
export function requestSegments(path: string): string[] {
  let p = path.replace(/^\/+/, '');
  if (p.endsWith('/')) p = p.slice(0, -1);
  return p === '' ? [] : p.split('/');
}

export interface StageSplit {
  /** Path after the stage, as sent (e.g. "/items/"); "/" when the request is the stage root. */
  path: string;
}

/**
 * R11.1/R11.2: the first path segment is the stage; any other value answers like an unknown route.
 * [AMBIGUOUS] slashes doubled before the stage (`//v1/tasks`) are read as one, as R1.11 records for a doubled
 * slash right after the stage; `$context.path` keeps the path as sent.
 */
export function splitStage(pathname: string, stageName: string): StageSplit | undefined {
  pathname = pathname.replace(/^\/{2,}/, '/');
  const prefix = `/${stageName}`;
  if (pathname === prefix) return { path: '/' };
  if (!pathname.startsWith(`${prefix}/`)) return undefined;
  return { path: pathname.slice(prefix.length) };
}
