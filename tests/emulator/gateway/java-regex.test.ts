/**
 * Model patterns are Java's (R5: API Gateway validates with a Java JSON-schema validator): translated for JavaScript
 * without its Unicode mode (gateway/java-regex.ts), so that a pattern Java takes never makes a request a 500.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaPatternProblem, javaRegExp } from '../../../emulator/gateway/java-regex.js';
import { harness } from '../conformance/harness.js';

describe('javaRegExp: what Java matches, the local validator matches', () => {
  it.each([
    { given: '[\\w-_]+ (a class escape then a hyphen: a literal hyphen)', pattern: '^[\\w-_]+$', matches: ['a-b_c', 'x'], misses: ['a b', 'a.b'] },
    { given: '\\- and \\@ outside a class (identity escapes)', pattern: '^\\d{3}\\-\\d{4}$', matches: ['555-1234'], misses: ['5551234'] },
    { given: '\\@ and \\_', pattern: '^[a-z\\_]+\\@example\\.com$', matches: ['a_b@example.com'], misses: ['a-b@example.com'] },
    { given: '(?i) as a leading inline flag', pattern: '(?i)^abc$', matches: ['ABC', 'abc'], misses: ['abd'] },
    { given: '\\p{Alpha} and \\p{Digit} (POSIX classes)', pattern: '^\\p{Alpha}+\\p{Digit}$', matches: ['ab1'], misses: ['a12', '1'] },
    { given: '\\p{Upper} inside a class', pattern: '^[\\p{Upper}0-9]+$', matches: ['AB12'], misses: ['ab'] },
    { given: '\\P{Digit} (negated)', pattern: '^\\P{Digit}+$', matches: ['abc'], misses: ['a1'] },
    { given: '\\A and \\z (input boundaries)', pattern: '\\Aab\\z', matches: ['ab'], misses: ['xab', 'abx', 'ab\n'] },
    { given: '\\Z (before a final newline)', pattern: '^ab\\Z', matches: ['ab', 'ab\n'], misses: ['abc'] },
    { given: 'a possessive quantifier (matched greedily)', pattern: '^a++b$', matches: ['aab'], misses: ['b'] },
    { given: 'an atomic group (matched as a group)', pattern: '^(?>ab|a)c$', matches: ['abc'], misses: ['abd'] },
    { given: '\\Q...\\E (quoted)', pattern: '^\\Q1+1=2\\E$', matches: ['1+1=2'], misses: ['11=2'] },
    { given: 'a leading ] in a class is a literal', pattern: '^[]a]+$', matches: [']a]'], misses: ['b'] },
    { given: 'an unanchored pattern finds (JSON Schema)', pattern: '\\d', matches: ['ab1'], misses: ['abc'] },
    { given: '. is one code point, as in Java (an emoji is one)', pattern: '^.{2}$', matches: ['a😀'], misses: ['😀😀😀'] },
    { given: '\\p{IsLatin} (a script) and \\p{Lu} (a category)', pattern: '^\\p{IsLatin}+\\p{Lu}$', matches: ['éaZ'], misses: ['αZ', 'ab'] },
    { given: 'a pattern that could backtrack on a client`s value (run on RE2)', pattern: '^(a+)+$', matches: ['aaaa'], misses: [`${'a'.repeat(40)}!`] },
  ])('$given', ({ pattern, matches, misses }) => {
    const rx = javaRegExp(pattern);

    expect(matches.filter((m) => !rx.test(m))).toEqual([]);
    expect(misses.filter((m) => rx.test(m))).toEqual([]);
  });

  it.each([
    { given: 'a class intersection', pattern: '[a-z&&[^aeiou]]', want: /intersection/ },
    { given: 'a nested class (union)', pattern: '[a-c[x-z]]', want: /class inside a class/ },
    { given: 'an unbalanced group', pattern: '(ab', want: /missing closing \)|Unterminated group/ },
    { given: 'an unknown Unicode class', pattern: '\\p{IsNoSuchScript}', want: /NoSuchScript/ },
    { given: 'a back-reference after a repeated group (it would hold the gateway for minutes on 33 characters)', pattern: '^(a+)+\\1$', want: /could backtrack without bound/ },
  ])('$given: named as not evaluable, and matches everything', ({ pattern, want }) => {
    expect(javaPatternProblem(pattern)).toMatch(want);
    expect(javaRegExp(pattern).test('anything')).toBe(true);
  });
});

describe('R5.5 a model pattern Java takes validates the body (400 or pass), never a 500', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'java-regex-'));
  const template = join(dir, 'template.yaml');
  writeFileSync(
    template,
    `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      OpenApiVersion: 3.0.1
      DefinitionBody:
        openapi: 3.0.1
        info: { title: t, version: '1' }
        x-amazon-apigateway-request-validators: { body: { validateRequestBody: true, validateRequestParameters: false } }
        paths:
          /links:
            put:
              x-amazon-apigateway-request-validator: body
              requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Link' } } } }
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: { application/json: '{"statusCode": 200}' }
                responses: { default: { statusCode: '200' } }
              responses: { '200': { description: ok } }
        components:
          schemas:
            Link:
              type: object
              required: [id, phone]
              properties:
                id: { type: string, pattern: '^[\\w-_]+$' }
                phone: { type: string, pattern: '^\\d{3}\\-\\d{4}$' }
                tag: { type: string, pattern: '[a-z&&[^x]]' }
`,
  );
  const h = await harness('Api', {}, template);
  const put = (body: unknown) => h.send({ method: 'PUT', path: '/v1/links', body: JSON.stringify(body), headers: [['Content-Type', 'application/json']] });

  it.each([
    { given: 'values the patterns match', body: { id: 'my-link_1', phone: '555-1234' }, want: 200 },
    { given: 'an id with a character outside [\\w-_]', body: { id: 'my link', phone: '555-1234' }, want: 400 },
    { given: 'a phone without its hyphen', body: { id: 'a', phone: '5551234' }, want: 400 },
    { given: 'a value for a pattern JavaScript cannot evaluate (matched as if it had none)', body: { id: 'a', phone: '555-1234', tag: 'x' }, want: 200 },
  ])('$given → $want', async ({ body, want }) => {
    const got = await put(body);

    expect(got.status).toBe(want);
    if (want === 400) expect(got.json()).toEqual({ message: 'Invalid request body' });
  });
});
