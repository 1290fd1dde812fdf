/**
 * EventBridge Pipes' input transformation (User Guide, "Amazon EventBridge Pipes input transformation"): an
 * InputTemplate's `<$.path>` placeholders and reserved `<aws.pipes.*>` variables filled from each event, and the
 * dynamic `$.path` values of target parameters. An SQS message's JSON body is addressable as `$.body.<field>`.
 */
import { valueAtPath } from '../eventbridge/bus.js';

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * The event as Pipes' paths see it (the guide's implicit body parsing): an SQS record's body, a Kinesis record's data
 * (base64-decoded) parsed when they are JSON.
 */
export function addressable(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const record = event as Record<string, unknown>;
  if (record.eventSource === 'aws:sqs' && typeof record.body === 'string') {
    const body = parsed(record.body);
    return body === undefined ? event : { ...record, body };
  }
  if (record.eventSource === 'aws:kinesis' && typeof record.data === 'string') {
    const data = parsed(Buffer.from(record.data, 'base64').toString('utf8'));
    return data === undefined ? event : { ...record, data };
  }
  return event;
}

/** A Kinesis record as Pipes gives it: Lambda's, with its `kinesis` members at the top level. */
export function pipeRecord(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const { kinesis, ...rest } = record as Record<string, unknown>;
  if (rest.eventSource !== 'aws:kinesis' || typeof kinesis !== 'object' || kinesis === null) return record;
  return { ...(kinesis as Record<string, unknown>), ...rest };
}

/** A target parameter: a `$.path` on the event (dynamic), else the literal value. */
export function parameterValue(value: unknown, event: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith('$.')) return value;
  const found = valueAtPath(addressable(event), value);
  return typeof found === 'string' || found === undefined ? found : JSON.stringify(found);
}

/**
 * Renders an InputTemplate for one event: a placeholder inside a JSON string is replaced by its value's text, one
 * outside by its JSON; in a template that is not JSON, a string goes in as it is. The result is the JSON the text
 * makes, else the text itself.
 */
export function renderTemplate(template: string, event: unknown, reserved: Record<string, string>): unknown {
  const source = addressable(event);
  // A template that is not JSON is text: its values go in as text (a string without quotes).
  const json = /^\s*[[{"]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '"' && template[i - 1] !== '\\') inString = !inString;
    const end = c === '<' ? template.indexOf('>', i) : -1;
    const name = end > i ? template.slice(i + 1, end) : '';
    if (end < 0 || !(name.startsWith('$.') || name === '$' || name.startsWith('aws.pipes.'))) {
      out += c;
      continue;
    }
    const value = name.startsWith('aws.pipes.') ? reservedValue(name, event, reserved) : valueAtPath(source, name);
    if (!json) out += typeof value === 'string' ? value : JSON.stringify(value ?? null);
    else if (inString) out += typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : JSON.stringify(JSON.stringify(value ?? null)).slice(1, -1);
    else out += JSON.stringify(value ?? null);
    i = end;
  }
  try {
    return JSON.parse(out) as unknown;
  } catch {
    return out;
  }
}

/** `<aws.pipes.event>` (the event as text), `<aws.pipes.event.json>`, `<aws.pipes.pipe-arn>`... */
function reservedValue(name: string, event: unknown, reserved: Record<string, string>): unknown {
  if (name === 'aws.pipes.event.json') return event;
  if (name === 'aws.pipes.event') return JSON.stringify(event);
  return reserved[name.slice('aws.pipes.'.length)];
}
