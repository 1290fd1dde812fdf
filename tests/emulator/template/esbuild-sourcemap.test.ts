/**
 * esbuild BuildProperties Sourcemap true: sam build adds --enable-source-maps to the function's NODE_OPTIONS
 * (EsbuildBundlerManager._set_sourcemap_env_from_metadata, " ".join of the value there and the flag), so the deployed
 * function has it in its environment; a NODE_OPTIONS that already names the flag is left as it is.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { template } from './support/function-templates.js';

const fn = (props: string, buildProperties: string): string =>
  `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: src, Handler: app.handler, Runtime: nodejs22.x${props}}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [app.ts]${buildProperties}}}\n`;

describe('NODE_OPTIONS of an esbuild function, as sam build writes it', () => {
  it.each([
    { given: 'Sourcemap true, no NODE_OPTIONS', props: '', build: ', Sourcemap: true', want: ' --enable-source-maps' },
    { given: 'Sourcemap true, NODE_OPTIONS of other flags', props: ', Environment: {Variables: {NODE_OPTIONS: --max-old-space-size=100}}', build: ', Sourcemap: true', want: '--max-old-space-size=100 --enable-source-maps' },
    { given: 'Sourcemap true, NODE_OPTIONS naming the flag', props: ', Environment: {Variables: {NODE_OPTIONS: --enable-source-maps}}', build: ', Sourcemap: true', want: '--enable-source-maps' },
    { given: 'Sourcemap false', props: '', build: ', Sourcemap: false', want: undefined },
    { given: 'no Sourcemap', props: '', build: '', want: undefined },
  ])('$given', async ({ props, build, want }) => {
    const file = template(fn(props, build), { 'src/app.ts': 'export const handler = async () => 1;\n' });

    const spec = (await loadTemplate(file)).functions.get('Fn');

    expect(spec?.build).toBeDefined();
    expect(spec?.environment.NODE_OPTIONS).toBe(want);
  });
});
