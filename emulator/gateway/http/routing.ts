/** HTTP API stage selection (H0.1, H3.1) and route selection (H3.2-H3.8) over the REST resource router. */
import { TemplateError, type HttpApiSpec, type HttpRouteSpec, type HttpStageSpec } from '../../template/model.js';
import { Router, type RouteMatch } from '../router.js';

export interface StageMatch {
  stage: HttpStageSpec;
  /** Request path with the stage segment removed (named stages only, H3.6). */
  path: string;
}

export interface HttpRouteMatch {
  route: HttpRouteSpec;
  /** Route path ("/pets/{id}"), or undefined for `$default`. */
  routePath?: string;
  pathParameters: Record<string, string> | null;
}

/** `GET /pets/{id}` → ["GET", "/pets/{id}"]; `$default` → undefined. */
export function splitRouteKey(routeKey: string): { method: string; path: string } | undefined {
  if (routeKey === '$default') return undefined;
  const space = routeKey.indexOf(' ');
  if (space < 0) return undefined;
  return { method: routeKey.slice(0, space).toUpperCase(), path: routeKey.slice(space + 1) };
}

/** Stage and route tables of one HTTP API. */
export class HttpRoutes {
  private readonly router = new Router<HttpRouteSpec>();
  private readonly defaultRoute?: HttpRouteSpec;

  constructor(private readonly api: HttpApiSpec) {
    let fallback: HttpRouteSpec | undefined;
    // A route key that cannot be created fails the deploy: the template's error, said without a stack trace.
    const refuse = (route: HttpRouteSpec, detail: string): never => {
      throw new TemplateError(api.source, route.location, detail);
    };
    const variables = new Map<string, { segment: string; routeKey: string }>();
    for (const route of api.routes) {
      const key = splitRouteKey(route.routeKey);
      if (!key) {
        if (route.routeKey !== '$default') refuse(route, `route key "${route.routeKey}" is not "METHOD /path" or "$default" (H3.2)`);
        if (fallback) refuse(route, 'a second $default route (H1.5)');
        fallback = route;
        continue;
      }
      // H3.7: a route key cannot end with "/" (other than the root).
      if (key.path.length > 1 && key.path.endsWith('/')) refuse(route, 'a route path cannot end with "/" (H3.7)');
      const conflict = conflictingVariable(variables, key.path, route.routeKey);
      if (conflict !== undefined) refuse(route, `The provided route key "${route.routeKey}" has a conflicting variable on the same hierarchical level as "${conflict}"`);
      try {
        this.router.add(key.method, key.path, route);
      } catch (error) {
        refuse(route, (error as Error).message);
      }
    }
    if (fallback) this.defaultRoute = fallback;
  }

  /** H0.1: a named stage whose name is the first segment, else the `$default` stage, else none (404). */
  stage(pathname: string): StageMatch | undefined {
    for (const stage of this.api.stages) {
      if (stage.name === '$default') continue;
      if (pathname === `/${stage.name}` || pathname.startsWith(`/${stage.name}/`)) return { stage, path: pathname.slice(stage.name.length + 1) || '/' };
    }
    const root = this.api.stages.find((s) => s.name === '$default');
    return root ? { stage: root, path: pathname } : undefined;
  }

  /** H3.4: full match (static before variable, explicit method before ANY), then greedy, then `$default`. */
  route(method: string, path: string): HttpRouteMatch | undefined {
    const found: RouteMatch<HttpRouteSpec> | undefined = this.router.match(method, path, { emptyGreedyAfterSlash: true });
    if (found) return { route: found.route, routePath: found.resourcePath, pathParameters: found.pathParameters };
    return this.defaultRoute ? { route: this.defaultRoute, pathParameters: null } : undefined;
  }
}

/**
 * CreateRoute's ConflictException: one variable name per level of the path, whatever the method and depth of the
 * routes ({id} and {groupId} under /groups conflict); the route key already there, or undefined. Records the key's own.
 */
function conflictingVariable(seen: Map<string, { segment: string; routeKey: string }>, path: string, routeKey: string): string | undefined {
  const segments = path.split('/').slice(1);
  const isVariable = (segment: string) => segment.startsWith('{') && segment.endsWith('}');
  for (const [i, segment] of segments.entries()) {
    if (!isVariable(segment)) continue;
    const level = segments.slice(0, i).map((s) => (isVariable(s) ? '{}' : s)).join('/');
    const there = seen.get(level);
    if (there && there.segment !== segment) return there.routeKey;
    if (!there) seen.set(level, { segment, routeKey });
  }
  return undefined;
}
