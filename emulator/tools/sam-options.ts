/**
 * Options of `sam local start-api` / `sam local invoke` that have no meaning here (containers, debuggers, AWS
 * profiles): accepted, so that a SAM command line runs as it is, and named on stderr as ignored with
 * why. Options that would change what the gateway answers are not in this list: they stay unknown and are refused.
 */
const EXPANDED = 'AWS::LanguageExtensions (Fn::ForEach, Fn::Length, Fn::ToJsonString, Fn::FindInMap DefaultValue) are always expanded, as CloudFormation expands them';

const IGNORED: Record<string, { type: 'string' | 'boolean'; short?: string; why: string }> = {
  'skip-pull-image': { type: 'boolean', why: 'no container images here' },
  'force-image-build': { type: 'boolean', why: 'no container images here' },
  'docker-network': { type: 'string', why: 'no Docker here' },
  'docker-volume-basedir': { type: 'string', short: 'v', why: 'no Docker here' },
  'container-host': { type: 'string', why: 'no Docker here' },
  'container-host-interface': { type: 'string', why: 'no Docker here' },
  'add-host': { type: 'string', why: 'no Docker here' },
  // aws-sam-cli PR 8878 (start-api, start-lambda, invoke): the DNS servers of the function containers.
  'container-dns': { type: 'string', why: "no containers here: functions resolve names with this machine's resolver" },
  'container-env-vars': { type: 'string', why: 'no containers here (use --env-vars)' },
  'invoke-image': { type: 'string', why: 'no container images here' },
  'layer-cache-basedir': { type: 'string', why: 'layers are read from their local folders' },
  'mount-symlinks': { type: 'boolean', why: 'code is read in place' },
  'no-memory-limit': { type: 'boolean', why: 'MemorySize is always enforced, as Lambda does' },
  'debugger-path': { type: 'string', why: 'Node.js functions are debugged with the Node inspector (--debug-port), which needs no debugger in the environment' },
  'debug-args': { type: 'string', why: 'the inspector flag is the only one a debugged Node.js environment gets (--debug-port)' },
  profile: { type: 'string', why: 'no AWS account is used' },
  'static-dir': { type: 'string', short: 's', why: 'no static files are served (API Gateway serves none)' },
  'beta-features': { type: 'boolean', why: 'no beta features' },
  'no-beta-features': { type: 'boolean', why: 'no beta features' },
  debug: { type: 'boolean', why: 'the gateway logs what it refuses and why at all times' },
  shutdown: { type: 'boolean', why: 'environments are ended when the gateway stops' },
  // aws-sam-cli PR 9033 made SAM's local expansion opt-in; CloudFormation always runs the transform a template names.
  'language-extensions': { type: 'boolean', why: EXPANDED },
  'no-language-extensions': { type: 'boolean', why: EXPANDED },
};

/** The ignored options for node:util's parseArgs. */
export const SAM_IGNORED_OPTIONS = Object.fromEntries(Object.entries(IGNORED).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), multiple: true }])) as Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple: true }
>;

/** One line per ignored option given, or none. */
export function ignoredOptionLines(values: Record<string, unknown>): string[] {
  return Object.keys(IGNORED)
    .filter((name) => values[name] !== undefined)
    .map((name) => `sam-local-gateway: --${name} ignored: ${IGNORED[name]!.why}`);
}

export const SAM_IGNORED_USAGE = `  SAM CLI options accepted and ignored, each named on stderr: ${Object.keys(IGNORED)
  .map((n) => `--${n}`)
  .join(', ')}`;
