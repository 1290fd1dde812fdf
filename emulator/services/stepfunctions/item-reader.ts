/**
 * A Distributed Map's ItemReader over one S3 object (developer guide, "ItemReader (Map)"): `arn:aws:states:::s3:getObject`
 * with ReaderConfig InputType CSV (header FIRST_ROW or GIVEN, CSVDelimiter), JSON (an array) or JSONL (one value a
 * line), and MaxItems. The object is read from the embedded S3 through the workflow's own S3 integration. Other readers
 * (S3 object listings, manifests, inventories, Parquet) are named, not run.
 */
import { isJsonObject, StatesError, type Json } from './json.js';
import { evaluatePayloadTemplate } from './payload.js';
import { readPath, type VariableValues } from './paths.js';

const GET_OBJECT = /^arn:[^:]+:states:::s3:getObject$/;
const INPUT_TYPES = ['CSV', 'JSON', 'JSONL'];
const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

/** Why this ItemReader is not run locally, or undefined when it is. */
export function itemReaderGap(reader: Json): string | undefined {
  if (!isJsonObject(reader)) return 'ItemReader must be an object';
  const resource = typeof reader.Resource === 'string' ? reader.Resource : '';
  if (!GET_OBJECT.test(resource)) return `ItemReader Resource ${resource || '(none)'}: only arn:aws:states:::s3:getObject (one CSV, JSON or JSONL object) is read locally`;
  const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const inputType = config.InputType;
  if (typeof inputType !== 'string' || !INPUT_TYPES.includes(inputType)) return `ItemReader InputType ${String(inputType ?? '(none)')}: only ${INPUT_TYPES.join(', ')} are read locally`;
  if (config.CSVDelimiter !== undefined && !(String(config.CSVDelimiter) in DELIMITERS)) return `ItemReader CSVDelimiter ${String(config.CSVDelimiter)} is not one of ${Object.keys(DELIMITERS).join(', ')}`;
  return undefined;
}

/** RFC 4180 rows: quoted fields may hold the delimiter, line breaks and doubled quotes. */
export function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 1;
    } else if (c === '\n' || c === '\r') endRow();
    else field += c;
    i += 1;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

const failed = (why: string): StatesError => new StatesError('States.ItemReaderFailed', why);

/** The items of the object's text as its ReaderConfig reads them: CSV rows as objects of text values, keyed by the header. */
export function parseItems(body: string, config: Record<string, Json>): Json[] {
  switch (config.InputType) {
    case 'JSON': {
      let parsed: Json;
      try {
        parsed = JSON.parse(body) as Json;
      } catch {
        throw failed('The ItemReader object is not valid JSON');
      }
      if (!Array.isArray(parsed)) throw failed('The ItemReader JSON object must contain a JSON array');
      return parsed;
    }
    case 'JSONL':
      return body.split(/\r?\n/).filter((line) => line.trim() !== '').map((line, n) => {
        try {
          return JSON.parse(line) as Json;
        } catch {
          throw failed(`Line ${n + 1} of the ItemReader JSONL object is not valid JSON`);
        }
      });
    default: {
      const rows = csvRows(body, DELIMITERS[String(config.CSVDelimiter ?? 'COMMA')] ?? ',');
      const given = config.CSVHeaderLocation === 'GIVEN';
      const header = given ? (Array.isArray(config.CSVHeaders) ? config.CSVHeaders.map(String) : []) : (rows.shift() ?? []);
      if (header.length === 0) throw failed(given ? 'CSVHeaders is required with CSVHeaderLocation GIVEN' : 'The ItemReader CSV object has no header row');
      return rows.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i] ?? ''])));
    }
  }
}

/** The ItemReader's MaxItems (or MaxItemsPath's value): at most that many items are read; 0 or absent reads them all. */
function maxItems(config: Record<string, Json>, input: Json, context: Json, variables: VariableValues | undefined): number {
  return checkedMaxItems(typeof config.MaxItemsPath === 'string' ? readPath(config.MaxItemsPath, input, context, 'MaxItemsPath', variables) : config.MaxItems);
}

/** Reads a Distributed Map's items: `getObject` runs the ItemReader's Parameters (evaluated on the state's input) as S3 GetObject. */
export async function readItems(reader: Record<string, Json>, input: Json, context: Json, getObject: (parameters: Json) => Promise<Json>, variables?: VariableValues): Promise<Json[]> {
  const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const parameters = reader.Parameters === undefined ? {} : evaluatePayloadTemplate(reader.Parameters, input, context, variables ? { variables } : {});
  return readObjectItems(reader, parameters, () => maxItems(config, input, context, variables), getObject);
}

/**
 * The items of the object an ItemReader names, `parameters` its evaluated Parameters (a JSONata state's Arguments), at
 * most `limit()` of them (0: all).
 */
export async function readObjectItems(reader: Record<string, Json>, parameters: Json, limit: () => number, getObject: (parameters: Json) => Promise<Json>): Promise<Json[]> {
  const gap = itemReaderGap(reader);
  if (gap) throw new StatesError('States.Runtime', `${gap}, which the local emulator does not run`);
  const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const answer = await getObject(parameters);
  const body = isJsonObject(answer) && typeof answer.Body === 'string' ? answer.Body : undefined;
  if (body === undefined) throw failed('The ItemReader object could not be read');
  const items = parseItems(body, config);
  const most = limit();
  return most > 0 ? items.slice(0, most) : items;
}

/** A MaxItems value checked as the ItemReader takes it (a non-negative integer). */
export function checkedMaxItems(value: Json | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new StatesError('States.Runtime', `MaxItems must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value;
}
