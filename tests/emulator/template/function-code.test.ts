/**
 * A function's code as the template declares it (emulator/template/functions.ts): inline, a local path or a .zip, a
 * CDK asset, esbuild metadata, code as the SAM CLI reads it, and its Handler.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { extractCodeArchive } from '../../../emulator/template/code-archive.js';
import { zipOf } from '../../support/zip.js';
import { lambda, template } from './support/function-templates.js';

describe('AWS::Lambda::Function and SAM function code', () => {
  it('reads Code.ZipFile as inline code, Code as a local path, and a CDK asset (Metadata aws:asset:path)', async () => {
    const file = template(
      'Resources:\n' +
        lambda('Inline', 'Code: {ZipFile: "exports.handler = async () => 1;"}, Timeout: 9, MemorySize: 256, Environment: {Variables: {A: b}}') +
        lambda('Local', 'Code: ./src, FunctionName: local-fn') +
        lambda('Asset', 'Code: {S3Bucket: cdk-assets, S3Key: abc.zip}', '    Metadata: {aws:asset:path: asset.abc, aws:asset:property: Code}\n'),
      { 'src/index.js': '', 'asset.abc/index.js': '' },
    );

    const fns = (await loadTemplate(file)).functions;

    expect(fns.get('Inline')).toMatchObject({ inlineCode: 'exports.handler = async () => 1;', handler: 'index.handler', timeoutSeconds: 9, memorySizeMb: 256, environment: { A: 'b' } });
    expect(fns.get('Local')).toMatchObject({ codeDir: join(dirname(file), 'src'), functionName: 'local-fn', arn: 'arn:aws:lambda:us-east-1:123456789012:function:local-fn' });
    expect(fns.get('Asset')).toMatchObject({ codeDir: join(dirname(file), 'asset.abc'), functionName: 'Asset', timeoutSeconds: 3, memorySizeMb: 128 });
    expect([...fns.values()].map((f) => f.unavailable)).toEqual([undefined, undefined, undefined]);
  });

  it('a CDK asset whose S3 location names parameters the template lacks (the old synthesizer, trimmed): the local asset, S3 not read', async () => {
    // Prepare
    const s3 = 'Code: {S3Bucket: {Ref: AssetParametersS3Bucket}, S3Key: {Fn::Join: ["", [{Fn::Select: [1, {Fn::Split: ["||", {Ref: AssetParametersS3VersionKey}]}]}]]}}';
    const file = template('Resources:\n' + lambda('Asset', s3, '    Metadata: {aws:asset:path: asset.abc, aws:asset:property: Code}\n'), { 'asset.abc/index.js': '' });

    // Act
    const fns = (await loadTemplate(file)).functions;

    // Assess
    expect(fns.get('Asset')).toMatchObject({ codeDir: join(dirname(file), 'asset.abc') });
    expect(fns.get('Asset')?.unavailable).toBeUndefined();
  });

  it.each([
    { given: 'code on S3 without a CDK asset', props: 'Runtime: nodejs20.x, Code: {S3Bucket: b, S3Key: k.zip}', type: 'AWS::Lambda::Function', want: /its code is on S3 \(s3:\/\/b\/k\.zip\) and cannot run locally/ },
    { given: 'a container image', props: 'Runtime: nodejs20.x, Code: {ImageUri: 1.dkr.ecr/x:1}, PackageType: Image', type: 'AWS::Lambda::Function', want: /a container image function cannot run locally/ },
    { given: 'a misspelled runtime (provided.al2023023, in public samples)', props: 'Code: {ZipFile: "x"}, Runtime: provided.al2023023', type: 'AWS::Lambda::Function', want: /^Runtime provided\.al2023023 is not a Lambda runtime \(CloudFormation refuses the function\)$/ },
    { given: 'a customer-managed runtime (custom, RuntimeConfig)', props: 'Code: {ZipFile: "x"}, Runtime: custom', type: 'AWS::Lambda::Function', want: /^Runtime custom cannot run locally/ },
    { given: 'a retired runtime (dotnetcore3.1)', props: 'Code: {ZipFile: "x"}, Runtime: dotnetcore3.1', type: 'AWS::Lambda::Function', want: /^Runtime dotnetcore3\.1 cannot run locally/ },
    { given: 'a .NET runtime', props: 'Code: {ZipFile: "x"}, Runtime: dotnet8', type: 'AWS::Lambda::Function', want: /Runtime dotnet8 cannot run locally \(Node\.js, Python and custom runtimes with a bootstrap only\)/ },
    { given: 'a SAM CodeUri on S3', props: 'Runtime: nodejs20.x, CodeUri: s3://bucket/key.zip', type: 'AWS::Serverless::Function', want: /its code is on S3 \(CodeUri "s3:\/\/bucket\/key\.zip"\)/ },
    { given: 'a SAM CodeUri as Bucket/Key', props: 'Runtime: nodejs20.x, CodeUri: {Bucket: b, Key: k}', type: 'AWS::Serverless::Function', want: /its code is on S3/ },
  ])('$given: the function is kept, marked unavailable and reported, and loading goes on', async ({ props, type, want }) => {
    const file = template(`Resources:\n  Fn:\n    Type: ${type}\n    Properties: {Handler: index.handler, ${props}}\n`);

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.unavailable).toMatch(want);
    expect(t.warnings).toContainEqual(expect.stringMatching(/^Resources\.Fn: .*; the routes that invoke it are not emulated$/));
    // The resource itself is NOT EMULATED, for the same reason, and said once among the warnings.
    expect(t.resources).toContainEqual(expect.objectContaining({ type, logicalIds: ['Fn'], status: 'not-emulated', detail: expect.stringMatching(want) }));
    expect(t.warnings?.filter((w) => w.startsWith('Resources.Fn'))).toHaveLength(1);
  });

  // Real templates mix languages: a Java function whose jar is not built yet, a Go or Rust `bootstrap`. A missing code
  // folder is served: sam local mounts it empty and the runtime fails each invocation (faults/code-not-built.test.ts).
  it.each([
    { given: 'java21, jar not built', props: 'Runtime: java21, Handler: "com.example.App::handleRequest", CodeUri: target/app.zip', want: /Runtime java21 cannot run locally \(Node\.js, Python and custom runtimes with a bootstrap only\)/, routes: 'the routes that invoke it are not emulated' },
    { given: 'provided.al2023, its bootstrap not built yet', props: 'Runtime: provided.al2023, Handler: bootstrap, CodeUri: ./target/lambda/app', want: /Resources\.Fn\.Properties\.CodeUri \.\/target\/lambda\/app does not exist \(build it first\)/, routes: 'each invocation fails, as on Lambda (502 on a REST API and a function URL, 500 on an HTTP API)' },
    { given: 'python3.12, CodeUri not there', props: 'Runtime: python3.12, Handler: app.lambda_handler, CodeUri: hello_world/', want: /Resources\.Fn\.Properties\.CodeUri hello_world\/ does not exist/, routes: 'each invocation fails, as on Lambda (502 on a REST API and a function URL, 500 on an HTTP API)' },
    { given: 'nodejs20.x, CodeUri not built yet', props: 'Runtime: nodejs20.x, Handler: app.handler, CodeUri: dist/fn', want: /Resources\.Fn\.Properties\.CodeUri dist\/fn does not exist \(build it first\)/, routes: 'each invocation fails, as on Lambda (502 on a REST API and a function URL, 500 on an HTTP API)' },
  ])('$given: reported unavailable before its code is looked at, and the template loads', async ({ props, want, routes }) => {
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {${props}}\n`);

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.unavailable).toMatch(want);
    // One warning, at the key the reason names when it names one, the resource else (never both: "Resources.Fn: Resources.Fn...").
    const warning = t.warnings?.find((w) => w.startsWith('Resources.Fn'));
    expect(warning?.endsWith(`; ${routes}`)).toBe(true);
    expect(warning).not.toMatch(/^Resources\.Fn: Resources\.Fn/);
  });

  it.each([
    { given: 'a code folder', codeUri: 'hello_world/', want: 'hello_world' },
    { given: 'one .py file (sam package zips it alone)', codeUri: 'hello_world/app.py', want: 'hello_world' },
  ])('a Python function with $given runs from that folder, with nothing to build', async ({ codeUri, want }) => {
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.12, Handler: app.lambda_handler, CodeUri: ${codeUri}}\n`, { 'hello_world/app.py': 'def lambda_handler(e, c): return 1\n' });

    const fn = (await loadTemplate(file)).functions.get('Fn');

    expect(fn).toMatchObject({ codeDir: join(dirname(file), want), runtime: 'python3.12', handler: 'app.lambda_handler' });
    expect(fn?.unavailable).toBeUndefined();
    expect(fn?.build).toBeUndefined();
  });

  it.each([
    { given: 'provided.al2023 with BuildMethod go1.x', props: 'Runtime: provided.al2023, Handler: bootstrap', metadata: '{BuildMethod: go1.x}', want: 'go1.x', warning: undefined },
    { given: 'provided.al2 with BuildMethod makefile', props: 'Runtime: provided.al2, Handler: bootstrap', metadata: '{BuildMethod: makefile}', want: 'makefile', warning: undefined },
    { given: 'nodejs22.x with BuildMethod makefile (any runtime may have one)', props: 'Runtime: nodejs22.x, Handler: app.handler', metadata: '{BuildMethod: makefile}', want: 'makefile', warning: undefined },
    { given: 'python3.12 with BuildMethod makefile', props: 'Runtime: python3.12, Handler: app.handler', metadata: '{BuildMethod: makefile}', want: 'makefile', warning: undefined },
    { given: 'the go1.x runtime, no BuildMethod (sam build builds it with Go)', props: 'Runtime: go1.x, Handler: hello-world', metadata: '{}', want: 'go1.x', warning: /Runtime: go1\.x is deprecated and AWS no longer creates or updates go1\.x functions/ },
    { given: 'provided.al2023 with no BuildMethod (a bootstrap already there)', props: 'Runtime: provided.al2023, Handler: bootstrap', metadata: '{}', want: undefined, warning: undefined },
    { given: 'provided.al2023 with BuildMethod rust-cargolambda', props: 'Runtime: provided.al2023, Handler: bootstrap', metadata: '{BuildMethod: rust-cargolambda}', want: undefined, warning: /BuildMethod: "rust-cargolambda" builds are not run locally \(go1\.x and makefile only\)/ },
  ])('$given: the build that runs here is $want', async ({ props, metadata, want, warning }) => {
    const file = template(`Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Metadata: ${metadata}\n    Properties: {${props}, CodeUri: src/}\n`, { 'src/main.go': 'package main\n' });

    const t = await loadTemplate(file);

    const fn = t.functions.get('Fn');
    expect(fn?.unavailable).toBeUndefined();
    expect(fn?.customBuild).toBe(want);
    if (warning) expect(t.warnings).toContainEqual(expect.stringMatching(warning));
    else expect(t.warnings ?? []).toEqual([]);
  });

  const deprecation = (runtime: string, date: string) =>
    `Resources.Fn.Properties.Runtime: ${runtime} is deprecated on Lambda since ${date}, and AWS blocks creating and then updating functions on a deprecated runtime (a deploy fails): move to a supported runtime (it runs here either way)`;
  it.each([
    { runtime: 'nodejs8.10', want: [deprecation('nodejs8.10', '2020-03-06')] },
    { runtime: 'nodejs10.x', want: [deprecation('nodejs10.x', '2021-07-30')] },
    { runtime: 'nodejs12.x', want: [deprecation('nodejs12.x', '2023-03-31')] },
    { runtime: 'nodejs14.x', want: [deprecation('nodejs14.x', '2023-12-04')] },
    { runtime: 'nodejs16.x', want: [deprecation('nodejs16.x', '2024-06-12')] },
    { runtime: 'nodejs18.x', want: [deprecation('nodejs18.x', '2025-09-01')] },
    { runtime: 'nodejs22.x', want: [] },
    { runtime: 'nodejs24.x', want: [] },
    { runtime: 'python2.7', want: [deprecation('python2.7', '2021-07-15')] },
    { runtime: 'python3.6', want: [deprecation('python3.6', '2022-07-18')] },
    { runtime: 'python3.7', want: [deprecation('python3.7', '2023-12-04')] },
    { runtime: 'python3.8', want: [deprecation('python3.8', '2024-10-14')] },
    { runtime: 'python3.9', want: [deprecation('python3.9', '2025-12-15')] },
    { runtime: 'python3.12', want: [] },
    { runtime: 'python3.13', want: [] },
  ])('Runtime $runtime: still served, with a note when Lambda has deprecated it (its date, and that AWS blocks its functions)', async ({ runtime, want }) => {
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: ${runtime}, Handler: app.handler, CodeUri: src/}\n`, { 'src/app.js': 'exports.handler = async () => 1;\n', 'src/app.py': 'def handler(e, c): return 1\n' });

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.unavailable).toBeUndefined();
    const notes = (t.warnings ?? []).filter((w) => w.startsWith('Resources.Fn.Properties.Runtime:'));
    expect(notes).toEqual(want);
  });

  it.each([
    { given: "a runtime's own (npm)", method: 'nodejs20.x' },
    { given: 'one sam build does not have', method: 'webpack' },
  ])('Metadata.BuildMethod $given: not run locally; the function runs from its CodeUri as it is, and a warning says so', async ({ method }) => {
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/}\n    Metadata: {BuildMethod: ${method}}\n`, { 'src/app.js': 'exports.handler = async () => 1;\n' });

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')).toMatchObject({ codeDir: join(dirname(file), 'src'), handler: 'app.handler' });
    expect(t.functions.get('Fn')?.build).toBeUndefined();
    expect(t.warnings).toContain(`Resources.Fn.Metadata.BuildMethod: "${method}" builds are not run locally (esbuild and makefile only): the function runs from its CodeUri as it is`);
  });

  it('esbuild BuildProperties as sam build passes them (MainFields text or list, Loader, Define, Footer, KeepNames); the others named, not applied', async () => {
    const metadata = '{BuildMethod: esbuild, BuildProperties: {EntryPoints: [app.ts], MainFields: "module,main", Loader: [".png=file"], Define: ["process.env.STAGE=\\"local\\""], Footer: ["js=//end"], KeepNames: true, TreeShaking: true, UseNpmCi: true}}';
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/}\n    Metadata: ${metadata}\n`, { 'src/app.ts': 'export const handler = async () => 1;\n' });

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.build).toMatchObject({ mainFields: ['module', 'main'], loader: { '.png': 'file' }, define: { 'process.env.STAGE': '"local"' }, footer: { js: '//end' }, keepNames: true });
    expect(t.warnings).toContain('Resources.Fn.Metadata.BuildProperties: TreeShaking not applied to the local build (sam build passes them to esbuild)');
  });

  it.each([
    { given: 'no BuildProperties', metadata: '{BuildMethod: esbuild}' },
    { given: 'BuildProperties without EntryPoints', metadata: '{BuildMethod: esbuild, BuildProperties: {Minify: false}}' },
    { given: 'an empty EntryPoints', metadata: '{BuildMethod: esbuild, BuildProperties: {EntryPoints: []}}' },
  ])('esbuild with $given bundles the Handler\'s file, as sam build takes the Handler before its first dot for the entry point', async ({ metadata }) => {
    // Prepare
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: handlers/app.getTags, CodeUri: src/}\n    Metadata: ${metadata}\n`, { 'src/handlers/app.ts': 'export const getTags = async () => 1;\n' });

    // Act
    const fn = (await loadTemplate(file)).functions.get('Fn');

    // Assess
    expect(fn?.build?.entryPoints).toEqual([join(dirname(file), 'src/handlers/app')]);
    expect(fn?.unavailable).toBeUndefined();
  });

  it('SAM InlineCode is inline code, not built', async () => {
    const fn = (await loadTemplate(template('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, InlineCode: "exports.handler = async () => 2;"}\n'))).functions.get('Fn');

    expect(fn).toMatchObject({ inlineCode: 'exports.handler = async () => 2;' });
    expect(fn?.build).toBeUndefined();
  });

  it('a CodeUri naming one .js file is that file at the root of the code, as `sam package` zips it', async () => {
    const file = template('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: function.handler, Runtime: nodejs20.x, CodeUri: src/function.js}\n', { 'src/function.js': 'exports.handler = async () => 1;' });

    const fn = (await loadTemplate(file)).functions.get('Fn');

    expect(fn).toMatchObject({ codeDir: join(dirname(file), 'src'), handler: 'function.handler' });
    expect(fn?.unavailable).toBeUndefined();
  });

  it('a CodeUri .zip runs from its extracted contents, as sam local unzips it (entries deflated or stored, modes kept)', async () => {
    const zip = zipOf([
      { name: 'index.js', content: 'exports.handler = async () => "from the zip";', method: 8 },
      { name: 'lib/', content: '' },
      { name: 'lib/bootstrap', content: '#!/bin/sh\n', mode: 0o755 },
    ]);
    const file = template('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, CodeUri: build/code.zip}\n');
    mkdirSync(join(dirname(file), 'build'));
    writeFileSync(join(dirname(file), 'build/code.zip'), zip);

    const fn = (await loadTemplate(file)).functions.get('Fn');

    expect(fn?.unavailable).toBeUndefined();
    expect(readFileSync(join(fn!.codeDir, 'index.js'), 'utf8')).toBe('exports.handler = async () => "from the zip";');
    expect(statSync(join(fn!.codeDir, 'lib/bootstrap')).mode & 0o777).toBe(0o755);
  });

  it('a Code path to a .zip on AWS::Lambda::Function is extracted too; an unchanged archive is extracted once', async () => {
    const zip = zipOf([{ name: 'index.py', content: 'def handler(e, c):\n  return 1\n' }]);

    const first = (await loadTemplate(template(`Resources:\n${lambda('Zipped', 'Code: ./code.zip')}`, { 'code.zip': zip }))).functions.get('Zipped');
    const second = (await loadTemplate(template(`Resources:\n${lambda('Again', 'Code: ./code.zip')}`, { 'code.zip': zip }))).functions.get('Again');

    expect(first?.unavailable).toBeUndefined();
    expect(readFileSync(join(first!.codeDir, 'index.py'), 'utf8')).toBe('def handler(e, c):\n  return 1\n');
    expect(second?.codeDir).toBe(first?.codeDir);
  });

  it('a layer whose ContentUri is a .zip is extracted too, as sam local un-archives layers', async () => {
    const file = template(
      'Resources:\n  Layer:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: layer.zip}\n' +
        '  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: python3.12, CodeUri: src/, Layers: [!Ref Layer]}\n',
      { 'src/index.py': '', 'layer.zip': zipOf([{ name: 'python/shared.py', content: 'WHO = "layer"\n', method: 8 }]) },
    );

    const t = await loadTemplate(file);
    const layer = t.functions.get('Fn')?.layers?.[0];

    expect(layer?.logicalId).toBe('Layer');
    expect(readFileSync(join(layer!.contentDir, 'python/shared.py'), 'utf8')).toBe('WHO = "layer"\n');
  });

  it.each([
    { given: 'no zip at all', bytes: Buffer.from('PK'), want: /code\.zip cannot be extracted: not a zip archive/ },
    { given: 'an entry outside its folder (zip slip)', bytes: zipOf([{ name: '../evil.js', content: 'x' }]), want: /\.\.\/evil\.js names a path outside/ },
  ])('a .zip that cannot be extracted is reported as unavailable: $given', async ({ bytes, want }) => {
    const t = await loadTemplate(template(`Resources:\n${lambda('Zipped', 'Code: ./code.zip')}`, { 'code.zip': bytes }));

    expect(t.functions.get('Zipped')?.unavailable).toMatch(want);
  });

  it.each([
    { given: 'a symlink to another folder', make: (root: string, elsewhere: string) => symlinkSync(elsewhere, root) },
    {
      given: 'a folder others may write into',
      make: (root: string) => {
        mkdirSync(root);
        chmodSync(root, 0o777);
      },
    },
  ])('an archive is not extracted into a temporary root that is $given (the temporary folder is shared)', ({ make }) => {
    const dir = mkdtempSync(join(tmpdir(), 'code-archive-'));
    writeFileSync(join(dir, 'code.zip'), zipOf([{ name: 'index.js', content: 'x' }]));
    mkdirSync(join(dir, 'elsewhere'));
    make(join(dir, 'root'), join(dir, 'elsewhere'));

    expect(() => extractCodeArchive(join(dir, 'code.zip'), join(dir, 'root'))).toThrow(/others cannot write to: its code is not run/);
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it.each([
    { given: 'one entry that inflates past the limit (a zip bomb)', entries: [{ name: 'a', content: '0'.repeat(5000), method: 8 as const }] },
    { given: 'entries that add up past it', entries: [{ name: 'a', content: 'x'.repeat(600) }, { name: 'b', content: 'y'.repeat(600), method: 8 as const }] },
  ])("an archive over Lambda's unzipped size is refused, nothing left extracted: $given", ({ entries }) => {
    const dir = mkdtempSync(join(tmpdir(), 'code-archive-'));
    writeFileSync(join(dir, 'code.zip'), zipOf(entries));

    expect(() => extractCodeArchive(join(dir, 'code.zip'), join(dir, 'out'), 1000)).toThrow(/over Lambda's 1000 bytes/);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });
});

describe('code given as the SAM CLI reads it, not as CloudFormation would take it', () => {
  it.each([
    { given: 'an AWS::Lambda::Function with CodeUri and no Code', props: 'CodeUri: src', want: 'src', warning: 'Resources.Fn.Properties.Code: no Code (CodeUri is a property of AWS::Serverless::Function): CloudFormation would refuse it; locally its code is read from src, as the SAM CLI reads it' },
    { given: 'an AWS::Lambda::Function with neither', props: 'Timeout: 3', want: '.', warning: "Resources.Fn.Properties.Code: no Code: CloudFormation would refuse it; locally its code is read from the template's folder, as the SAM CLI reads it" },
  ])('$given: its code is read from $want, with a warning', async ({ props, want, warning }) => {
    // Prepare
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, ${props}}\n`, { 'src/index.js': '' });

    // Act
    const t = await loadTemplate(file);

    // Assess
    expect(t.functions.get('Fn')).toMatchObject({ codeDir: join(dirname(file), want) });
    expect(t.functions.get('Fn')?.unavailable).toBeUndefined();
    expect(t.warnings).toContain(warning);
  });

  it('a SAM function whose Metadata names its code as an asset (aws:asset:property CodeUri) runs from that folder', async () => {
    const file = template(
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: main.handler, Runtime: python3.12}\n    Metadata: {aws:asset:property: CodeUri, aws:asset:path: ./elsewhere}\n',
      { 'elsewhere/main.py': '' },
    );

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')).toMatchObject({ codeDir: join(dirname(file), 'elsewhere') });
  });
});

describe('a Handler that is not file.export', () => {
  it.each([
    { given: 'no dot', handler: 'Handler: foo', want: 'got "foo"' },
    { given: 'no Handler', handler: 'Timeout: 3', want: 'got undefined' },
  ])('$given: the function is kept, unavailable with why, and the template loads', async ({ handler, want }) => {
    const file = template(`Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Code: {ZipFile: x}, Runtime: nodejs20.x, ${handler}}\n`);

    const t = await loadTemplate(file);

    expect(t.functions.get('Fn')?.unavailable).toBe(`Resources.Fn.Properties.Handler: expected "file.export", ${want} (Lambda answers Runtime.MalformedHandlerName)`);
  });
});

describe('inline code whose Handler names a module other than index', () => {
  // Lambda writes Code.ZipFile (SAM's InlineCode) to index.js, index.py for Python: another module is never found.
  it.each([
    { given: 'Code.ZipFile, Node.js', type: 'AWS::Lambda::Function', props: 'Code: {ZipFile: "exports.handler = async () => 1;"}, Runtime: nodejs20.x, Handler: lambda.handler', want: '"lambda.handler" names module lambda' },
    { given: 'Code.ZipFile, Python', type: 'AWS::Lambda::Function', props: 'Code: {ZipFile: "def handler(e, c): return 1"}, Runtime: python3.12, Handler: lambda_function.handler', want: '"lambda_function.handler" names module lambda_function' },
    { given: 'SAM InlineCode in a folder', type: 'AWS::Serverless::Function', props: 'InlineCode: "exports.handler = async () => 1;", Runtime: nodejs20.x, Handler: src/index.handler', want: '"src/index.handler" names module src/index' },
  ])('$given: said at start; it runs and fails as on Lambda', async ({ type, props, want }) => {
    const file = template(`Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: ${type}\n    Properties: {${props}}\n`);

    const t = await loadTemplate(file);

    expect(t.warnings).toContain(`Resources.Fn.Properties.Handler: ${want}, and Lambda writes inline code to index: each invocation fails with Runtime.ImportModuleError, as on Lambda`);
    expect(t.functions.get('Fn')?.unavailable).toBeUndefined();
  });

  it('index.handler: nothing said', async () => {
    const file = template('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Code: {ZipFile: "exports.handler = async () => 1;"}, Runtime: nodejs20.x, Handler: index.handler}\n');

    const t = await loadTemplate(file);

    expect(t.warnings).not.toContainEqual(expect.stringContaining('Properties.Handler'));
  });
});
