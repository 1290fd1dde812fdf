/** The built `sam-local-gateway` CLI as a child process: invoke, shaped like `sam local invoke`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APP, cli, ROOT } from './support/run.js';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

describe('sam-local-gateway invoke (sam local invoke, no Docker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'invoke-test-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only the function result on stdout (its logs go to stderr), exit 0', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file('event.json', { id: 7 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ event: { id: 7 }, GREETING: 'hello', SHARED: 'from-template', UNDECLARED: null });
    // The Node.js runtime's console line: ISO time, the invocation's request id, the level, the message.
    expect(run.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tINFO\ta log line from the function$/m);
  });

  it('writes Lambda`s START, END and REPORT lines around the function`s own output on stderr, as sam local invoke prints them', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file('event-platform.json', { id: 9 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: { id: 9 } });
    const maxMemory = process.platform === 'linux' ? '\\tMax Memory Used: \\d+ MB' : '';
    const invocation = new RegExp(
      `^START RequestId: ([0-9a-f-]{36}) Version: \\$LATEST\\n(?:.*\\n)*?.*\\t\\1\\tINFO\\ta log line from the function\\n(?:.*\\n)*?END RequestId: \\1\\nREPORT RequestId: \\1\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB${maxMemory}\\tInit Duration: \\d+\\.\\d\\d ms$`,
      'm',
    );
    expect(run.stderr).toMatch(invocation);
  });

  it('serves PutEvents to the invoked function as start-api does (the embedded event buses; it was NotImplemented)', async () => {
    const run = await cli(['invoke', 'Putter', '-t', 'tests/emulator/fixtures/eventbridge-app/template.yaml', '-e', file('order.json', { id: 'o-9', total: 1 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ Entries: [{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }], FailedEntryCount: 0 });
  });

  it('prints the whole of a large result into a pipe (1 MB: a pipe takes 64 KiB at a time), then exits', async () => {
    const big = 'x'.repeat(1024 * 1024);

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file('big.json', { big })]);

    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { event: { big: string } }).event.big).toBe(big);
  });

  it.each([
    { method: 'warn', level: 'WARN' },
    { method: 'error', level: 'ERROR' },
    { method: 'info', level: 'INFO' },
  ])('console.$method writes a $level line, its arguments formatted as console.log formats them', async ({ method, level }) => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file(`log-${method}.json`, { log: method })]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`\\t[0-9a-f-]{36}\\t${level}\\tvia ${method}: 2 \\{ a: 1 \\}$`, 'm'));
  });

  it('accepts a sam local invoke command line: Docker and profile options are named on stderr as ignored, with why', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--skip-pull-image', '--docker-network', 'host', '--profile', 'dev', '--debugger-path', '/opt/debugger', '--container-dns', '8.8.8.8', '--container-dns', '1.1.1.1']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: {} });
    expect(run.stderr).toContain('sam-local-gateway: --skip-pull-image ignored: no container images here');
    expect(run.stderr).toContain('sam-local-gateway: --docker-network ignored: no Docker here');
    expect(run.stderr).toContain('sam-local-gateway: --profile ignored: no AWS account is used');
    expect(run.stderr).toContain('sam-local-gateway: --debugger-path ignored: Node.js functions are debugged with the Node inspector (--debug-port)');
    expect(run.stderr).toContain("sam-local-gateway: --container-dns ignored: no containers here: functions resolve names with this machine's resolver");
  });

  it('-d with --debug-function naming another function than the one invoked is refused, before anything runs', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-d', '5858', '--debug-function', 'OtherFunction']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--debug-function OtherFunction: invoke debugs the function it invokes (EchoFunction)');
    expect(run.stdout).toBe('');
  });

  it.each([
    { given: 'the full path of the invoked function', named: 'ChildStack/PingFunction' },
    { given: 'the logical id of the invoked function, which no other stack has', named: 'PingFunction' },
  ])("-d with --debug-function naming a nested stack's invoked function by $given goes on to the port check (a port in use here)", async ({ named }) => {
    // Prepare: the port is taken, so the run stops at the port check that follows the name's.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;

    // Act
    const run = await cli(['invoke', 'ChildStack/PingFunction', '-t', fixture('nested-app/template.yaml'), '-d', String(port), '--debug-function', named]).finally(() => taken.close());

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`--debug-port: 127.0.0.1:${port} is in use`);
  });

  it.each([['--language-extensions'], ['--no-language-extensions']])('accepts %s (sam local, aws-sam-cli PR 9033) and names it on stderr as ignored: the template is expanded as CloudFormation expands it', async (option) => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, option]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: {} });
    expect(run.stderr).toContain(`sam-local-gateway: ${option} ignored: AWS::LanguageExtensions (Fn::ForEach`);
  });

  it.each([['start-api'], ['invoke']])('%s refuses a SAM option that would change the answers (--disable-authorizer): exit 1, usage on stderr', async (command) => {
    const run = await cli([command, '--disable-authorizer', '-t', APP]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Unknown option '--disable-authorizer'/);
    expect(run.stderr).toContain('SAM CLI options accepted and ignored, each named on stderr: --skip-pull-image');
  });

  it.each([
    { given: 'samconfig.toml`s template_file and parameter_overrides ([default.local_invoke.parameters])', args: [] as string[], greeting: 'from-samconfig' },
    { given: 'a --parameter-overrides of the command line, which replaces the file`s', args: ['--parameter-overrides', 'Shared=cli'], greeting: 'hello' },
  ])('reads $given, as sam local invoke run in that folder reads them', async ({ args, greeting }) => {
    // Prepare
    const cwd = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(cwd, 'samconfig.toml'), `version = 0.1
[default.local_invoke.parameters]
template_file = ${JSON.stringify(join(ROOT, APP))}
parameter_overrides = "Greeting=\\"from-samconfig\\""
`);

    // Act
    const run = await cli(['invoke', 'EchoFunction', ...args], undefined, cwd);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: greeting });
    expect(run.stderr).toMatch(/^sam-local-gateway: read samconfig\.toml \[default\]: template_file=/m);
  });

  it('invokes a function by its FunctionName too, as the SAM CLI does', async () => {
    const run = await cli(['invoke', 'echo-fn', '-t', APP, '-e', file('event-by-name.json', { id: 8 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: { id: 8 }, GREETING: 'hello' });
  });

  it("reads the event from stdin with -e -, and with no -e sends {} as sam's default", async () => {
    const [piped, none] = await Promise.all([cli(['invoke', 'EchoFunction', '-t', APP, '-e', '-'], '{"from":"stdin"}'), cli(['invoke', 'EchoFunction', '-t', APP])]);

    expect(JSON.parse(piped.stdout).event).toEqual({ from: 'stdin' });
    expect(JSON.parse(none.stdout).event).toEqual({});
  });

  it('--env-vars overrides declared variables, the function entry over Parameters, undeclared ones not set (as sam local)', async () => {
    const envVars = file('env.json', { Parameters: { SHARED: 'from-parameters', GREETING: 'from-parameters', UNDECLARED: 'x' }, EchoFunction: { GREETING: 'from-function' } });

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--env-vars', envVars]);

    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'from-function', SHARED: 'from-parameters', UNDECLARED: null });
  });

  it('--parameter-overrides followed by several Key=Value words (the SAM CLI`s unquoted form) takes them all', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--parameter-overrides', 'Greeting=unquoted', 'Shared=too']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'unquoted', SHARED: 'too' });
  });

  it('--parameter-overrides may be repeated, as start-api takes it: merged in order, later values win', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--parameter-overrides', 'Greeting=first Shared=kept', '--parameter-overrides', 'Greeting=second']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'second', SHARED: 'kept' });
  });

  it("--no-event (sam's deprecated flag) sends {}; with -e the event wins, as in sam", async () => {
    const [alone, both] = await Promise.all([cli(['invoke', 'EchoFunction', '-t', APP, '--no-event']), cli(['invoke', 'EchoFunction', '-t', APP, '--no-event', '-e', '-'], '{"from":"stdin"}')]);

    expect(JSON.parse(alone.stdout).event).toEqual({});
    expect(JSON.parse(both.stdout).event).toEqual({ from: 'stdin' });
  });

  it('--env-vars reads a .env file as every function\'s values, and says on stderr which entries changed nothing', async () => {
    const path = join(dir, 'local.env');
    writeFileSync(path, 'GREETING=from-dotenv\nUNDECLARED=x\n');

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-n', path]);

    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'from-dotenv', UNDECLARED: null });
    expect(run.stderr).toContain("--env-vars Parameters.UNDECLARED: ignored, not declared in any function's Environment.Variables");
  });

  it('a streaming function (awslambda.streamifyResponse) prints the bytes it wrote, prelude and all, as a plain Invoke returns them', async () => {
    const run = await cli(['invoke', 'Streamer', '-t', 'tests/emulator/fixtures/streaming/template.yaml', '-e', file('stream.json', { queryStringParameters: { mode: 'quick' } })]);

    expect(run.code, run.stderr).toBe(0);
    const [prelude, body] = run.stdout.split('\0'.repeat(8));
    expect(JSON.parse(prelude!)).toMatchObject({ statusCode: 201, headers: { 'content-type': 'text/event-stream' } });
    expect(body).toBe('data: one\n\ndata: two\n\n\n');
  });

  it("a function error prints Lambda's error object on stdout and exits 1", async () => {
    const run = await cli(['invoke', 'FailingFunction', '-t', APP]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorType: 'TypeError', errorMessage: 'no such task', trace: expect.arrayContaining(['TypeError: no such task']) });
  });

  it('invokes a nested stack\'s function by its path, as the SAM CLI names it (Child/Function)', async () => {
    const run = await cli(['invoke', 'ChildApp/HelloFunction', '-t', 'tests/emulator/fixtures/nested-app/template.yaml']);

    expect(run.code).toBe(0);
    expect(JSON.parse(JSON.parse(run.stdout).body)).toMatchObject({ from: 'child', greeting: 'hello from the child' });
  });

  it('an unknown function of a template with nested stacks lists every function by its path', async () => {
    const run = await cli(['invoke', 'Nope', '-t', 'tests/emulator/fixtures/nested-app/template.yaml']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no function with this logical id or FunctionName \(functions: HelloFunction, ChildApp\/HelloFunction, ChildStack\/PingFunction\)/);
  });

  it("a Python function's logs go to stderr as the Lambda Python runtime writes them: [LEVEL], UTC time, request id, message; print() as it is", async () => {
    const run = await cli(['invoke', 'BehaviorFunction', '-t', 'tests/emulator/fixtures/python-app/template.yaml', '-e', '-'], '{"action": "log"}');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ logged: true });
    expect(run.stderr).toMatch(/^\[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tlogged at info$/m);
    expect(run.stderr).toMatch(/^printed$/m);
  });

  describe('LoggingConfig LogFormat JSON (Lambda`s advanced logging controls)', () => {
    const project = mkdtempSync(join(tmpdir(), 'json-logs-'));
    afterAll(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(
      join(project, 'index.mjs'),
      "export const handler = async () => { console.debug('d'); console.info('i'); console.warn('w', { a: 1 }); console.error(new Error('boom')); return 'ok'; };\n",
    );
    writeFileSync(
      join(project, 'app.py'),
      'import logging\nlogger = logging.getLogger()\ndef handler(event, context):\n    logger.debug("d")\n    logger.info("i")\n    print("plain")\n    try:\n        raise ValueError("bad")\n    except ValueError:\n        logger.exception("failed")\n    return "ok"\n',
    );
    const template = join(project, 'template.yaml');
    writeFileSync(
      template,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals: { Function: { CodeUri: . } }',
        'Resources:',
        '  NodeWarn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: index.handler, LoggingConfig: { LogFormat: JSON, ApplicationLogLevel: WARN } } }',
        '  NodeInfo: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: index.handler, LoggingConfig: { LogFormat: JSON } } }',
        '  Python: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.11, Handler: app.handler, LoggingConfig: { LogFormat: JSON } } }',
      ].join('\n'),
    );
    const jsonLines = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

    it.each([
      { fn: 'NodeWarn', levels: ['WARN', 'ERROR'] },
      { fn: 'NodeInfo', levels: ['INFO', 'WARN', 'ERROR'] },
    ])('Node.js $fn: one JSON object per console line, those below its level dropped ($levels)', async ({ fn, levels }) => {
      const run = await cli(['invoke', fn, '-t', template]);

      expect(run.code, run.stderr).toBe(0);
      const lines = jsonLines(run.stderr);
      expect(lines.map((l) => l.level)).toEqual(levels);
      expect(lines.find((l) => l.level === 'WARN')).toEqual({ timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'WARN', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), message: 'w { a: 1 }' });
      expect(lines.find((l) => l.level === 'ERROR')?.message).toMatchObject({ errorType: 'Error', errorMessage: 'boom', stackTrace: expect.arrayContaining([expect.stringMatching(/^Error: boom/)]) });
    });

    it('Python: the logging module writes JSON objects at INFO and above (the default level), an exception`s fields beside; print() stays text', async () => {
      const run = await cli(['invoke', 'Python', '-t', template]);

      expect(run.code, run.stderr).toBe(0);
      const lines = jsonLines(run.stderr);
      expect(lines.map((l) => [l.level, l.message, l.logger])).toEqual([
        ['INFO', 'i', 'root'],
        ['ERROR', 'failed', 'root'],
      ]);
      expect(lines[1]).toMatchObject({ errorType: 'ValueError', errorMessage: 'bad', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(run.stderr).toMatch(/^plain$/m);
    });
  });

  describe("the runtimes' own log lines: a failing function's, and console lines after raw stdout writes", () => {
    const project = mkdtempSync(join(tmpdir(), 'error-logs-'));
    afterAll(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(join(project, 'fails.mjs'), "export const handler = async () => { const e = new TypeError('boom'); e.code = 'E_BOOM'; throw e; };\n");
    writeFileSync(join(project, 'broken.mjs'), "import './no-such-module.mjs';\nexport const handler = async () => 'never';\n");
    writeFileSync(join(project, 'fails.py'), 'def handler(event, context):\n    raise ValueError("bad value")\n');
    writeFileSync(join(project, 'broken.py'), 'import no_such_module\n');
    writeFileSync(join(project, 'raw.mjs'), "export const handler = async () => { process.stdout.write('partial'); console.log('next'); process.stdout.write(Buffer.from('bytes')); console.warn('after bytes'); process.stdout.write('whole\\n'); console.log('clean'); return 1; };\n");
    const fn = (id: string, runtime: string, handler: string, json = false) =>
      `  ${id}: { Type: AWS::Serverless::Function, Properties: { Runtime: ${runtime}, Handler: ${handler}${json ? ', LoggingConfig: { LogFormat: JSON }' : ''} } }`;
    writeFileSync(
      join(project, 'template.yaml'),
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals: { Function: { CodeUri: . } }',
        'Resources:',
        fn('NodeText', 'nodejs20.x', 'fails.handler'),
        fn('NodeJson', 'nodejs20.x', 'fails.handler', true),
        fn('NodeInit', 'nodejs20.x', 'broken.handler'),
        fn('PyText', 'python3.11', 'fails.handler'),
        fn('PyJson', 'python3.11', 'fails.handler', true),
        fn('PyInit', 'python3.11', 'broken.handler'),
        fn('NodeRaw', 'nodejs20.x', 'raw.handler'),
      ].join('\n'),
    );
    const invoke = (id: string) => cli(['invoke', id, '-t', join(project, 'template.yaml')]);

    it("Node.js, text format: an ERROR line 'Invoke Error' with the error as a tab-led JSON document (name, message, code, stack lines)", async () => {
      const run = await invoke('NodeText');

      expect(run.code).toBe(1);
      const line = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\tERROR\tInvoke Error \t(\{.*\})$/m.exec(run.stderr);
      expect(line, run.stderr).not.toBeNull();
      expect(JSON.parse(line![2]!)).toEqual({ errorType: 'TypeError', errorMessage: 'boom', code: 'E_BOOM', stack: expect.arrayContaining(['TypeError: boom']) });
    });

    it('Node.js, JSON format: the error itself is the ERROR object`s message', async () => {
      const run = await invoke('NodeJson');

      const errors = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(errors).toEqual([
        { timestamp: expect.any(String), level: 'ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), message: { errorType: 'TypeError', errorMessage: 'boom', stackTrace: expect.arrayContaining(['TypeError: boom']), code: 'E_BOOM' } },
      ]);
    });

    it("Node.js, a module that fails to load: 'Uncaught Exception' with no request id (init)", async () => {
      const run = await invoke('NodeInit');

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\S+Z\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"Cannot find module .*no-such-module\.mjs/m);
    });

    it("Python, text format: '[ERROR] Type: message', then the traceback, indented in no-break spaces", async () => {
      const run = await invoke('PyText');

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\[ERROR\] ValueError: bad value\nTraceback \(most recent call last\):\n\u00a0\u00a0File ".*fails\.py", line 2, in handler\n\u00a0{4}raise ValueError\("bad value"\)$/m);
    });

    it('Python, JSON format: the error document with timestamp, log_level and requestId', async () => {
      const run = await invoke('PyJson');

      const errors = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(errors).toEqual([{ timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), log_level: 'ERROR', errorMessage: 'bad value', errorType: 'ValueError', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), stackTrace: [expect.stringContaining('raise ValueError("bad value")')] }]);
    });

    it('Node.js: a console line after a raw process.stdout.write without a newline starts on a line of its own (Lambda logs it through its own channel)', async () => {
      const run = await invoke('NodeRaw');

      expect(run.code, run.stderr).toBe(0);
      // The function's own lines: not the gateway's, nor Lambda's START, END and REPORT around them.
      const lines = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('sam-local-gateway:') && !/^(START|END|REPORT) RequestId: /.test(l));
      expect(lines.map((l) => l.replace(/^\S+Z\t[0-9a-f-]{36}\t/, ''))).toEqual(['partial', 'INFO\tnext', 'bytes', 'WARN\tafter bytes', 'whole', 'INFO\tclean']);
    });

    it('Python, an import that fails: the LAMBDA_WARNING line, then [ERROR] Runtime.ImportModuleError and an empty traceback', async () => {
      const run = await invoke('PyInit');

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\[WARNING\]\t\S+Z\t\tLAMBDA_WARNING: Unhandled exception\. /m);
      expect(run.stderr).toMatch(/^\[ERROR\] Runtime\.ImportModuleError: Unable to import module 'broken': No module named 'no_such_module'\nTraceback \(most recent call last\):$/m);
    });
  });

  it("a Python function's error prints the Python runtime's error document (errorMessage, errorType, requestId, stackTrace)", async () => {
    const run = await cli(['invoke', 'MissingHandlerFunction', '-t', 'tests/emulator/fixtures/python-app/template.yaml']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ errorMessage: "Handler 'no_such_handler' missing on module 'app'", errorType: 'Runtime.HandlerNotFound', requestId: '', stackTrace: [] });
  });

  it.each([
    { given: 'no function named, several in the template', args: ['invoke', '-t', APP], want: /name the function to invoke; the template has EchoFunction, FailingFunction/ },
    { given: 'an unknown function', args: ['invoke', 'Nope', '-t', APP], want: /Resources\.Nope: no function with this logical id/ },
    { given: 'an event file that is not JSON', args: ['invoke', 'EchoFunction', '-t', APP, '-e', 'tests/emulator/fixtures/invoke-app/template.yaml'], want: /\(event\): not valid JSON/ },
    { given: 'a missing event file', args: ['invoke', 'EchoFunction', '-t', APP, '-e', 'no/such/event.json'], want: /no\/such\/event\.json: \(event\): not found/ },
    { given: 'an env-vars value that is an object', args: ['invoke', 'EchoFunction', '-t', APP, '-n', 'ENVFILE'], want: /Parameters\.SHARED: must be a string, number or boolean/ },
  ])('refuses $given: exit 1, the reason on stderr, nothing on stdout', async ({ args, want }) => {
    const bad = file('bad-env.json', { Parameters: { SHARED: { nested: true } } });

    const run = await cli(args.map((a) => (a === 'ENVFILE' ? bad : a)));

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
  });
});
