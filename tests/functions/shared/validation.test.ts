import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { BadRequestError, UnsupportedMediaTypeError, ValidationError } from '../../../functions/shared/errors.js';
import { header, jsonBody, listQuery, pathParam, pathValue } from '../../../functions/shared/request.js';
import { validateBody, validatorFor } from '../../../functions/shared/validation.js';

function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('body validation against the contract schemas', () => {
  it('accepts a minimal NewTask', () => {
    expect(validateBody('NewTask', { title: 'Write' })).toEqual({ title: 'Write' });
  });

  it.each([
    { name: 'unknown field', given: { title: 'x', owner: 'eve' }, pointer: '/owner', message: 'is not an allowed property' },
    { name: 'missing title', given: { priority: 'high' }, pointer: '/title', message: 'is required' },
    { name: 'empty title', given: { title: '' }, pointer: '/title', message: 'must NOT have fewer than 1 characters' },
    { name: 'bad status', given: { title: 'x', status: 'doing' }, pointer: '/status', message: 'must be equal to one of the allowed values' },
    { name: 'bad date', given: { title: 'x', dueDate: '2026-13-45' }, pointer: '/dueDate', message: 'must match format "date"' },
    { name: 'duplicate tags', given: { title: 'x', tags: ['a', 'a'] }, pointer: '/tags', message: expect.stringContaining('duplicate') },
    { name: 'tag with leading space', given: { title: 'x', tags: [' a'] }, pointer: '/tags/0', message: expect.stringContaining('pattern') },
    { name: 'not an object', given: 'title', pointer: '/', message: 'must be object' },
  ])('NewTask with $name → 400 naming $pointer', ({ given, pointer, message }) => {
    const error = thrown(() => validateBody('NewTask', given)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toContainEqual({ pointer, message });
    expect(error.detail).toContain(pointer);
  });

  it.each([
    { name: 'a NUL in the title', given: { title: 'a\u0000b' }, pointer: '/title' },
    { name: 'an escape (ESC) in the title', given: { title: '\u001b[31mred' }, pointer: '/title' },
    { name: 'a line feed in the title', given: { title: 'two\nlines' }, pointer: '/title' },
    { name: 'DEL in the title', given: { title: 'a\u007f' }, pointer: '/title' },
    { name: 'a C1 control (NEL) in the title', given: { title: 'a\u0085' }, pointer: '/title' },
    { name: 'a line separator in the title', given: { title: 'a\u2028b' }, pointer: '/title' },
    { name: 'a NUL in the description', given: { title: 'x', description: 'a\u0000' }, pointer: '/description' },
    { name: 'a backspace in the description', given: { title: 'x', description: 'a\bb' }, pointer: '/description' },
    { name: 'a tab in a tag', given: { title: 'x', tags: ['a\tb'] }, pointer: '/tags/0' },
    { name: 'a line separator in a tag', given: { title: 'x', tags: ['a\u2028b'] }, pointer: '/tags/0' },
  ])('NewTask and TaskUpdate with $name → 400 naming $pointer (control characters are refused)', ({ given, pointer }) => {
    for (const [schema, body] of [['NewTask', given], ['TaskUpdate', { status: 'todo', priority: 'low', tags: [], ...given }]] as const) {
      const error = thrown(() => validateBody(schema, body)) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.errors).toContainEqual({ pointer, message: expect.stringContaining('pattern') });
    }
  });

  it('control-character neighbours are accepted: tab, line feed and CR in a description, and any printable text', () => {
    const body = { title: 'Café ☕ 😀 \u00a0x', description: 'line 1\r\n\tline 2', tags: ['ü-tag', 'a b'] };
    expect(validateBody('NewTask', body)).toEqual(body);
  });

  it('a stored task is read with the lenient schema: one written before the rule (a tab in its title) still reads back', () => {
    expect(validatorFor('Task')({ id: '01JD5ZQ3W8K2M4N6P8R0T2V4X6', title: 'a\tb', status: 'todo', priority: 'low', tags: [], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1 })).toBe(true);
  });

  it('TaskUpdate requires the full representation', () => {
    const error = thrown(() => validateBody('TaskUpdate', { title: 'x' })) as ValidationError;
    expect(error.errors?.map((e) => e.pointer).sort()).toEqual(['/priority', '/status', '/tags']);
  });

  it('understands the contract `nullable` (Pagination.nextCursor)', () => {
    const isPage = validatorFor('TaskPage');
    expect(isPage({ data: [], pagination: { hasMore: false, nextCursor: null } })).toBe(true);
    expect(isPage({ data: [], pagination: { hasMore: false, nextCursor: 3 } })).toBe(false);
  });
});

