/** CloudFormation YAML: the `yaml` package plus the short-form intrinsic tags (!Ref, !Sub...). */
import { parseDocument, Pair, Scalar, YAMLMap, type ScalarTag, type CollectionTag } from 'yaml';
import { TemplateError } from './model.js';

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

function wrap(longName: string, value: unknown): YAMLMap {
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

/** Parse CloudFormation YAML (or JSON) with short-form tags turned into long-form intrinsics. */
export function parseCfnYaml(
  text: string,
  file: string,
  options: { shortTags?: boolean; unresolvedTagHint?: string } = {},
): unknown {
  const shortTags = options.shortTags ?? true;
  const doc = parseDocument(text, {
    customTags: shortTags ? CFN_TAGS : [],
    prettyErrors: true,
    uniqueKeys: true,
    // CloudFormation templates are YAML 1.1-ish, but "on"/"yes" as booleans would break paths like /on.
    version: '1.2',
  });
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

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
