/** The built `sam-local-gateway` CLI as a child process: --help, and the usage errors it answers, shaped like `sam local`'s. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP, cli } from './support/run.js';

describe('sam-local-gateway --help', () => {
  it.each([
    { args: ['--help'], want: /start-api.*\n.*start-lambda.*\n.*keys.*\n.*token.*\n.*usage.*\n.*invoke.*\n.*generate-event/s },
    { args: ['start-api', '--help'], want: /-t, --template.*-p, --port.*--ssl-cert-file <cert\.pem>.*--ssl-key-file <key\.pem>.*--host.*--parameter-overrides.*--env-vars.*--warm-containers EAGER\|LAZY.*--watch.*--no-watch/s },
    { args: ['start-lambda', '--help'], want: /start-lambda \[options\].*aws lambda invoke --endpoint-url.*-p, --port <n> +port \(default: 3001.*--host.*--env-vars.*--warm-containers EAGER\|LAZY/s },
    { args: ['invoke', '--help'], want: /invoke \[FunctionLogicalId\].*-e, --event.*--no-event.*--parameter-overrides.*may be repeated.*-n, --env-vars.*\.env file/s },
    { args: ['generate-event', '--help'], want: /aws-proxy.*http-api-proxy.*authorizer.*request-authorizer.*http-api-authorizer.*--payload-format-version/s },
    { args: ['keys', '--help'], want: /keys \[-t, --template/ },
    { args: ['token', '--help'], want: /token --sub <id>/ },
    { args: ['usage', '--help'], want: /usage \[-t, --template/ },
  ])('$args prints its usage on stdout and exits 0', async ({ args, want }) => {
    const run = await cli(args);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(want);
  });

  it.each([
    { args: ['deploy'], want: /unknown command "deploy"/ },
    { args: ['start-api', '--bogus'], want: /Unknown option '--bogus'.*usage: sam-local-gateway start-api/s },
    { args: ['start-api', '--warm-containers', 'SOMETIMES'], want: /--warm-containers: EAGER or LAZY/ },
    { args: ['keys', 'extra'], want: /unknown option extra/ },
  ])('$args is a usage error: exit 1, the reason on stderr, nothing on stdout', async ({ args, want }) => {
    const run = await cli(args);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
  });

  it.each([
    { given: 'a --parameter-overrides that is not Key=Value', args: ['invoke', 'EchoFunction', '-t', APP, '--parameter-overrides', '5'], want: /--parameter-overrides: "5" is not Key=Value/ },
    { given: 'a template that is a folder', args: ['invoke', 'EchoFunction', '-t', 'tests'], want: /is a folder, not a template file/ },
    // A relative --config-file is read from the template's folder, as the SAM CLI joins it: `..` is the fixtures folder.
    { given: 'a --config-file that is a folder', args: ['invoke', 'EchoFunction', '-t', APP, '--config-file', '..'], want: /fixtures: is a folder, not a config file/ },
  ])('$given: exit 1 with one line, no stack trace', async ({ args, want }) => {
    const run = await cli(args);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('start-api on a port another process holds: exit 1 with one line naming the port and --port, no stack trace', async () => {
    // Prepare
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;

    // Act
    const run = await cli(['start-api', '--template', 'tests/emulator/fixtures/lambda-api-app/template.yaml', '--port', String(port), '--quiet', '--local-dir', mkdtempSync(join(tmpdir(), 'cli-port-'))]).finally(() => holder.close());

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`sam-local-gateway: port ${port} on 127.0.0.1 is in use (another gateway still running?): stop what holds it, or choose another port with --port (0: any free port)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
