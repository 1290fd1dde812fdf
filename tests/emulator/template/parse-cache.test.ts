/** Parsed YAML is kept as JSON by the text's hash: a warm start reads it back instead of parsing again. */
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../../emulator/template/cfn-yaml.js';
import { cachedParse, parseCacheFile } from '../../../emulator/template/parse-cache.js';

/** A parse function that counts its calls. */
function counting(value: unknown, keep = true): { parse: () => { value: unknown; keep: boolean }; calls: () => number } {
  let calls = 0;
  return { parse: () => ((calls += 1), { value, keep }), calls: () => calls };
}

describe('parse cache', () => {
  it.each([
    { given: 'a JSON-shaped value', value: { a: [1, 'x', null, true], b: { c: 0.5 } }, wantCalls: 1 },
    { given: 'a value with Infinity, which JSON cannot hold', value: { limit: Infinity }, wantCalls: 2 },
    { given: 'a value with NaN', value: { n: Number.NaN }, wantCalls: 2 },
  ])('$given is parsed $wantCalls time(s) for two reads of the same text, and read back equal', ({ value, wantCalls }) => {
    const text = `key: ${randomUUID()}`;
    const counter = counting(value);

    const first = cachedParse(text, true, counter.parse);
    const second = cachedParse(text, true, counter.parse);

    expect(counter.calls()).toBe(wantCalls);
    expect(first).toEqual(value);
    expect(second).toEqual(value);
  });

  it('parses every time what the parser says not to keep', () => {
    const text = `key: ${randomUUID()}`;
    const counter = counting({ warned: true }, false);

    cachedParse(text, true, counter.parse);
    cachedParse(text, true, counter.parse);

    expect(counter.calls()).toBe(2);
  });

  it('keeps texts read with and without short-form tags apart', () => {
    const text = `key: ${randomUUID()}`;
    const withTags = counting({ tags: true });
    const withoutTags = counting({ tags: false });

    cachedParse(text, true, withTags.parse);
    const other = cachedParse(text, false, withoutTags.parse);

    expect(other).toEqual({ tags: false });
    expect(withoutTags.calls()).toBe(1);
  });

  it('parses again when a cached file is unreadable JSON', () => {
    const text = `key: ${randomUUID()}`;
    const counter = counting({ fresh: true });
    cachedParse(text, true, counter.parse);
    const file = parseCacheFile(text, true);
    const wasWritten = existsSync(file);
    writeFileSync(file, '{not json');

    const value = cachedParse(text, true, counter.parse);

    expect(wasWritten).toBe(true);
    expect(value).toEqual({ fresh: true });
    expect(counter.calls()).toBe(2);
  });

  it('a key written twice warns on every read, not only the first', () => {
    const text = `Key${randomUUID().replaceAll('-', '')}: 1\nOther: 2\nOther: 3\n`;
    const [first, second]: string[][] = [[], []];

    const a = parseCfnYaml(text, 'template.yaml', { warnings: first });
    const b = parseCfnYaml(text, 'template.yaml', { warnings: second });

    expect(b).toEqual(a);
    expect(second).toEqual(first);
    expect(second).toEqual([expect.stringMatching(/line 3: a key written twice/)]);
  });

  it('a CloudFormation template read twice gives the same value, short-form tags included', () => {
    const text = `Resources:\n  T${randomUUID().replaceAll('-', '')}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: !Sub '\${AWS::StackName}-t'\n      Arn: !GetAtt Other.Arn\n      Account: 012345678901\n`;

    const first = parseCfnYaml(text, 'template.yaml');
    const second = parseCfnYaml(text, 'template.yaml');

    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toContain('{"Fn::Sub":"${AWS::StackName}-t"}');
    expect(JSON.stringify(second)).toContain('{"Fn::GetAtt":["Other","Arn"]}');
    expect(JSON.stringify(second)).toContain('"Account":"012345678901"');
  });
});
