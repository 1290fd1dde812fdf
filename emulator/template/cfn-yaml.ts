/** CloudFormation YAML: the `yaml` package plus the short-form intrinsic tags (!Ref, !Sub...). */
import { createRequire } from 'node:module';
import type { ScalarTag, CollectionTag, YAMLMap } from 'yaml';
import { TemplateError } from './model.js';
import { indentFlowContinuations } from './flow-indent.js';
import { cachedParse } from './parse-cache.js';

/** Short tag → long form. Fn::GetAtt's scalar form "A.B" is split; !Ref and !Condition keep their key. */
const SHORT_TAGS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
};

type Yaml = typeof import('yaml');
let loaded: Yaml | undefined;

/** The YAML reader, loaded on first use: a start whose files are all in the parse cache never loads it. */
function yaml(): Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as Yaml;
  return loaded;
}

function wrap(longName: string, value: unknown): YAMLMap {
  const { Pair, Scalar, YAMLMap } = yaml();
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(longName), value));
  return map;
}

function scalarValue(longName: string, text: string): unknown {
  if (longName !== 'Fn::GetAtt') return text;
  // CloudFormation splits "Resource.Attr.With.Dots" at the first dot only.
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function cfnTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [short, longName] of Object.entries(SHORT_TAGS)) {
    const tag = `!${short}`;
    tags.push({
      tag,
      resolve: (text: string) => ({ [longName]: scalarValue(longName, text) }),
    } as ScalarTag);
    for (const collection of ['seq', 'map'] as const) {
      tags.push({ tag, collection, resolve: (node) => wrap(longName, node) } as CollectionTag);
    }
  }
  return tags;
}

const CFN_TAGS = cfnTags();

/**
 * Zero-padded integers as the SAM CLI's YAML 1.1 reads them: octal when every digit is 0-7, else a
 * string (an account id such as 012345678901 keeps its leading zero; YAML 1.2 would make it 12345678901).
 */
const ZERO_PADDED: ScalarTag[] = [
  { tag: 'tag:emulator,octal', default: true, test: /^[-+]?0[0-7]+$/, resolve: (text: string) => parseInt(text, 8) },
  { tag: 'tag:emulator,zero-padded', default: true, test: /^[-+]?0[0-9]+$/, resolve: (text: string) => text },
];

/** Parse CloudFormation YAML (or JSON) with short-form tags turned into long-form intrinsics. */
export function parseCfnYaml(
  text: string,
  file: string,
  options: { shortTags?: boolean; unresolvedTagHint?: string; warnings?: string[] } = {},
): unknown {
  const json = parseJson(text, file);
  if (json !== undefined) return json;
  const shortTags = options.shortTags ?? true;
  // A parse that warns (a key written twice) is not kept: its warnings must show on every start.
  const warnings: string[] = [];
  const value = cachedParse(text, shortTags, () => {
    const parsed = parseYaml(text, file, shortTags, { ...options, warnings });
    return { value: parsed, keep: warnings.length === 0 };
  });
  options.warnings?.push(...warnings);
  return value;
}

function parseYaml(text: string, file: string, shortTags: boolean, options: { unresolvedTagHint?: string; warnings: string[] }): unknown {
  const parse = (uniqueKeys: boolean, source: string) =>
    yaml().parseDocument(source, {
      customTags: (tags) => [...ZERO_PADDED, ...tags, ...(shortTags ? CFN_TAGS : [])],
      prettyErrors: true,
      uniqueKeys,
      // CloudFormation templates are YAML 1.1-ish, but "on"/"yes" as booleans would break paths like /on.
      version: '1.2',
      // `<<: *anchor` merge keys, which the SAM CLI's YAML 1.1 reader applies.
      merge: true,
    });
  let source = text;
  let doc = parse(true, source);
  if (doc.errors.some(isFlowIndentError)) {
    // The SAM CLI's and CloudFormation's readers accept flow collections indented no deeper than their key; the
    // re-indented text keeps every line where it was, so later errors still name the right line.
    const lenient = parse(true, indentFlowContinuations(text));
    if (!lenient.errors.some(isFlowIndentError)) [source, doc] = [indentFlowContinuations(text), lenient];
  }
  // CloudFormation (and the SAM CLI) accept a key written twice in one map and keep the last value, as JSON.parse
  // does: so does the gateway, and it says where.
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (duplicates.length > 0 && duplicates.length === doc.errors.length) {
    for (const d of duplicates) options.warnings.push(`${file}: line ${d.linePos?.[0]?.line ?? 0}: a key written twice in one map; the last value is used, as CloudFormation does`);
    doc = parse(false, source);
  }
  if (doc.errors.some((e) => e.code === 'MULTIPLE_DOCS')) {
    throw new TemplateError(file, '(root)', 'the file holds several YAML documents (---); a template is one document');
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? 0;
    throw new TemplateError(file, `line ${line}`, `YAML syntax error: ${firstLine(first.message)}`);
  }
  const unresolved = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unresolved) {
    const line = unresolved.linePos?.[0]?.line ?? 0;
    const hint = options.unresolvedTagHint ?? '';
    throw new TemplateError(file, `line ${line}`, `${firstLine(unresolved.message)}${hint}`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

/**
 * A JSON template is read as JSON. A `.json` file must be valid JSON; another file that merely starts
 * with `{` may be a YAML flow map and goes to the YAML reader when it is not JSON.
 */
function parseJson(text: string, file: string): unknown {
  if (!text.trimStart().startsWith('{') && !file.endsWith('.json')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (file.endsWith('.json')) throw new TemplateError(file, '(root)', `JSON syntax error: ${(error as Error).message}`);
    return undefined;
  }
}

/** What a strict reader says of a flow collection or quoted scalar whose lines start under its key (flow-indent.ts). */
function isFlowIndentError(e: { code: string; message: string }): boolean {
  return (
    (e.code === 'BAD_INDENT' && /^Flow (map|sequence) in block collection/.test(e.message)) ||
    (e.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(e.message)) ||
    // A quoted scalar's closing line `}"` at the key's column: its `}` read as a token of its own.
    (e.code === 'UNEXPECTED_TOKEN' && /^Unexpected flow-(map|seq)-end token/.test(e.message))
  );
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
