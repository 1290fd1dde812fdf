/**
 * fast-check arbitraries built from openapi/api.yaml: values that satisfy a contract schema, and
 * requests for every operation, valid or broken in one way (a body, a parameter, a header or the
 * credentials), as raw HTTP requests so that any byte may reach the gateway.
 */
import fc from 'fast-check';
import { contract } from './client.js';

type Json = Record<string, unknown>;

/** A request to send, with the contract path it belongs to and whether a client made it valid. */
export interface GeneratedRequest {
  operation: string;
  method: string;
  /** The contract's path template, e.g. /tasks/{taskId}. */
  schemaPath: string;
  /** The path after the stage, percent-encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What was broken, or 'valid'. */
  variant: string;
}

/** How long a generated string may be when the schema has no maxLength (keeps requests small). */
const FREE_LENGTH = 40;

/** A value that satisfies `schema` (the subset of JSON Schema the contract uses). */
export function valueOf(schema: unknown): fc.Arbitrary<unknown> {
  const s = contract.deref(schema);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : FREE_LENGTH;
  switch (s.type) {
    case 'string':
      if (s.format === 'date') {
        return fc
          .date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2099-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString().slice(0, 10));
      }
      if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= max);
      return fc.string({
        minLength: min,
        maxLength: Math.min(max, FREE_LENGTH * 5),
      });
    case 'integer':
      return fc.integer({
        min: typeof s.minimum === 'number' ? s.minimum : 0,
        max: typeof s.maximum === 'number' ? s.maximum : 1000,
      });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = valueOf(s.items);
      const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 5, 5);
      return s.uniqueItems
        ? fc.uniqueArray(items, {
            maxLength,
            selector: (v) => JSON.stringify(v),
          })
        : fc.array(items, { maxLength });
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Json;
      const record = Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, valueOf(sub)]));
      return fc.record(record, {
        requiredKeys: (s.required ?? []) as string[],
      });
    }
    default:
      throw new Error(`tests/contract/http/support/arbitraries.ts: no arbitrary for schema ${JSON.stringify(s).slice(0, 200)}`);
  }
}

/** The schema of a named component (components.schemas.<name>). */
const schema = (name: string): Json => contract.deref({ $ref: `#/components/schemas/${name}` });
/** The schema of a named parameter (components.parameters.<name>.schema). */
const parameterSchema = (name: string): Json => contract.deref(contract.deref({ $ref: `#/components/parameters/${name}` }).schema);

/** Any path segment: ids, near-ids, over-long text, malformed escapes and arbitrary bytes, percent-encoded or not. */
export function anySegment(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const escapedBytes = fc
    .uint8Array({ minLength: 1, maxLength: 40 })
    .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join(''));
  // "." and ".." (also escaped) are dot segments: the URL parser would remove them and change the route.
  const dots = /^(?:\.|%2e)+$/i;
  return fc
    .oneof(
      valid,
      valid.map((id) => `${id}0`),
      valid.map((id) => id.toLowerCase()),
      fc.stringMatching(/^[0-9A-Za-z%._~-]{1,40}$/),
      fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent),
      fc.integer({ min: 27, max: 1200 }).map((n) => 'K'.repeat(n)),
      escapedBytes,
    )
    .filter((segment) => !dots.test(segment));
}

