/**
 * R13.4: a SAM Api event's RequestParameters, read as samtranslator reads them. Its property check takes any one-key
 * map for an intrinsic function and lets it through, then iterates it as a Python dict: the key alone becomes a
 * parameter (not required) and its value is dropped. A list item's map is read by its first key. Each served shape is
 * compared with samtranslator's translation, each refused one with its sentence.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../../emulator/template/load.js';
import { samTranslations } from '../support/sam-translator.js';

type Json = Record<string, unknown>;

const SRC = join(process.cwd(), 'tests/emulator/fixtures/sam-shapes/src');
/** A function whose implicit API's GET /x has the given RequestParameters (YAML, indented under the key). */
const template = (parameters: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${SRC}
      Handler: app.handler
      Runtime: nodejs22.x
      Events:
        Get:
          Type: Api
          Properties:
            Path: /x
            Method: get
            RequestParameters:
${parameters.replace(/^/gm, '              ')}
`;

const SERVED = [
  // NickLeon92/Playlist-Social api/template.yaml: `method.request.header.Authorization: true` under RequestParameters.
  { given: 'a one-key map (not a list)', yaml: 'method.request.header.Authorization: true', warning: /RequestParameters: a map, not a list: SAM deploys its key method\.request\.header\.Authorization as the one parameter, not required, and drops its value true/ },
  { given: 'a one-key map whose value is settings', yaml: 'method.request.querystring.q: {Required: true}', warning: /drops its value \{"Required":true\}/ },
  { given: 'a list item of two keys: the first read', yaml: '- method.request.header.A: {Required: true}\n  method.request.header.B: {Required: true}', warning: /RequestParameters\[0\]: only its first key method\.request\.header\.A is read, as SAM reads it: method\.request\.header\.B dropped/ },
  { given: 'a list item whose second key SAM would refuse alone', yaml: '- method.request.path.id: {Required: true}\n  B: 1', warning: /RequestParameters\[0\]: only its first key .* B dropped/ },
  { given: 'a list of a name and a map', yaml: '- method.request.header.A\n- method.request.querystring.q: {Required: true, Caching: true}', warning: undefined },
  { given: 'null (none)', yaml: 'null', warning: undefined },
  { given: 'an empty list (none)', yaml: '[]', warning: undefined },
];
const REFUSED = [
  { given: 'a map of two keys', yaml: 'method.request.header.A: true\nmethod.request.header.B: true' },
  { given: 'a string', yaml: 'method.request.header.Authorization' },
  { given: 'a number', yaml: '7' },
  { given: 'an empty map', yaml: '{}' },
  { given: 'a one-key map whose key is no parameter name', yaml: 'Authorization: true' },
];

const work = mkdtempSync(join(tmpdir(), 'sam-request-parameters-'));
const file = (kind: string, i: number) => join(work, `${kind}-${i}.yaml`);
let sam: Record<string, { template?: Json; refused?: string }>;

beforeAll(() => {
  const cases = [...SERVED.map((c, i) => [file('served', i), c.yaml]), ...REFUSED.map((c, i) => [file('refused', i), c.yaml])] as [string, string][];
  for (const [path, yaml] of cases) writeFileSync(path, template(yaml));
  sam = samTranslations(cases.map(([path]) => path));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** GET /x's parameters in a document (a translated RestApi Body, or the document the emulator serves). */
const parametersOf = (doc: unknown): unknown => ((((doc as Json).paths as Json)['/x'] as Json).get as Json).parameters ?? null;

describe('R13.4 a SAM Api event\'s RequestParameters: served as samtranslator deploys them', () => {
  it.each(SERVED.map((c, i) => ({ ...c, i })))('$given', async ({ i, warning }) => {
    // Prepare
    const translated = sam[file('served', i)]!.template;
    expect(translated, sam[file('served', i)]!.refused).toBeDefined();
    const body = ((translated!.Resources as Json).ServerlessRestApi as Json).Properties as Json;

    // Act
    const loaded = await loadTemplate(file('served', i));

    // Assess: the same parameters, and what SAM drops is said at start
    expect(parametersOf(loaded.apis[0]!.openapi)).toEqual(parametersOf(body.Body));
    const said = (loaded.warnings ?? []).filter((w) => w.includes('RequestParameters'));
    if (warning) expect(said).toEqual([expect.stringMatching(warning)]);
    else expect(said).toEqual([]);
  });
});

describe('R13.4 a SAM Api event\'s RequestParameters: refused as samtranslator refuses them, in its words', () => {
  it.each(REFUSED.map((c, i) => ({ ...c, i })))('$given', async ({ i }) => {
    // Prepare: SAM's sentence, after its "SAM translator: " and the event's "Resource with id [Fn] ... [Get] is invalid. "
    const refused = sam[file('refused', i)]!.refused ?? '';
    const sentence = /^SAM translator: (?:Resource with id \[Fn\] is invalid\. Event with id \[Get\] is invalid\. )?(.*)$/.exec(refused)?.[1];
    expect(sentence, JSON.stringify(sam[file('refused', i)])).toBeDefined();

    // Act
    const loading = loadTemplate(file('refused', i));

    // Assess
    await expect(loading).rejects.toThrow(sentence!);
  });
});
