/**
 * SQS's checks on the values its actions are given: queue attributes (CreateQueue, SetQueueAttributes: the names
 * that can be set, their ranges, their defaults), message attributes (SendMessage: data type, value, size, the X-Ray
 * trace header), message group and deduplication ids, and whole-number parameters.
 */
import { invalidValue, SqsError } from './errors.js';
import type { MessageAttributeValue } from './md5.js';

/** A new queue's attributes where CreateQueue gives none (API Reference, CreateQueue). */
export const DEFAULTS: Record<string, string> = {
  VisibilityTimeout: '30',
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
};

/** Attribute ranges (seconds, bytes) CreateQueue and SetQueueAttributes accept. */
const RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43_200],
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
};

/** The attributes CreateQueue and SetQueueAttributes take; any other name is InvalidAttributeName. */
export const SETTABLE = new Set([...Object.keys(RANGES), 'RedrivePolicy', 'RedriveAllowPolicy', 'Policy', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']);

/** A whole-number parameter: undefined when absent, NaN when not a whole number (SQS refuses it as invalid). */
export const int = (value: unknown): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(String(value).trim()) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : NaN;
};

/** A list parameter (AttributeNames, MessageAttributeNames): one name or many. */
export const names = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

/** CreateQueue's and SetQueueAttributes' attributes, checked as SQS checks them, as texts. */
export function checkedQueueAttributes(given: Record<string, unknown>, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(given)) {
    if (!SETTABLE.has(name)) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const range = RANGES[name];
    if (range) {
      const n = int(value);
      if (n === undefined || Number.isNaN(n) || n < range[0] || n > range[1]) throw new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
      out[name] = String(n);
    } else if (name === 'ContentBasedDeduplication' && !fifo) {
      throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    } else if ((name === 'DeduplicationScope' || name === 'FifoThroughputLimit') && !fifo) {
      throw new SqsError('InvalidAttributeName', `You can specify the ${name} only when FifoQueue is set to true.`);
    } else out[name] = name === 'FifoQueue' || name === 'ContentBasedDeduplication' ? String(value).toLowerCase() : value;
  }
  return out;
}

/** SendMessage's MessageAttributes: at most 10, each of type String, Number or Binary with a value of that type. */
export function checkedMessageAttributes(value: unknown): Record<string, MessageAttributeValue> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue('MessageAttributes', value, 'must be a map of attribute values');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  if (entries.length > 10) throw invalidValue('MessageAttributes', '', 'Number of message attributes [' + entries.length + '] exceeds the allowed maximum [10].');
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of entries) {
    const attribute = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const dataType = attribute.DataType;
    if (typeof dataType !== 'string' || dataType === '') throw invalidValue(`MessageAttributes.${name}.DataType`, '', 'The message attribute must have a DataType.');
    const base = dataType.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') throw new SqsError('InvalidParameterValue', `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    if (base === 'Binary') {
      if (typeof attribute.BinaryValue !== 'string' || attribute.BinaryValue === '') throw new SqsError('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
      out[name] = { DataType: dataType, BinaryValue: attribute.BinaryValue };
    } else {
      if (typeof attribute.StringValue !== 'string' || attribute.StringValue === '') throw new SqsError('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
      if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(attribute.StringValue.trim())) throw new SqsError('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
      out[name] = { DataType: dataType, StringValue: attribute.StringValue };
    }
  }
  return out;
}

/** The bytes message attributes count toward MaximumMessageSize: names, data types and values. */
export function attributesSize(attributes: Record<string, MessageAttributeValue> | undefined): number {
  let size = 0;
  for (const [name, v] of Object.entries(attributes ?? {})) size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType) + (v.BinaryValue !== undefined ? Buffer.from(v.BinaryValue, 'base64').byteLength : Buffer.byteLength(v.StringValue ?? ''));
  return size;
}

/** The X-Ray trace header a sender passes as the AWSTraceHeader message system attribute. */
export function traceHeaderOf(system: unknown): string | undefined {
  const trace = typeof system === 'object' && system !== null ? (system as Record<string, { StringValue?: unknown }>).AWSTraceHeader : undefined;
  return typeof trace?.StringValue === 'string' ? trace.StringValue : undefined;
}

/** MessageGroupId and MessageDeduplicationId: 1-128 alphanumeric or punctuation characters (API Reference, SendMessage). */
export function checkedToken(parameter: string, value: unknown): string {
  const text = String(value);
  if (!/^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/.test(text)) throw invalidValue(parameter, text, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  return text;
}