/** A JSON body broken in one way, from a valid one. */
function brokenBody(valid: fc.Arbitrary<unknown>, required: string[]): fc.Arbitrary<{ body: string; variant: string }> {
  const object = valid as fc.Arbitrary<Json>;
  return fc.oneof(
    fc.tuple(object, fc.constantFrom(...required)).map(([v, key]) => {
      const copy = { ...v };
      delete copy[key];
      return { body: JSON.stringify(copy), variant: `body without ${key}` };
    }),
    fc.tuple(object, fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })).map(([v, key, value]) => ({
      body: JSON.stringify({ [`x-${key}`]: value, ...v }),
      variant: 'body with an unknown property',
    })),
    fc
      .tuple(
        object,
        fc.constantFrom('title', 'status', 'priority', 'tags', 'dueDate', 'description'),
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 5 })),
      )
      .map(([v, key, value]) => ({
        body: JSON.stringify({ ...v, [key]: value }),
        variant: `body with ${key} of another type or value`,
      })),
    fc.tuple(object, fc.integer({ min: 201, max: 5000 })).map(([v, n]) => ({
      body: JSON.stringify({ ...v, title: 't'.repeat(n) }),
      variant: 'body with an over-long title',
    })),
    fc.string({ maxLength: 30 }).map((text) => ({ body: `{${text}`, variant: 'body that is not JSON' })),
    fc
      .jsonValue({ maxDepth: 2 })
      .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
      .map((v) => ({
        body: JSON.stringify(v),
        variant: 'body that is not an object',
      })),
  );
}

export interface Credentials {
  /** null on a variant without API keys: no x-api-key header is sent. */
  apiKey: string | null;
  idToken: string;
  adminToken: string;
}

/** The caller: valid for the operation, or without key, without token, or with a forged token. */
function caller(creds: Credentials, admin: boolean): fc.Arbitrary<{ headers: Record<string, string>; variant?: string }> {
  const token = admin ? creds.adminToken : creds.idToken;
  const key: Record<string, string> = creds.apiKey === null ? {} : { 'x-api-key': creds.apiKey };
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constant({
        headers: { ...key, Authorization: token },
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        headers: { Authorization: token },
        variant: 'no API key',
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        headers: { ...key },
        variant: 'no token',
      }),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 60 }).map((t) => ({
        headers: { ...key, Authorization: t },
        variant: 'a forged token',
      })),
    },
  );
}

const query = (params: Record<string, string | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
};

/** A printable header value (what fetch can send), or one that follows the parameter's schema. */
const headerValue = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(valid, fc.stringMatching(/^[\x21-\x7E]{1,300}$/));

