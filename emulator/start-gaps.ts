/**
 * What the start finds not working only once it runs (a function that did not build, a bucket S3 would not create):
 * the template's loading could not know it, so the report's routes and resources are corrected here, never left
 * saying EMULATED for what fails every request.
 */
import type { RouteInfo } from './gateway/types.js';
import type { LoadedTemplate } from './template/model.js';
import { reportOrder, type ResourceGroup, type ResourceStatus } from './template/resources.js';

/** A build error's first line: esbuild's run on for pages; the Functions section keeps all of it. */
export const firstLine = (text: string): string => text.split('\n')[0]!.trim();

/** Each route whose integration invokes a function that did not build, NOT EMULATED with the build's error. */
export function withUnbuiltRoutes(routes: RouteInfo[], unbuilt: ReadonlyMap<string, string>): RouteInfo[] {
  if (unbuilt.size === 0) return routes;
  return routes.map((route) => {
    const error = route.functionLogicalId === undefined ? undefined : unbuilt.get(route.functionLogicalId);
    if (!route.emulated || error === undefined) return route;
    return { ...route, emulated: false, detail: `function ${route.functionLogicalId} did not build: ${firstLine(error)}` };
  });
}

/**
 * The groups with each of `why`'s logical ids moved out of its EMULATED group into a NOT EMULATED one of the same
 * type, with its reason. A group left empty is dropped.
 */
export function withNotEmulatedResources(groups: ResourceGroup[], why: ReadonlyMap<string, string>): ResourceGroup[] {
  return withResourceStatuses(groups, new Map([...why].map(([id, detail]) => [id, { status: 'not-emulated', detail }])));
}

/** The groups with each of `why`'s logical ids moved out of its EMULATED group into one of its own status and reason, in the report's order. */
export function withResourceStatuses(groups: ResourceGroup[], why: ReadonlyMap<string, { status: ResourceStatus; detail: string }>): ResourceGroup[] {
  if (why.size === 0) return groups;
  const regrouped = groups.flatMap((group) => {
    if (group.status !== 'emulated') return [group];
    const failing = group.logicalIds.filter((id) => why.has(id));
    if (failing.length === 0) return [group];
    const working = group.logicalIds.filter((id) => !why.has(id));
    const moved = failing.map((id): ResourceGroup => ({ type: group.type, logicalIds: [id], ...why.get(id)! }));
    return [...(working.length > 0 ? [{ ...group, logicalIds: working }] : []), ...moved];
  });
  return regrouped.sort(reportOrder);
}

/** The routes one served API of a stack has, by the API's logical id in that stack. */
export interface ServedRoutes {
  api: string;
  routes: RouteInfo[];
}

/** Each resource that declares only routes not emulated (a Method, a Route, an Integration they share): NOT EMULATED as they are. */
export function notEmulatedRouteResources(served: ServedRoutes[]): Map<string, { status: ResourceStatus; detail: string }> {
  const routesOf = new Map<string, { name: string; emulated: boolean }[]>();
  for (const { api, routes } of served) {
    for (const route of routes) {
      for (const id of route.resources ?? []) routesOf.set(id, [...(routesOf.get(id) ?? []), { name: [api, route.method, route.path].filter(Boolean).join(' '), emulated: route.emulated }]);
    }
  }
  const out = new Map<string, { status: ResourceStatus; detail: string }>();
  for (const [id, routes] of routesOf) {
    if (routes.some((r) => r.emulated)) continue;
    const names = routes.map((r) => r.name).join(', ');
    out.set(id, { status: 'not-emulated', detail: `its route${routes.length > 1 ? 's' : ''} ${names} ${routes.length > 1 ? 'are' : 'is'} not emulated (why is listed with the route)` });
  }
  return out;
}

/**
 * The functions whose every caller is a route not emulated, an API not served or an event nothing runs locally: no
 * request or event reaches them (they run only when invoked directly), so the report does not call them EMULATED.
 * NOT EMULATED when a route or API of theirs is (--strict refuses that route or API already), IGNORED when only
 * unrun events name them (as those events are).
 */
export function unreachedFunctions(template: Pick<LoadedTemplate, 'routeOnlyFunctions' | 'resources'>, served: ServedRoutes[]): Map<string, { status: ResourceStatus; detail: string }> {
  const out = new Map<string, { status: ResourceStatus; detail: string }>();
  const notServed = (api: string) => (template.resources ?? []).some((g) => g.status === 'not-emulated' && g.logicalIds.includes(api));
  for (const [fn, callers] of template.routeOnlyFunctions ?? []) {
    const routes = served.flatMap(({ api, routes: all }) => all.filter((r) => r.functionLogicalId === fn).map((route) => ({ api, route })));
    if (routes.some(({ route }) => route.emulated)) continue;
    // An API that names the function in no route the report ties to it (a stage variable's, say) may still reach it.
    if (callers.apis.some((api) => !notServed(api) && !routes.some((r) => r.api === api))) continue;
    const by = [
      ...routes.map(({ api, route }) => `route ${[api, route.method, route.path].filter(Boolean).join(' ')} (not emulated)`),
      ...callers.apis.filter(notServed).map((api) => `API ${api} (not served)`),
      ...callers.unrun.map(({ event, type }) => `event ${event} (${type}: no local event source runs it)`),
    ];
    const status: ResourceStatus = by.length > callers.unrun.length ? 'not-emulated' : 'ignored';
    out.set(fn, { status, detail: `not reached: only by ${by.join(', ')}; it runs only when invoked (sam-local-gateway invoke, the embedded Lambda endpoint)` });
  }
  return out;
}

/** What --strict refuses of `why`: one item per logical id, as for the resources the template's loading refused. */
export function strictItems(groups: ResourceGroup[], why: ReadonlyMap<string, string>, path = ''): string[] {
  return groups.flatMap((g) => (g.status === 'not-emulated' ? g.logicalIds.filter((id) => why.has(id)).map((id) => `${path}Resources.${id} (${g.type}): ${g.detail ?? 'not emulated'}`) : []));
}

/** Raised when --strict finds something the emulator would not do as API Gateway does. */
export class StrictModeError extends Error {
  constructor(readonly items: string[]) {
    super(`--strict: ${items.length} ${items.length === 1 ? 'item' : 'items'} not emulated:\n  ${items.join('\n  ')}`);
    this.name = 'StrictModeError';
  }
}
