/**
 * samconfig.toml as the SAM CLI's local commands read it (SAM Developer Guide, "AWS SAM CLI configuration file"): the
 * working directory's file, `[<env>.<command>.parameters]` over `[<env>.global.parameters]`, the command line over
 * both; what it gives becomes option tokens placed before the command line's own.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samConfigDefaults } from '../../../emulator/tools/samconfig.js';
import { UsageError } from '../../../emulator/tools/args.js';

const OPTIONS = {
  template: { type: 'string' },
  port: { type: 'string' },
  'parameter-overrides': { type: 'string', multiple: true },
  'warm-containers': { type: 'string' },
  region: { type: 'string' },
  'env-vars': { type: 'string' },
  watch: { type: 'boolean' },
  'docker-network': { type: 'string', multiple: true },
  'debug-port': { type: 'string', multiple: true },
} as const;

const root = mkdtempSync(join(tmpdir(), 'samconfig-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh working directory holding these files. */
function project(files: Record<string, string>): string {
  const dir = join(root, String(n++));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const TOML = `version = 0.1
[default.global.parameters]
stack_name = "app"
region = "eu-west-1"
parameter_overrides = "Stage=\\"global\\""

[default.local_start_api.parameters]
warm_containers = "EAGER"
port = 3100
parameter_overrides = "Stage=\\"local\\" Table=\\"t 1\\""

[default.deploy.parameters]
parameter_overrides = "Stage=\\"deployed\\""

[prod.local_start_api.parameters]
port = 4000
`;

describe('samConfigDefaults', () => {
  it.each<{ given: string; files: Record<string, string>; argv: string[]; want: { argv: string[]; lines: RegExp[] } }>([
    {
      given: 'no config file',
      files: {},
      argv: [],
      want: { argv: [], lines: [] },
    },
    {
      given: 'samconfig.toml: the command`s table over the global one; the deploy table and global keys of no option here unread',
      files: { 'samconfig.toml': TOML },
      argv: [],
      want: {
        argv: ['--region=eu-west-1', '--warm-containers=EAGER', '--port=3100', '--parameter-overrides=Stage="local" Table="t 1"'],
        lines: [/^sam-local-gateway: read samconfig\.toml \[default\]: region=eu-west-1, warm_containers=EAGER, port=3100, parameter_overrides=Stage="local" Table="t 1"$/],
      },
    },
    {
      given: 'options the command line gives (long or short form): the file`s are not used, a --parameter-overrides replacing the file`s whole',
      files: { 'samconfig.toml': TOML },
      argv: ['--parameter-overrides', 'Other=1', '-p', '9', '--warm-containers=LAZY'],
      want: { argv: ['--region=eu-west-1'], lines: [/read samconfig\.toml \[default\]: region=eu-west-1; warm_containers, port, parameter_overrides given on the command line instead$/] },
    },
    {
      given: 'every value given on the command line: the file is still said to be read (it was silent)',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\nwarm_containers = "EAGER"\n' },
      argv: ['--warm-containers', 'LAZY'],
      want: { argv: [], lines: [/^sam-local-gateway: read samconfig\.toml \[default\]: warm_containers given on the command line instead$/] },
    },
    {
      given: 'a debug_port and -d on the command line: the command line`s port alone (-d may be given several times, so the file`s would be kept as the first)',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\ndebug_port = 5858\n' },
      argv: ['-d', '9229'],
      want: { argv: [], lines: [/^sam-local-gateway: read samconfig\.toml \[default\]: debug_port given on the command line instead$/] },
    },
    {
      given: 'a debug_port and -d with its value attached (-d9229)',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\ndebug_port = 5858\n' },
      argv: ['-d9229'],
      want: { argv: [], lines: [/^sam-local-gateway: read samconfig\.toml \[default\]: debug_port given on the command line instead$/] },
    },
    {
      given: '--config-env prod',
      files: { 'samconfig.toml': TOML },
      argv: ['--config-env', 'prod'],
      want: { argv: ['--port=4000'], lines: [/read samconfig\.toml \[prod\]: port=4000$/] },
    },
    {
      given: '--config-env naming an environment the file lacks',
      files: { 'samconfig.toml': TOML },
      argv: ['--config-env=staging'],
      want: { argv: [], lines: [/^sam-local-gateway: samconfig\.toml has no \[staging\] environment: nothing read from it$/] },
    },
    {
      given: '--config-file naming another file',
      files: { 'samconfig.toml': TOML, 'local.toml': '[default.local_start_api.parameters]\nregion = "ap-south-1"\n' },
      argv: ['--config-file', 'local.toml'],
      want: { argv: ['--region=ap-south-1'], lines: [/read local\.toml \[default\]: region=ap-south-1$/] },
    },
    {
      given: '-t in another folder: the samconfig.toml beside the template, not the working directory`s (as the SAM CLI looks)',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\nregion = "from-cwd"\n', 'app/samconfig.toml': '[default.local_start_api.parameters]\nregion = "from-app"\n' },
      argv: ['-t', 'app/template.yaml'],
      want: { argv: ['--region=from-app'], lines: [/^sam-local-gateway: read app\/samconfig\.toml \[default\]: region=from-app$/] },
    },
    {
      given: '-tapp/template.yaml (the value attached): the samconfig.toml beside the template',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\nregion = "from-cwd"\n', 'app/samconfig.toml': '[default.local_start_api.parameters]\nregion = "from-app"\n' },
      argv: ['-tapp/template.yaml'],
      want: { argv: ['--region=from-app'], lines: [/^sam-local-gateway: read app\/samconfig\.toml \[default\]: region=from-app$/] },
    },
    {
      given: '--template=app/template.yaml and a samconfig.toml only in the working directory: none read (the SAM CLI does not fall back)',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\nregion = "from-cwd"\n', 'app/template.yaml': '' },
      argv: ['--template=app/template.yaml'],
      want: { argv: [], lines: [] },
    },
    {
      given: '-t in another folder and a relative --config-file: the file is read from the template`s folder (as the SAM CLI joins it)',
      files: { 'local.toml': '[default.local_start_api.parameters]\nregion = "from-cwd"\n', 'app/local.toml': '[default.local_start_api.parameters]\nregion = "from-app"\n' },
      argv: ['-t', 'app/template.yaml', '--config-file', 'local.toml'],
      want: { argv: ['--region=from-app'], lines: [/read app\/local\.toml \[default\]: region=from-app$/] },
    },
    {
      given: 'samconfig.yaml (no TOML file)',
      files: { 'samconfig.yaml': 'version: 0.1\ndefault:\n  local_start_api:\n    parameters:\n      warm_containers: LAZY\n      template_file: other.yaml\n' },
      argv: [],
      want: { argv: ['--warm-containers=LAZY', '--template=other.yaml'], lines: [/read samconfig\.yaml \[default\]/] },
    },
    {
      given: 'samconfig.toml and samconfig.yml: TOML first, as the SAM CLI prefers it',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\nregion = "from-toml"\n', 'samconfig.yml': 'default:\n  local_start_api:\n    parameters:\n      region: from-yml\n' },
      argv: [],
      want: { argv: ['--region=from-toml'], lines: [/region=from-toml/] },
    },
    {
      given: 'parameter_overrides as a TOML list, a boolean option true and false, a list for a repeatable option',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\nparameter_overrides = ["A=1", "B=2"]\nwatch = true\ndocker_network = ["a", "b"]\n[default.global.parameters]\nwatch = false\n' },
      argv: [],
      want: { argv: ['--parameter-overrides=A=1', '--parameter-overrides=B=2', '--watch', '--docker-network=a', '--docker-network=b'], lines: [/read samconfig\.toml/] },
    },
    {
      given: 'a key of the command`s table that names no option here, and values of the wrong shape: each said, none applied',
      files: { 'samconfig.toml': '[default.local_start_api.parameters]\ndisable_authorizer = true\nport = [1, 2]\nwatch = "yes"\nregion = { a = 1 }\n' },
      argv: [],
      want: {
        argv: [],
        lines: [
          /^sam-local-gateway: samconfig\.toml \[default\.local_start_api\.parameters\] disable_authorizer not applied: no --disable-authorizer here$/,
          /\] port not applied: a list, where one value is expected$/,
          /\] watch not applied: not true or false$/,
          /\] region not applied: a table, where a value is expected$/,
        ],
      },
    },
  ])('$given', ({ files, argv, want }) => {
    // Prepare
    const cwd = project(files);

    // Act
    const got = samConfigDefaults(argv, 'local_start_api', OPTIONS, cwd);

    // Assess
    expect(got.argv).toEqual(want.argv);
    expect(got.lines).toHaveLength(want.lines.length);
    want.lines.forEach((line, i) => expect(got.lines[i]).toMatch(line));
  });

  it.each<{ given: string; files: Record<string, string>; argv: string[]; want: RegExp }>([
    { given: 'a --config-file that does not exist', files: {}, argv: ['--config-file', 'nope.toml'], want: /^--config-file: nope\.toml does not exist or could not be read$/ },
    { given: 'a samconfig.toml that is not TOML', files: { 'samconfig.toml': '[default.local_start_api.parameters\nport = 1\n' }, argv: [], want: /^samconfig\.toml: not valid TOML: / },
    { given: 'a samconfig.yaml that is not YAML', files: { 'samconfig.yaml': 'default: [\n' }, argv: [], want: /^samconfig\.yaml: not valid YAML: / },
  ])('$given is a usage error naming the file', ({ files, argv, want }) => {
    const cwd = project(files);

    const act = () => samConfigDefaults(argv, 'local_start_api', OPTIONS, cwd);

    expect(act).toThrow(UsageError);
    expect(act).toThrow(want);
  });
});