function listQuery(): fc.Arbitrary<{ qs: string; variant: string }> {
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const limit = fc.oneof(valueOf(parameterSchema('Limit')).map(String), fc.string({ maxLength: 6 }), fc.integer().map(String));
  const status = fc.oneof(valueOf(parameterSchema('StatusFilter')) as fc.Arbitrary<string>, fc.string({ maxLength: 12 }));
  const cursor = fc.oneof(valueOf(parameterSchema('Cursor')) as fc.Arbitrary<string>, fc.string({ minLength: 0, maxLength: 80 }));
  return fc
    .record({
      limit: maybe(limit),
      status: maybe(status),
      cursor: maybe(cursor),
    })
    .map((q) => ({ qs: query(q), variant: `query ${JSON.stringify(q)}` }));
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** A request for each operation of the contract, valid or broken in one way. */
export function requestFor(operation: string, creds: Credentials, taskIds: fc.Arbitrary<string>, userId: string): fc.Arbitrary<GeneratedRequest> {
  const id = anySegment(taskIds);
  const newTask = valueOf(schema('NewTask'));
  const update = valueOf(schema('TaskUpdate'));
  const ifMatch = fc.option(headerValue(valueOf(parameterSchema('IfMatch')) as fc.Arbitrary<string>), { nil: undefined });
  const key = fc.option(headerValue(valueOf(parameterSchema('IdempotencyKey')) as fc.Arbitrary<string>), { nil: undefined });
  const body = (valid: fc.Arbitrary<unknown>, required: string[]) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: valid.map((v) => ({
          body: JSON.stringify(v),
          variant: 'valid',
          headers: JSON_TYPE as Record<string, string>,
        })),
      },
      {
        weight: 3,
        arbitrary: brokenBody(valid, required).map((b) => ({
          ...b,
          headers: JSON_TYPE as Record<string, string>,
        })),
      },
      {
        weight: 1,
        arbitrary: valid.map((v) => ({
          body: JSON.stringify(v),
          variant: 'text/plain body',
          headers: { 'Content-Type': 'text/plain' } as Record<string, string>,
        })),
      },
    );
  const make =
    (
      method: string,
      schemaPath: string,
      path: string,
      parts: {
        headers?: Record<string, string | undefined>;
        body?: string;
        variants: (string | undefined)[];
      },
    ) =>
    ({ headers, variant }: { headers: Record<string, string>; variant?: string }): GeneratedRequest => {
      const all: Record<string, string> = { ...headers };
      for (const [name, value] of Object.entries(parts.headers ?? {})) if (value !== undefined) all[name] = value;
      const variants = [variant, ...parts.variants].filter((v): v is string => v !== undefined && v !== 'valid');
      return {
        operation,
        method,
        schemaPath,
        path,
        headers: all,
        ...(parts.body !== undefined ? { body: parts.body } : {}),
        variant: variants.join('; ') || 'valid',
      };
    };
  switch (operation) {
    case 'getHealth':
      return fc.constant({
        operation,
        method: 'GET',
        schemaPath: '/health',
        path: '/health',
        headers: {},
        variant: 'valid',
      });
    case 'listTasks':
      return fc.tuple(caller(creds, false), listQuery()).map(([c, q]) => make('GET', '/tasks', `/tasks${q.qs}`, { variants: [q.variant] })(c));
    case 'createTask':
      return fc.tuple(caller(creds, false), body(newTask, ['title']), key).map(([c, b, k]) =>
        make('POST', '/tasks', '/tasks', {
          headers: { ...b.headers, 'Idempotency-Key': k },
          body: b.body,
          variants: [b.variant, k === undefined ? undefined : `Idempotency-Key ${k}`],
        })(c),
      );
    case 'getTask':
      return fc.tuple(caller(creds, false), id).map(([c, i]) =>
        make('GET', '/tasks/{taskId}', `/tasks/${i}`, {
          variants: [`taskId ${i.slice(0, 40)}`],
        })(c),
      );
    case 'updateTask':
      return fc.tuple(caller(creds, false), id, body(update, ['title', 'status', 'priority', 'tags']), ifMatch).map(([c, i, b, m]) =>
        make('PUT', '/tasks/{taskId}', `/tasks/${i}`, {
          headers: { ...b.headers, 'If-Match': m },
          body: b.body,
          variants: [b.variant, `taskId ${i.slice(0, 40)}`, m === undefined ? undefined : `If-Match ${m}`],
        })(c),
      );
    case 'deleteTask':
      return fc.tuple(caller(creds, false), id, ifMatch).map(([c, i, m]) =>
        make('DELETE', '/tasks/{taskId}', `/tasks/${i}`, {
          headers: { 'If-Match': m },
          variants: [`taskId ${i.slice(0, 40)}`, m === undefined ? undefined : `If-Match ${m}`],
        })(c),
      );
    case 'listUserTasks':
      return fc
        .tuple(caller(creds, true), anySegment(fc.constant(encodeURIComponent(userId))), listQuery())
        .map(([c, u, q]) => make('GET', '/admin/users/{userId}/tasks', `/admin/users/${u}/tasks${q.qs}`, { variants: [q.variant] })(c));
    default: {
      // The CORS preflights: any Origin and requested method, never credentials.
      const paths: Record<string, [string, string]> = {
        preflightHealth: ['/health', '/health'],
        preflightTasks: ['/tasks', '/tasks'],
        preflightTask: ['/tasks/{taskId}', '/tasks/01JD5ZQ3W8K2M4N6P8R0T2V4X6'],
        preflightUserTasks: ['/admin/users/{userId}/tasks', `/admin/users/${encodeURIComponent(userId)}/tasks`],
      };
      const route = paths[operation];
      if (!route) throw new Error(`tests/contract/http/support/arbitraries.ts: no generator for operation ${operation}`);
      return fc.tuple(fc.stringMatching(/^[\x21-\x7E]{0,60}$/), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH')).map(([origin, method]) => ({
        operation,
        method: 'OPTIONS',
        schemaPath: route[0],
        path: route[1],
        headers: {
          Origin: origin || 'null',
          'Access-Control-Request-Method': method,
        },
        variant: 'preflight',
      }));
    }
  }
}
