/** Test support for emulator/template/per-api.ts: an API AWS would refuse is not served and reported NOT EMULATED; the template still loads. */
import type { LoadedTemplate } from '../../../emulator/template/model.js';

/** Thrown by throwIfRefused: the reports of the APIs a template lost, one per line. */
export class ApiRefused extends Error {
  override name = 'ApiRefused';
}

/** The reports per-api.ts wrote for the APIs it did not serve. */
export function refusedApis(template: LoadedTemplate): string[] {
  return (template.notEmulated ?? []).filter((n) => /; API \S+ is not served$/.test(n));
}

/** The template, or ApiRefused carrying the reports when any of its APIs was refused. */
export function throwIfRefused(template: LoadedTemplate): LoadedTemplate {
  const reports = refusedApis(template);
  if (reports.length > 0) throw new ApiRefused(reports.join('\n'));
  return template;
}
