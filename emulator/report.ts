/** What the emulator prints: the startup report (never fail silently) and one line per request. */
import type { RunningEmulator } from './app.js';
import type { RequestLogEntry, RouteInfo, SupportItem } from './gateway/types.js';

function routeLine(route: RouteInfo): string {
  const target = route.functionLogicalId ? ` -> ${route.functionLogicalId}` : '';
  const auth = route.authorizer ? ` auth=${route.authorizer}` : '';
  const key = route.apiKeyRequired ? ' api-key' : '';
  const mark = route.emulated ? 'emulated    ' : 'NOT EMULATED';
  const detail = !route.emulated && route.detail ? ` (${route.detail})` : '';
  return `  ${mark} ${route.method.padEnd(7)} ${route.path.padEnd(32)} ${route.integration}${target}${auth}${key}${detail}`;
}

function supportLines(items: SupportItem[]): string[] {
  const bySubject = new Map<string, { status: SupportItem['status']; count: number; detail?: string }>();
  for (const item of items) {
    const key = `${item.status}|${item.subject}`;
    const seen = bySubject.get(key);
    if (seen) seen.count += 1;
    else bySubject.set(key, { status: item.status, count: 1, detail: item.detail });
  }
  const order = { 'not-emulated': 0, ignored: 1, emulated: 2 } as const;
  return [...bySubject.entries()]
    .sort(([a, x], [b, y]) => order[x.status] - order[y.status] || a.localeCompare(b))
    .map(([key, { status, count, detail }]) => {
      const subject = key.slice(key.indexOf('|') + 1);
      const times = count > 1 ? ` (x${count})` : '';
      return `  ${status.toUpperCase().padEnd(12)} ${subject}${times}${detail ? ` - ${detail}` : ''}`;
    });
}

/** The report printed once ready: URLs, every route, every x-amazon-apigateway-* key. */
export function formatStartupReport(emulator: RunningEmulator, startupMs: number): string {
  const lines: string[] = [];
  for (const api of emulator.apis) {
    lines.push(`API ${api.logicalId} (stage ${api.stageName})`, 'Routes:');
    lines.push(...api.routes.map(routeLine));
    lines.push('x-amazon-apigateway-* keys:');
    lines.push(...supportLines(api.support));
  }
  lines.push('Services:');
  for (const [name, endpoint] of Object.entries(emulator.services)) lines.push(`  ${name}=${endpoint}`);
  for (const api of emulator.apis) lines.push(`ready: ${api.url} (${api.logicalId}, started in ${Math.round(startupMs)} ms)`);
  return lines.join('\n');
}

/** One line per request: method, path, status, latency, function, cold or warm. */
export function formatRequestLine(entry: RequestLogEntry): string {
  const fn = entry.functionLogicalId ? ` ${entry.functionLogicalId}${entry.cold === undefined ? '' : entry.cold ? ' (cold)' : ' (warm)'}` : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.latencyMs.toFixed(1)}ms${fn}`;
}
