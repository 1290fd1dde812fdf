/**
 * What the start finds not working only once it runs (a function that did not build, a bucket S3 would not create):
 * the template's loading could not know it, so the report's routes and resources are corrected here, never left
 * saying EMULATED for what fails every request.
 */
import type { RouteInfo } from './gateway/types.js';
import type { ResourceGroup } from './template/resources.js';

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
  if (why.size === 0) return groups;
  return groups.flatMap((group) => {
    if (group.status !== 'emulated') return [group];
    const failing = group.logicalIds.filter((id) => why.has(id));
    if (failing.length === 0) return [group];
    const working = group.logicalIds.filter((id) => !why.has(id));
    const moved = failing.map((id): ResourceGroup => ({ type: group.type, logicalIds: [id], status: 'not-emulated', detail: why.get(id)! }));
    return [...(working.length > 0 ? [{ ...group, logicalIds: working }] : []), ...moved];
  });
}

/** What --strict refuses of `why`: one item per logical id, as for the resources the template's loading refused. */
export function strictItems(groups: ResourceGroup[], why: ReadonlyMap<string, string>, path = ''): string[] {
  return groups.flatMap((g) => (g.status === 'not-emulated' ? g.logicalIds.filter((id) => why.has(id)).map((id) => `${path}Resources.${id} (${g.type}): ${g.detail ?? 'not emulated'}`) : []));
}
