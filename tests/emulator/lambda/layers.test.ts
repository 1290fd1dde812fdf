/**
 * Layers: a layer of the template with a local content folder is where the function finds what Lambda would have
 * extracted into /opt (template/layers.ts, lambda/layer-paths.ts): Python's import path, Node.js's NODE_PATH for
 * `require`, and files named under /opt; a layer only on AWS, or whose content is missing, is a startup warning.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { payload } from './support/outcome.js';

const FILES: Record<string, string> = {
  'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Layers: [!Ref NodeLayer]
Resources:
  NodeLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/node/}
  PyLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/py/}
  PyBuiltLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/py-built/, CompatibleRuntimes: [python3.12]}
    Metadata: {BuildMethod: python3.12}
  OverridingPyLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/py-override/}
  MissingLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/not-built/}
  PyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: py/, Layers: [!Ref PyLayer, !Ref PyBuiltLayer, !Ref OverridingPyLayer]}
  CjsFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: cjs/}
  EsmFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: esm/}
  RemoteLayerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: cjs/
      Layers: [arn:aws:lambda:us-east-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:40, !Ref MissingLayer]
`,
  'layers/node/nodejs/node_modules/shared-lib/index.js': "exports.shout = (s) => s.toUpperCase() + '!';\n",
  'layers/node/nodejs/helper.js': "exports.helper = 'from /opt/nodejs/helper.js';\n",
  'layers/node/nodejs/util.mjs': "export const util = 'from /opt/nodejs/util.mjs';\n",
  'layers/py/python/greeting.py': 'GREETING = "from the python/ folder of PyLayer"\nWHO = "PyLayer"\n',
  'layers/py-built/built_util.py': 'SOURCE = "PyBuiltLayer content, built into python/ by sam build"\n',
  'layers/py-override/python/lib/python3.12/site-packages/greeting.py': 'GREETING = "from site-packages of OverridingPyLayer"\n',
  'py/app.py': `import built_util
import greeting


def handler(event, context):
    return {"greeting": greeting.GREETING, "built": built_util.SOURCE}
`,
  'cjs/app.js': `const { shout } = require('shared-lib');
const { helper } = require('/opt/nodejs/helper');
exports.handler = async () => ({ shout: shout('layer'), helper });
`,
  'esm/package.json': '{"type": "module"}\n',
  'esm/app.js': `import { util } from '/opt/nodejs/util.mjs';
export const handler = async () => ({ util });
`,
};

const dir = mkdtempSync(join(tmpdir(), 'layers-'));
let template: LoadedTemplate;
let service: LocalLambdaService;

beforeAll(async () => {
  for (const [name, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  template = await loadTemplate(join(dir, 'template.yaml'));
  service = new LocalLambdaService(template, { buildDir: join(dir, '.build') });
});
afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('layers with a local content folder', () => {
  it('a Python function imports from its layers: python/lib/python3.12/site-packages before python/, as on the Lambda sys.path; a layer built by runtime (BuildMethod python3.12) is its content', async () => {
    const result = payload(await service.invoke('PyFunction', {}));

    expect(result).toEqual({ greeting: 'from site-packages of OverridingPyLayer', built: 'PyBuiltLayer content, built into python/ by sam build' });
  });

  it('a CommonJS function requires a package from the layer\'s nodejs/node_modules and a file under /opt (Globals.Function.Layers)', async () => {
    expect(payload(await service.invoke('CjsFunction', {}))).toEqual({ shout: 'LAYER!', helper: 'from /opt/nodejs/helper.js' });
  });

  it('an ES module function imports a file under /opt', async () => {
    expect(payload(await service.invoke('EsmFunction', {}))).toEqual({ util: 'from /opt/nodejs/util.mjs' });
  });

  it('the loader lists each function\'s local layers in order, Globals first (as SAM merges lists)', () => {
    expect(template.functions.get('PyFunction')?.layers?.map((l) => l.logicalId)).toEqual(['NodeLayer', 'PyLayer', 'PyBuiltLayer', 'OverridingPyLayer']);
    expect(template.functions.get('PyFunction')?.layers?.[2]).toEqual({ logicalId: 'PyBuiltLayer', contentDir: join(dir, 'layers/py-built'), buildMethod: 'python3.12' });
  });
});

describe('layers that exist only on AWS', () => {
  it('are startup warnings, and the function runs without them', async () => {
    expect(template.warnings).toEqual(
      expect.arrayContaining([
        'Resources.RemoteLayerFunction.Properties.Layers[1]: layer arn:aws:lambda:us-east-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:40 exists only on AWS: it is Powertools for AWS Lambda (TypeScript), the @aws-lambda-powertools/* packages; what the function imports from it must be installed in its own folder to run locally',
        'Resources.RemoteLayerFunction.Properties.Layers[2]: layer MissingLayer: its content folder layers/not-built/ does not exist; the function runs without it',
      ]),
    );
    expect(template.functions.get('RemoteLayerFunction')?.layers?.map((l) => l.logicalId)).toEqual(['NodeLayer']);
    expect(template.functions.get('RemoteLayerFunction')?.absentLayers).toEqual([{ logicalId: 'MissingLayer', contentDir: join(dir, 'layers/not-built') }]);
    expect(payload(await service.invoke('RemoteLayerFunction', {}))).toEqual({ shout: 'LAYER!', helper: 'from /opt/nodejs/helper.js' });
  });

  it('the layer resources are accounted for as emulated in the startup report', () => {
    expect(template.resources?.find((g) => g.type === 'AWS::Serverless::LayerVersion')).toMatchObject({ status: 'emulated', logicalIds: ['NodeLayer', 'PyLayer', 'PyBuiltLayer', 'OverridingPyLayer', 'MissingLayer'] });
  });
});
