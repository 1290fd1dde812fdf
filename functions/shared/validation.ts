/**
 * Request validation against the contract's own schemas (openapi/schemas.gen.ts), as defense in
 * depth: direct invokes and sam local have no API Gateway request validator in front.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { schemas } from '../../openapi/schemas.gen.js';
import { ValidationError, type FieldError } from './errors.js';

// CommonJS package: under NodeNext the plugin function sits on `.default`.
const addFormats = addFormatsModule.default;

const CONTRACT_ID = 'task-api-contract';

/** One Ajv for the contract; `nullable` (OpenAPI 3.0) is understood natively by Ajv 8. */
function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addKeyword('example');
  // The container of the contract's schemas, so that `#/components/schemas/X` refs resolve as written.
  ajv.addKeyword('components');
  addFormats(ajv);
  // Refs in the contract are `#/components/schemas/X`: register the schemas under that very path.
  ajv.addSchema({ $id: CONTRACT_ID, components: { schemas } });
  return ajv;
}

const ajv = createAjv();
const cache = new Map<string, ValidateFunction>();

/** The compiled validator of `components.schemas.<name>`. */
export function validatorFor(name: keyof typeof schemas): ValidateFunction {
  let validate = cache.get(name);
  if (!validate) {
    validate = ajv.getSchema(`${CONTRACT_ID}#/components/schemas/${name}`);
    if (!validate) throw new Error(`openapi/schemas.gen.ts: no schema components.schemas.${name}`);
    cache.set(name, validate);
  }
  return validate;
}

/** At most this many characters of a name the caller chose are quoted back in a pointer. */
export const MAX_QUOTED_CHARS = 64;
/** At most this many invalid fields are listed (a body may hold any number of unknown properties). */
export const MAX_FIELD_ERRORS = 20;

/** A JSON Pointer token (RFC 6901), cut to MAX_QUOTED_CHARS and marked as cut ("…"). */
export function token(name: string): string {
  const escaped = name.replace(/~/g, '~0').replace(/\//g, '~1');
  return escaped.length <= MAX_QUOTED_CHARS ? escaped : `${escaped.slice(0, MAX_QUOTED_CHARS)}…`;
}

function toFieldError(error: ErrorObject): FieldError {
  const base = error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return { pointer: `${base}/${token(String(params.missingProperty))}`, message: 'is required' };
  if (error.keyword === 'additionalProperties') {
    return { pointer: `${base}/${token(String(params.additionalProperty))}`, message: 'is not an allowed property' };
  }
  // Ajv's messages name the rule and its limit (`must NOT have more than 200 characters`), never the value.
  return { pointer: base === '' ? '/' : base, message: error.message ?? 'is invalid' };
}

// With the u flag a surrogate pair is one code point: this class matches unpaired surrogates only.
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;
const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Pointers to the strings of `value` that are not well-formed Unicode (an unpaired surrogate, as JSON's `\ud800`
 * escape makes), which have no UTF-8 form, the form DynamoDB stores; or that hold U+FFFD, the character a decoder puts
 * for bytes that were not UTF-8: the REST API hands the functions a body of such bytes decoded that way, so a Latin-1
 * "café" would be stored as "caf\uFFFD" where the HTTP API's functions see the bytes and refuse them.
 */
function illFormedStrings(value: unknown, pointer = ''): FieldError[] {
  if (typeof value === 'string') {
    const at = pointer === '' ? '/' : pointer;
    if (UNPAIRED_SURROGATE.test(value)) return [{ pointer: at, message: 'must be well-formed Unicode (no unpaired surrogate)' }];
    return value.includes(REPLACEMENT_CHARACTER) ? [{ pointer: at, message: 'must be UTF-8 text (U+FFFD stands for bytes that were not)' }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => illFormedStrings(item, `${pointer}/${i}`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => illFormedStrings(item, `${pointer}/${token(key)}`));
  return [];
}

/** Validates a request body; on failure a 400 naming the invalid fields (JSON Pointers), never quoting their values. */
export function validateBody<T>(name: keyof typeof schemas, value: unknown): T {
  const validate = validatorFor(name);
  if (validate(value)) {
    const illFormed = illFormedStrings(value).slice(0, MAX_FIELD_ERRORS);
    if (illFormed.length === 0) return value as T;
    throw new ValidationError(`Invalid request body: ${illFormed[0]?.pointer} ${illFormed[0]?.message}`, illFormed);
  }
  const errors = (validate.errors ?? []).slice(0, MAX_FIELD_ERRORS).map(toFieldError);
  const first = errors[0];
  const detail = first ? `Invalid request body: ${first.pointer} ${first.message}` : 'Invalid request body';
  throw new ValidationError(detail, errors);
}
