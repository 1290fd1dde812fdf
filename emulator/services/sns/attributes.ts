/**
 * SNS's checks on a Publish's message attributes (API Reference, MessageAttributeValue; the codes and messages SNS
 * answers, as LocalStack's AWS-validated snapshots record them): the name, the data type, and the value in the field
 * that type uses.
 */
/** An SNS error answer: its code, message and HTTP status. */
export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface SnsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (message: string) => new SnsError('ParameterValueInvalid', message);

/** An attribute's name: under 256 bytes, alphanumerics, `-`, `_` and `.`, no `.` first, last or twice in a row. */
function checkName(name: string): void {
  if (Buffer.byteLength(name) >= 256) throw invalid('Length of message attribute name must be less than 256 bytes.');
  const bad = /[^A-Za-z0-9_.-]/u.exec(name)?.[0];
  if (bad !== undefined) {
    const hex = (bad.codePointAt(0) as number).toString(16).toUpperCase();
    throw invalid(`Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
  }
  if (name.startsWith('.')) throw invalid("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw invalid("Invalid message attribute name ending with character '.' was found.");
  if (name.includes('..')) throw invalid("Message attribute name can not have successive '.' character.");
}

/** The message attributes of a Publish (or of PublishBatch's entry `path`, as SNS names it in a ValidationError). */
export function checkedAttributes(value: unknown, path = 'messageAttributes'): Record<string, SnsAttribute> {
  if (!isRecord(value)) return {};
  const out: Record<string, SnsAttribute> = {};
  for (const [name, raw] of Object.entries(value)) {
    checkName(name);
    const attribute = isRecord(raw) ? raw : {};
    const dataType = attribute.DataType;
    if (typeof dataType !== 'string') throw new SnsError('ValidationError', `1 validation error detected: Value null at '${path}.${name}.member.dataType' failed to satisfy constraint: Member must not be null`);
    const base = dataType.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') throw invalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    const field = base === 'Binary' ? 'BinaryValue' : 'StringValue';
    const other = base === 'Binary' ? 'StringValue' : 'BinaryValue';
    const given = attribute[field];
    if (given === undefined && attribute[other] !== undefined) throw invalid(`The message attribute '${name}' with type '${dataType}' must use field '${base === 'Binary' ? 'Binary' : 'String'}'.`);
    if (typeof given !== 'string' || given === '') throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    out[name] = { DataType: dataType, [field]: given };
  }
  return out;
}

/** What attributes add to a message's size (SNS counts each name, data type and value). */
export function attributesBytes(attributes: Record<string, SnsAttribute>): number {
  let size = 0;
  for (const [name, a] of Object.entries(attributes)) size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + (a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').byteLength : Buffer.byteLength(a.StringValue ?? ''));
  return size;
}