const proxy = (over: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent => ({ headers: {}, body: null, isBase64Encoded: false, ...over }) as APIGatewayProxyEvent;

describe('request parsing', () => {
  it('finds headers case-insensitively', () => {
    expect(header(proxy({ headers: { 'IDEMPOTENCY-KEY': 'k1' } }), 'Idempotency-Key')).toBe('k1');
  });

  it.each([
    { given: 'two lines (headers keeps the last)', headers: { 'If-Match': '*' }, multi: { 'If-Match': ['"1"', '*'] }, want: '"1", *' },
    { given: 'two lines under two spellings', headers: { 'if-match': '*' }, multi: { 'If-Match': ['"1"'], 'if-match': ['*'] }, want: '"1", *' },
    { given: 'one line', headers: { 'If-Match': '"1"' }, multi: { 'If-Match': ['"1"'] }, want: '"1"' },
    { given: 'the same value on two lines: one value', headers: { 'If-Match': '"1"' }, multi: { 'If-Match': ['"1"', '"1"'] }, want: '"1"' },
    { given: 'no multiValueHeaders at all', headers: { 'If-Match': '"1"' }, multi: null, want: '"1"' },
  ])('reads repeated header lines as one list (RFC 9110 §5.3): $given', ({ headers, multi, want }) => {
    expect(header(proxy({ headers, multiValueHeaders: multi as APIGatewayProxyEvent['multiValueHeaders'] }), 'if-match')).toBe(want);
  });

  it.each(['limit', 'status', 'cursor'])('listQuery refuses %s given twice (the last would win unseen)', (name) => {
    const error = thrown(() => listQuery({ queryStringParameters: { [name]: 'x' }, multiValueQueryStringParameters: { [name]: ['500', 'x'] } })) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors?.[0]).toEqual({ pointer: name, message: 'must be given at most once' });
  });

  it('listQuery neighbour: each given once, and another parameter repeated, is read', () => {
    expect(listQuery({ queryStringParameters: { limit: '5', other: 'b' }, multiValueQueryStringParameters: { limit: ['5'], other: ['a', 'b'] } })).toEqual({ limit: 5 });
  });

  it.each([
    { name: 'no content type', headers: {}, body: '{}', want: UnsupportedMediaTypeError },
    { name: 'text/plain', headers: { 'Content-Type': 'text/plain' }, body: '{}', want: UnsupportedMediaTypeError },
    { name: 'malformed JSON', headers: { 'content-type': 'application/json' }, body: '{"title":', want: BadRequestError },
  ])('jsonBody with $name is rejected', ({ headers, body, want }) => {
    expect(thrown(() => jsonBody(proxy({ headers, body })))).toBeInstanceOf(want);
  });

  it('jsonBody reads JSON with a charset and base64 bodies', () => {
    const headers = { 'Content-Type': 'application/json; charset=utf-8' };
    expect(jsonBody(proxy({ headers, body: '{"a":1}' }))).toEqual({ a: 1 });
    expect(jsonBody(proxy({ headers, body: Buffer.from('{"b":2}').toString('base64'), isBase64Encoded: true }))).toEqual({ b: 2 });
  });

  it.each([
    { given: 'a BOM before the JSON', body: '\uFEFF{"a":1}', base64: false, want: { a: 1 } },
    { given: 'a BOM in a base64 body', body: Buffer.from('\uFEFF{"a":1}').toString('base64'), base64: true, want: { a: 1 } },
  ])('jsonBody ignores $given (RFC 8259 §8.1)', ({ body, base64, want }) => {
    expect(jsonBody(proxy({ headers: { 'Content-Type': 'application/json' }, body, isBase64Encoded: base64 }))).toEqual(want);
  });

  /** A base64 body, as an HTTP API sends bytes that are no UTF-8 (H4.11): `{"t":"<bytes>"}`. */
  const base64Json = (bytes: number[]) => Buffer.concat([Buffer.from('{"t":"'), Buffer.from(bytes), Buffer.from('"}')]).toString('base64');

  it.each([
    { given: 'a Latin-1 é', bytes: [0x63, 0x61, 0x66, 0xe9] },
    { given: 'a lone continuation byte', bytes: [0x80] },
    { given: 'an overlong "/"', bytes: [0xc0, 0xaf] },
    { given: 'a UTF-16 surrogate in UTF-8 form', bytes: [0xed, 0xa0, 0x80] },
    { given: 'a sequence cut short', bytes: [0xe2, 0x82] },
  ])('jsonBody refuses a base64 body that is no UTF-8 ($given) as malformed JSON, never storing U+FFFD for it', ({ bytes }) => {
    const error = thrown(() => jsonBody(proxy({ headers: { 'Content-Type': 'application/json' }, body: base64Json(bytes), isBase64Encoded: true }))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.slug).toBe('malformed-json');
  });

  it('jsonBody neighbour: a base64 body of well-formed UTF-8 (é, 😀, a BOM first) is read as sent', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base64Json([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]), 'base64')]).toString('base64');
    expect(jsonBody(proxy({ headers: { 'Content-Type': 'application/json' }, body, isBase64Encoded: true }))).toEqual({ t: 'é😀' });
  });

  it.each([
    { given: 'two BOMs', body: '\uFEFF\uFEFF{"a":1}' },
    { given: 'a BOM after leading space', body: ' \uFEFF{"a":1}' },
    { given: 'a BOM alone', body: '\uFEFF' },
  ])('jsonBody refuses $given as malformed JSON', ({ body }) => {
    const error = thrown(() => jsonBody(proxy({ headers: { 'Content-Type': 'application/json' }, body }))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it.each([
    { given: null, want: { limit: 20 } },
    { given: { limit: '1' }, want: { limit: 1 } },
    { given: { limit: '001' }, want: { limit: 1 } },
    { given: { limit: '0001' }, want: { limit: 1 } },
    { given: { limit: '00000000000000000000100' }, want: { limit: 100 } },
    { given: { limit: '100', status: 'done', cursor: 'abc' }, want: { limit: 100, status: 'done', cursor: 'abc' } },
  ])('listQuery $given', ({ given, want }) => {
    expect(listQuery({ queryStringParameters: given })).toEqual(want);
  });

  it.each([
    { given: { limit: '0' }, pointer: 'limit' },
    { given: { limit: '101' }, pointer: 'limit' },
    { given: { limit: '2.5' }, pointer: 'limit' },
    { given: { limit: 'ten' }, pointer: 'limit' },
    { given: { limit: '' }, pointer: 'limit' },
    { given: { limit: '0000' }, pointer: 'limit' },
    { given: { limit: '1e1' }, pointer: 'limit' },
    { given: { limit: '+5' }, pointer: 'limit' },
    { given: { limit: ' 5' }, pointer: 'limit' },
    { given: { limit: '0x10' }, pointer: 'limit' },
    { given: { limit: '9'.repeat(400) }, pointer: 'limit' },
    { given: { status: 'archived' }, pointer: 'status' },
    { given: { cursor: '' }, pointer: 'cursor' },
    { given: { cursor: 'x'.repeat(2049) }, pointer: 'cursor' },
  ])('listQuery $given → 400 naming $pointer', ({ given, pointer }) => {
    const error = thrown(() => listQuery({ queryStringParameters: given })) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors?.[0]?.pointer).toBe(pointer);
    expect(error.detail).toMatch(new RegExp(`^${pointer}: `));
  });

  it('pathParam rejects a taskId that is not a ULID', () => {
    expect(pathParam({ pathParameters: { taskId: '01JD5ZQ3W8K2M4N6P8R0T2V4X6' } }, 'taskId', 'TaskId')).toBe('01JD5ZQ3W8K2M4N6P8R0T2V4X6');
    expect(thrown(() => pathParam({ pathParameters: { taskId: 'nope' } }, 'taskId', 'TaskId'))).toBeInstanceOf(ValidationError);
  });

  it.each([
    { given: 'a REST event (no version): decoded', event: { pathParameters: { id: 'a%2541' } }, want: 'a%41' },
    { given: 'an HTTP API payload 1.0 event: already decoded by API Gateway (H4.3), kept', event: { version: '1.0', pathParameters: { id: 'a%41' } }, want: 'a%41' },
    { given: 'a REST event with a malformed escape: no value', event: { pathParameters: { id: '%E0%A4%A' } }, want: undefined },
    { given: 'a REST event with an escape of bytes that are no UTF-8: no value', event: { pathParameters: { id: '%ED%A0%80' } }, want: undefined },
    { given: 'no such parameter', event: { pathParameters: null }, want: undefined },
  ])('pathValue of $given', ({ event, want }) => {
    expect(pathValue(event, 'id')).toBe(want);
  });
});

