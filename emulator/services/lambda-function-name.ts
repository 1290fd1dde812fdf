/**
 * Invoke's FunctionName and Qualifier as Lambda reads them (API Reference, Invoke: "Request Parameters"): a name, a
 * partial ARN or an ARN, with or without a qualifier, and the `?Qualifier=` the SDKs send beside it.
 */

/** FunctionName's pattern in Lambda's API model (quoted back in Lambda's ValidationException). */
const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';
/** Qualifier's pattern in Lambda's API model; `$latest` fits it (then no such version exists). */
const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';
const MAX_QUALIFIER_LENGTH = 128;

// Java's String.matches: the whole value. Group 11 is the name, 13 the qualifier.
const FUNCTION_NAME = new RegExp(`^(?:${FUNCTION_NAME_PATTERN})$`);
const QUALIFIER = new RegExp(`^(?:${QUALIFIER_PATTERN})$`);

export interface FunctionReference {
  name: string;
  /** The qualifier the FunctionName itself carries (`name:prod`, an ARN's `:1`). */
  qualifier?: string;
  /** The region an ARN names. */
  region?: string;
}

/** A FunctionName that fits Lambda's pattern, split into the function's name and its qualifier; undefined when it does not fit. */
export function parseFunctionName(reference: string): FunctionReference | undefined {
  const match = FUNCTION_NAME.exec(reference);
  if (!match) return undefined;
  return { name: match[11]!, ...(match[13] === undefined ? {} : { qualifier: match[13] }), ...(match[3] === undefined ? {} : { region: match[3].slice(0, -1) }) };
}

/** The region a request was signed for (its Authorization's credential scope), if it was signed. */
export function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/([^/]+)\//.exec(authorization ?? '')?.[1];
}

/**
 * Lambda's ValidationException message for a FunctionName (given when it does not fit the pattern) or a Qualifier
 * outside its API model ("1 validation error detected: Value '...' at 'functionName' failed to satisfy constraint:
 * ..."), as AWS answered LocalStack's recorded tests; undefined when there is nothing to refuse.
 */
export function invokeValidationMessage(input: { functionName?: string; qualifier?: string }): string | undefined {
  const errors: string[] = [];
  const { functionName, qualifier } = input;
  if (functionName !== undefined) errors.push(`Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`);
  if (qualifier !== undefined) {
    if (qualifier.length > MAX_QUALIFIER_LENGTH) errors.push(`Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUALIFIER_LENGTH}`);
    else if (!QUALIFIER.test(qualifier)) errors.push(`Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`);
  }
  if (errors.length === 0) return undefined;
  return `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;
}
