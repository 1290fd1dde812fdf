/**
 * Container image functions built from a local Dockerfile on an AWS Lambda base image (template/image-functions.ts):
 * run as a zip function of the base image's runtime, from the DockerContext, with the CMD (or ImageConfig.Command) as
 * handler, the RUN steps named as not run; any other Dockerfile is not run, and the report says why.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/app.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const work = mkdtempSync(join(tmpdir(), 'image-functions-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HANDLER = 'exports.greet = async () => ({ statusCode: 200, body: JSON.stringify({ from: "image" }) });\n';

/** A template with one image function, its context folder holding `files` (the Dockerfile among them). */
function app(name: string, files: Record<string, string>, extra = ''): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'fn'), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'fn', file, '..'), { recursive: true });
    writeFileSync(join(dir, 'fn', file), text);
  }
  writeFileSync(
    join(dir, 'template.yaml'),
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Greeter:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
${extra}      Events:
        Get: { Type: Api, Properties: { Path: /greet, Method: get } }
    Metadata:
      DockerContext: ./fn
      Dockerfile: Dockerfile
      DockerTag: v1
`,
  );
  return join(dir, 'template.yaml');
}

const NODE_IMAGE = 'FROM public.ecr.aws/lambda/nodejs:20\n# code to the task root\nCOPY index.js package.json ./\nRUN npm ci \\\n  --omit=dev\nCMD [ "index.greet" ]\n';

describe('an image function on a Lambda base image', () => {
  it('runs as a function of the base image`s runtime from its DockerContext, the CMD its handler, the RUN steps named as not run', async () => {
    const loaded = await loadTemplate(app('node', { Dockerfile: NODE_IMAGE, 'index.js': HANDLER, 'package.json': '{}' }));
    const spec = loaded.functions.get('Greeter')!;

    expect(spec).toMatchObject({ runtime: 'nodejs20.x', handler: 'index.greet', codeDir: join(work, 'node', 'fn') });
    expect(spec.unavailable).toBeUndefined();
    expect(loaded.warnings).toContain(
      'Resources.Greeter.PackageType: Image: run as a nodejs20.x function from its DockerContext ./fn with Handler index.greet (the Dockerfile\'s base image and CMD); its RUN steps are not run here (npm ci --omit=dev): run them in ./fn for what they install',
    );
  });

  it('answers its route as the image would', async () => {
    const emulator = await startEmulator({ templatePath: app('served', { Dockerfile: NODE_IMAGE, 'index.js': HANDLER, 'package.json': '{}' }), port: 0, localDir: join(work, 'served-local'), log: () => undefined });
    try {
      const res = await fetch(`${emulator.apis[0]!.url}/greet`);

      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ from: 'image' });
    } finally {
      await emulator.close();
    }
  });

  it('takes ImageConfig.Command over the CMD, and a Python base image`s version as the runtime`s', async () => {
    const dockerfile = 'FROM public.ecr.aws/lambda/python:3.12\nCOPY *.py ./\nCMD ["app.handler"]\n';
    const loaded = await loadTemplate(app('python', { Dockerfile: dockerfile, 'app.py': 'def other(e, c):\n    return 1\n' }, '      ImageConfig:\n        Command: ["app.other"]\n'));

    expect(loaded.functions.get('Greeter')).toMatchObject({ runtime: 'python3.12', handler: 'app.other' });
  });

  it('runs from the one folder whose contents COPY puts in the task root, beside requirements.txt for its RUN pip install (CyzarS/notas-venta-api)', async () => {
    const dockerfile = 'FROM public.ecr.aws/lambda/python:3.11\nCOPY requirements.txt ${LAMBDA_TASK_ROOT}/\nRUN pip install -r requirements.txt\nCOPY src/ ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n';
    const loaded = await loadTemplate(app('python-src', { Dockerfile: dockerfile, 'requirements.txt': 'boto3\n', 'src/app.py': 'def handler(e, c):\n    return 1\n' }));

    expect(loaded.functions.get('Greeter')).toMatchObject({ runtime: 'python3.11', handler: 'app.handler', codeDir: join(work, 'python-src', 'fn', 'src') });
    expect(loaded.functions.get('Greeter')?.unavailable).toBeUndefined();
    expect(loaded.warnings).toContain(
      'Resources.Greeter.PackageType: Image: run as a python3.11 function from fn/src (the folder of its DockerContext ./fn whose contents COPY puts in the task root) with Handler app.handler (the Dockerfile\'s base image and CMD); its RUN steps are not run here (pip install -r requirements.txt): run them in ./fn for what they install',
    );
  });

  it.each([
    { given: 'a multi-stage build', dockerfile: 'FROM golang:1.22 AS build\nRUN go build\nFROM public.ecr.aws/lambda/provided:al2023\nCOPY --from=build /bootstrap ./\n', why: 'its Dockerfile has 2 FROM instructions' },
    { given: 'a base image that is not Lambda`s', dockerfile: 'FROM node:20\nCOPY index.js ./\nCMD ["index.greet"]\n', why: 'its base image node:20 is not an AWS Lambda base image for Node.js or Python' },
    { given: 'files copied outside the task root', dockerfile: 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY index.js ./\nCOPY data /opt/data\nCMD ["index.greet"]\n', why: 'its Dockerfile copies to /opt/data, not the task root' },
    { given: 'a folder copied into the task root beside code (its contents land there, among the files)', dockerfile: 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY index.js ./\nCOPY data ./\nCMD ["index.greet"]\n', why: "its Dockerfile's COPY data does not keep the context's layout" },
    { given: 'a folder copied over the whole context', dockerfile: 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY . ./\nCOPY data/ ./\nCMD ["index.greet"]\n', why: "its Dockerfile's COPY data/ does not keep the context's layout" },
    { given: 'two folders copied into the task root', dockerfile: 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY data/ ./\nCOPY src/ ./\nCMD ["index.greet"]\n', why: "its Dockerfile's COPY data/ does not keep the context's layout" },
    { given: 'an ENV the function would see', dockerfile: 'FROM public.ecr.aws/lambda/nodejs:20\nENV MODE=image\nCOPY index.js ./\nCMD ["index.greet"]\n', why: "its Dockerfile's ENV is not applied locally" },
    { given: 'no handler', dockerfile: 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY index.js ./\n', why: "neither its Dockerfile's CMD nor ImageConfig.Command names the handler" },
  ])('is not run, saying why, for $given', async ({ dockerfile, why }) => {
    const name = `refused-${why.replace(/[^a-z]/gi, '').slice(0, 40)}`;
    const loaded = await loadTemplate(app(name, { Dockerfile: dockerfile, 'index.js': HANDLER, 'data/x.txt': 'x', 'src/y.txt': 'y' }));

    expect(loaded.functions.get('Greeter')?.unavailable).toContain(`a container image function (PackageType Image) cannot run locally: ${why}`);
  });
});
