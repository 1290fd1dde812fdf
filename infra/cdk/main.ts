/**
 * `npm run cdk:synth [-- name=value...]` and the CDK CLI's app (infra/cdk/cdk.json): bundle the functions,
 * then synthesize the environment-agnostic stack into infra/cdk/cdk.out (or the CLI's CDK_OUTDIR).
 */
import { DEFAULT_SETTINGS } from './settings.js';
import { CDK_OUT, synthToDir } from './synth.js';

/** `-c name=value` from the CLI arrives in CDK_CONTEXT_JSON (with the CLI's own keys); arguments are settings only. */
function givenSettings(): Record<string, unknown> {
  const fromCli = JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}') as Record<string, unknown>;
  const settings = Object.fromEntries(Object.entries(fromCli).filter(([k]) => k in DEFAULT_SETTINGS));
  for (const arg of process.argv.slice(2)) {
    const eq = arg.indexOf('=');
    settings[eq > 0 ? arg.slice(0, eq) : arg] = eq > 0 ? arg.slice(eq + 1) : 'true';
  }
  return settings;
}

synthToDir(process.env.CDK_OUTDIR ?? CDK_OUT, givenSettings()).then(
  (template) => console.log(`synthesized ${template}`),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
