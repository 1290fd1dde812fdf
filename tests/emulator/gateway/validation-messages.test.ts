/** $context.error.validationErrorString: names the field and the rule, bounded whatever the body holds. */
import Ajv04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { formatAjvErrors, MAX_LISTED_ERRORS, MAX_QUOTED_CHARS } from '../../../emulator/gateway/validation-messages.js';

// CommonJS package: under NodeNext the class sits on `.default`.
const Ajv04 = Ajv04Module.default;
const ajv = new Ajv04({ strict: false, allErrors: true, logger: false });
const validate = ajv.compile({
  type: 'object',
  additionalProperties: false,
  properties: { title: { type: 'string', maxLength: 200, pattern: '^[a-z]+$' }, status: { enum: ['todo', 'done'] } },
});

function message(body: unknown): string {
  expect(validate(body)).toBe(false);
  return formatAjvErrors(validate.errors ?? [], body);
}

describe('R5.5 validationErrorString never echoes a large value back', () => {
  it.each([
    { given: 'a 1 MB title (maxLength, pattern)', body: { title: 'X'.repeat(1024 * 1024) }, names: ['is too long (length: 1048576, maximum allowed: 200)', 'at /title'] },
    { given: 'a 1 MB enum value', body: { status: 'y'.repeat(1024 * 1024) }, names: ['not found in enum', 'at /status'] },
    { given: 'a 1 MB property name', body: { ['k'.repeat(1024 * 1024)]: 1 }, names: ['properties which are not allowed by the schema'] },
  ])('$given: the rule and the field are named, the value is cut', ({ body, names }) => {
    const text = message(body);
    for (const name of names) expect(text).toContain(name);
    expect(text.length).toBeLessThan(1024);
    expect(text).toContain('…');
  });

  it('a value of exactly the quoted length is quoted whole (the neighbour of the cut)', () => {
    const value = 'Y'.repeat(MAX_QUOTED_CHARS);
    const text = message({ status: value });
    expect(text).toContain(`("${value}")`);
    expect(text).not.toContain('…');
  });

  it(`lists at most ${MAX_LISTED_ERRORS} messages and counts the rest`, () => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`extra${i}`, i]));
    const text = message(body);
    expect(text.match(/not allowed by the schema/g)).toHaveLength(MAX_LISTED_ERRORS);
    expect(text).toContain(`and ${5000 - MAX_LISTED_ERRORS} more`);
  });
});

describe('R5.5 missing properties', () => {
  const required = ajv.compile({ type: 'object', required: ['datetime', 'description', 'email'], properties: { owner: { type: 'object', required: ['id', 'name'] } } });

  it('of one object are named in one message, in the schema`s order, as the Java draft-4 validator names them; another object`s in its own', () => {
    expect(required({ description: 'x', owner: {} })).toBe(false);

    expect(formatAjvErrors(required.errors ?? [], { description: 'x', owner: {} })).toBe('[object has missing required properties (["datetime","email"]), object has missing required properties (["id","name"]) at /owner]');
  });
});
