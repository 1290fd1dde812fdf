/**
 * Payload templates of JSONPath states (developer guide, "Processing input and output": Parameters, ResultSelector,
 * ItemSelector, and a JSONPath state's Assign): a field whose name ends in `.$` takes the value of the path (on the
 * input, the context object or a variable) or intrinsic function it holds, under its name without the `.$`; every
 * other value is copied as it is.
 */
import { isJsonObject, type Json, StatesError } from './json.js';
import { evaluateIntrinsic, type IntrinsicOptions, isIntrinsic } from './intrinsics.js';
import { pathSource, tryReadPath } from './paths.js';

/** A `.$` field's value: a copy, so that a later change to the state's output cannot reach the input it came from. */
function dynamicValue(key: string, expression: Json, input: Json, context: Json, options: IntrinsicOptions): Json {
  const notValid = (): StatesError => new StatesError('States.Runtime', `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`);
  if (typeof expression !== 'string') throw notValid();
  if (isIntrinsic(expression)) return structuredClone(evaluateIntrinsic(expression, input, context, options));
  if (!expression.startsWith('$')) throw notValid();
  let read: ReturnType<typeof tryReadPath>;
  try {
    read = tryReadPath(expression, input, context, options.variables);
  } catch (error) {
    if (error instanceof StatesError) throw new StatesError('States.Runtime', `${notValid().cause}: ${error.cause}`);
    throw error;
  }
  if (!read.found) throw new StatesError('States.Runtime', `The JSONPath '${expression}' specified for the field '${key}' could not be found in ${pathSource(expression, input, context, options.variables)}`);
  return structuredClone(read.value);
}

/** Builds the payload of a Parameters / ResultSelector / ItemSelector template as Step Functions does: `.$` fields by path or intrinsic function (a path with no value fails with States.Runtime), nested objects and arrays in turn, the rest copied. */
export function evaluatePayloadTemplate(template: Json, input: Json, context: Json, options: IntrinsicOptions = {}): Json {
  if (Array.isArray(template)) return template.map((item) => evaluatePayloadTemplate(item, input, context, options));
  if (!isJsonObject(template)) return template;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = dynamicValue(key, value, input, context, options);
    else out[key] = evaluatePayloadTemplate(value, input, context, options);
  }
  return out;
}