describe('validation problems never echo the caller back', () => {
  const problemOf = (body: unknown) => thrown(() => validateBody('NewTask', body)) as ValidationError;

  it.each([
    { given: 'a 1 MB title', body: { title: 'X'.repeat(1024 * 1024) }, pointer: '/title', message: 'must NOT have more than 200 characters' },
    { given: 'a 1 MB tag', body: { title: 't', tags: ['T'.repeat(1024 * 1024)] }, pointer: '/tags/0', message: 'must NOT have more than 50 characters' },
  ])('$given: the field and the rule, not the value', ({ body, pointer, message }) => {
    const problem = problemOf(body);
    expect(problem.errors).toContainEqual({ pointer, message });
    expect(JSON.stringify({ detail: problem.detail, errors: problem.errors }).length).toBeLessThan(1024);
  });

  it('a 1 MB unknown property name is cut to 64 characters in its pointer', () => {
    const problem = problemOf({ title: 't', ['k'.repeat(1024 * 1024)]: 1 });
    expect(problem.errors).toEqual([{ pointer: `/${'k'.repeat(64)}…`, message: 'is not an allowed property' }]);
  });

  it('an unknown property name of 64 characters once escaped is quoted whole, as a JSON Pointer (RFC 6901)', () => {
    const name = `a/b~${'c'.repeat(58)}`;
    const problem = problemOf({ title: 't', [name]: 1 });
    expect(problem.errors).toEqual([{ pointer: `/a~1b~0${'c'.repeat(58)}`, message: 'is not an allowed property' }]);
  });

  it('10 000 unknown properties: at most 20 are listed', () => {
    const body = { title: 't', ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`x${i}`, i])) };
    expect(problemOf(body).errors).toHaveLength(20);
  });
});

describe('strings must be well-formed Unicode (DynamoDB stores UTF-8)', () => {
  it('refuses U+FFFD, what the REST API makes of bytes that were not UTF-8, naming the field; its neighbour U+FFFC passes', () => {
    let error: unknown;
    try {
      validateBody('NewTask', { title: 'ok', description: 'caf\uFFFD' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ pointer: '/description', message: 'must be UTF-8 text (U+FFFD stands for bytes that were not)' }]);
    expect(validateBody('NewTask', { title: 'obj \uFFFC' })).toEqual({ title: 'obj \uFFFC' });
  });

  it('accepts characters beyond the BMP (surrogate pairs) and refuses unpaired surrogates, naming each field', () => {
    expect(validateBody('NewTask', { title: '😀 ok', tags: ['𝄞'] })).toEqual({ title: '😀 ok', tags: ['𝄞'] });
    let error: unknown;
    try {
      validateBody('NewTask', JSON.parse('{"title":"a\\ud800","tags":["ok","\\udc00x"]}'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors?.map((e) => e.pointer)).toEqual(['/title', '/tags/1']);
  });
});
