/**
 * EventBridge Pipes' input transformation (User Guide, "Amazon EventBridge Pipes input transformation"): an
 * InputTemplate's `<$.path>` placeholders and reserved `<aws.pipes.*>` variables filled from each event, and the
 * dynamic `$.path` values of target parameters. An SQS message's JSON body is addressable as `$.body.<field>`.
 */
import { valueAtPath } from '../eventbridge/bus.js';

/** The event as Pipes' paths see it: an SQS record's body parsed when it is JSON. */
export function addressable(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const record = event as Record<string, unknown>;
  if (record.eventSource !== 'aws:sqs' || typeof record.body !== 'string') return event;
  try {
    return { ...record, body: JSON.parse(record.body) as unknown };
  } catch {
    return event;
  }
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
