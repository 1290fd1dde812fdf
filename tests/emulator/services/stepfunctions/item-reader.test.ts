/**
 * A Distributed Map's ItemReader over one S3 object (developer guide, "ItemReader (Map)"): CSV with its header in the
 * first row or given, JSON arrays, JSON Lines, MaxItems, and ItemBatcher's batches, in JSONPath and JSONata Maps; the object read through the workflow's S3 GetObject call (a fake
 * task runner stands for the embedded S3 here). Found running serverless-test-samples' serverless-testing-workshop,
 * whose file-processing workflow maps over an uploaded CSV: every execution failed locally.
 */
import { describe, expect, it } from 'vitest';
import { Interpreter, type ExecutionInfo, type TaskCall } from '../../../../emulator/services/stepfunctions/interpreter.js';
import { itemReaderGap, parseItems } from '../../../../emulator/services/stepfunctions/item-reader.js';
import { checkDefinition } from '../../../../emulator/services/stepfunctions/definition.js';
import { StatesError, type Json } from '../../../../emulator/services/stepfunctions/json.js';
import { failure } from './failure.js';

const EXECUTION: ExecutionInfo = {
  id: 'arn:aws:states:us-east-1:123456789012:execution:Files:run-1',
  name: 'run-1',
  input: {},
  startTime: '2024-05-01T11:59:58.000Z',
  roleArn: 'arn:aws:iam::123456789012:role/files-role',
  stateMachineId: 'arn:aws:states:us-east-1:123456789012:stateMachine:Files',
  stateMachineName: 'Files',
};

/** An interpreter whose only service is an S3 holding `objects` (bucket/key -> text), answering GetObject as the SDK integration does. */
function withObjects(objects: Record<string, string>) {
  const calls: TaskCall[] = [];
  const runTask = (call: TaskCall): Promise<Json> => {
    calls.push(call);
    const { Bucket, Key } = call.parameters as { Bucket: string; Key: string };
    const body = objects[`${Bucket}/${Key}`];
    if (body === undefined) return Promise.reject(new StatesError('S3.NoSuchKeyException', 'The specified key does not exist.'));
    return Promise.resolve({ Body: body, ContentType: 'text/csv' });
  };
  const interpreter = new Interpreter({ now: () => Date.parse('2024-05-01T12:00:00.000Z'), after: () => () => undefined, runTask }, EXECUTION);
  return { calls, run: (definition: Record<string, Json>, input: Json) => interpreter.run(definition, input, new AbortController().signal) };
}

/** A distributed Map over an S3 object whose processor passes each item through. */
const distributedMap = (reader: Record<string, Json>, extra: Record<string, Json> = {}): Record<string, Json> => ({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' }, ...reader },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      ...extra,
      End: true,
    },
  },
});

describe('Distributed Map ItemReader: the items of one S3 object', () => {
  it('reads a CSV object with its header in the first row: one item per row, an object of text values, read with the Parameters evaluated on the input', async () => {
    // Prepare
    const s3 = withObjects({ 'inventory/new.csv': '"Unicorn Name","Unicorn Location"\n"Sparkle","Dublin, Ireland"\nGlitter,Paris\n' });

    // Act
    const output = await s3.run(distributedMap({ ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } }), { bucket: 'inventory', key: 'new.csv' });

    // Assess
    expect(output).toEqual([
      { 'Unicorn Name': 'Sparkle', 'Unicorn Location': 'Dublin, Ireland' },
      { 'Unicorn Name': 'Glitter', 'Unicorn Location': 'Paris' },
    ]);
    expect(s3.calls.map((c) => [c.resource, c.parameters])).toEqual([['arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'inventory', Key: 'new.csv' }]]);
  });

  it('applies ItemSelector to each item read, and MaxItems caps how many are read', async () => {
    // Prepare
    const s3 = withObjects({ 'b/ratings.jsonl': '{"id":1}\n{"id":2}\n\n{"id":3}\n' });
    const machine = distributedMap({ ReaderConfig: { InputType: 'JSONL', MaxItems: 2 } }, { ItemSelector: { 'rating.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index' } });

    // Act
    const output = await s3.run(machine, { bucket: 'b', key: 'ratings.jsonl' });

    // Assess
    expect(output).toEqual([
      { rating: 1, index: 0 },
      { rating: 2, index: 1 },
    ]);
  });

  it.each([
    { given: 'CSV with the header given in the definition', config: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['user', 'rating'] }, body: '1,3.5\n2,4\n', want: [{ user: '1', rating: '3.5' }, { user: '2', rating: '4' }] },
    { given: 'CSV delimited by pipes, a quoted field holding a line break and a doubled quote', config: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', CSVDelimiter: 'PIPE' }, body: 'a|b\r\n"x\ny"|"say ""hi"""\r\n', want: [{ a: 'x\ny', b: 'say "hi"' }] },
    { given: 'a CSV row shorter than the header: the missing values are empty', config: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, body: 'a,b\n1\n', want: [{ a: '1', b: '' }] },
    { given: 'a JSON array', config: { InputType: 'JSON' }, body: '[{"a":1},2,"three"]', want: [{ a: 1 }, 2, 'three'] },
  ])('reads $given', ({ config, body, want }) => {
    // Act
    const items = parseItems(body, config as unknown as Record<string, Json>);

    // Assess
    expect(items).toEqual(want);
  });

  it.each([
    { given: 'a JSON object that is no array', config: { InputType: 'JSON' }, body: '{"a":1}', cause: /must contain a JSON array/ },
    { given: 'a JSONL line that is no JSON', config: { InputType: 'JSONL' }, body: '{"a":1}\nnope\n', cause: /Line 2/ },
    { given: 'an empty CSV with its header in the first row', config: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, body: '', cause: /no header row/ },
  ])('fails with States.ItemReaderFailed on $given', async ({ config, body, cause }) => {
    // Act
    const failed = await failure(Promise.resolve().then(() => parseItems(body, config as Record<string, Json>)));

    // Assess
    expect(failed.error).toBe('States.ItemReaderFailed');
    expect(failed.cause).toMatch(cause);
  });

  it('an object that cannot be read fails the Map with States.ItemReaderFailed naming the S3 error', async () => {
    // Prepare
    const s3 = withObjects({});

    // Act
    const failed = await failure(s3.run(distributedMap({ ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } }), { bucket: 'b', key: 'gone.csv' }));

    // Assess
    expect(failed.error).toBe('States.ItemReaderFailed');
    expect(failed.cause).toMatch(/S3\.NoSuchKeyException/);
  });

  it.each([
    { given: 'an S3 object listing', reader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } }, want: /listObjectsV2/ },
    { given: 'a manifest', reader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'MANIFEST' }, Parameters: { Bucket: 'b', Key: 'm.json' } }, want: /InputType MANIFEST/ },
  ])('$given is named at start as not run, and fails an execution reaching it with States.Runtime', async ({ reader, want }) => {
    // Prepare
    const machine = distributedMap(reader as unknown as Record<string, Json>);

    // Act
    const report = checkDefinition(machine);
    const failed = await failure(withObjects({}).run(machine, { bucket: 'b', key: 'k' }));

    // Assess
    expect(report.notEmulated.join('\n')).toMatch(want);
    expect(failed.error).toBe('States.Runtime');
    expect(failed.cause).toMatch(want);
  });

  it('a CSV reader and an ItemBatcher are run, so neither is listed as not emulated', () => {
    // Act
    const report = checkDefinition(distributedMap({ ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } }, { ItemBatcher: { MaxItemsPerBatch: 10 } }));

    // Assess
    expect(itemReaderGap({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV' } })).toBeUndefined();
    expect(report.notEmulated).toEqual([]);
  });
});

describe('Distributed Map ItemBatcher: each child gets a batch of the selected items', () => {
  it('groups at most MaxItemsPerBatch selected items under Items, with the BatchInput evaluated on the state input', async () => {
    // Prepare
    const s3 = withObjects({ 'b/n.json': '[1,2,3,4,5]' });
    const machine = distributedMap({ ReaderConfig: { InputType: 'JSON' } }, { ItemSelector: { 'n.$': '$$.Map.Item.Value' }, ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'factor.$': '$.factor' } } });

    // Act
    const output = await s3.run(machine, { bucket: 'b', key: 'n.json', factor: 7 });

    // Assess
    expect(output).toEqual([
      { BatchInput: { factor: 7 }, Items: [{ n: 1 }, { n: 2 }] },
      { BatchInput: { factor: 7 }, Items: [{ n: 3 }, { n: 4 }] },
      { BatchInput: { factor: 7 }, Items: [{ n: 5 }] },
    ]);
  });

  it('closes a batch before its input would pass MaxInputBytesPerBatch (read from the input by its Path)', async () => {
    // Prepare: each item is 12 bytes of JSON; {"Items":[...]} around two of them is 37 bytes, around three 50.
    const s3 = withObjects({ 'b/w.json': JSON.stringify(['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc']) });
    const machine = distributedMap({ ReaderConfig: { InputType: 'JSON' } }, { ItemBatcher: { MaxInputBytesPerBatchPath: '$.bytes' } });

    // Act
    const output = await s3.run(machine, { bucket: 'b', key: 'w.json', bytes: 40 });

    // Assess
    expect(output).toEqual([{ Items: ['aaaaaaaaaa', 'bbbbbbbbbb'] }, { Items: ['cccccccccc'] }]);
  });
});

describe('a JSONata Map`s ItemReader and ItemBatcher', () => {
  /** A distributed JSONata Map (the state's QueryLanguage) whose processor passes each item (or batch) through. */
  const jsonataMap = (fields: Record<string, Json>): Record<string, Json> => ({
    StartAt: 'Each',
    States: { Each: { Type: 'Map', QueryLanguage: 'JSONata', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }, ...fields, End: true } },
  });
  const reader = (config: Record<string, Json>): Record<string, Json> => ({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: config, Arguments: { Bucket: '{% $states.input.bucket %}', Key: '{% $states.input.key %}' } });

  it.each<{ given: string; fields: Record<string, Json>; input?: Record<string, Json>; want: Json }>([
    { given: 'the object its Arguments name, read as its ReaderConfig says', fields: { ItemReader: reader({ InputType: 'JSONL' }) }, want: [{ id: 1 }, { id: 2 }, { id: 3 }] },
    { given: 'MaxItems as an expression (LS-rec test_map_item_reader_base_json_max_items_jsonata: 2 items)', fields: { ItemReader: reader({ InputType: 'JSONL', MaxItems: '{% $states.input.most %}' }) }, input: { most: 2 }, want: [{ id: 1 }, { id: 2 }] },
    { given: 'ItemSelector over each item read ($states.context.Map.Item)', fields: { ItemReader: reader({ InputType: 'JSONL' }), ItemSelector: { rating: '{% $states.context.Map.Item.Value.id * 10 %}', at: '{% $states.context.Map.Item.Index %}' } }, want: [{ rating: 10, at: 0 }, { rating: 20, at: 1 }, { rating: 30, at: 2 }] },
    { given: 'ItemBatcher: MaxItemsPerBatch as an expression, BatchInput evaluated, ItemSelector applied before batching', fields: { ItemReader: reader({ InputType: 'JSONL' }), ItemSelector: { n: '{% $states.context.Map.Item.Value.id %}' }, ItemBatcher: { MaxItemsPerBatch: '{% $states.input.per %}', BatchInput: { shop: '{% $states.input.shop %}' } } }, input: { per: 2, shop: 'north' }, want: [{ BatchInput: { shop: 'north' }, Items: [{ n: 1 }, { n: 2 }] }, { BatchInput: { shop: 'north' }, Items: [{ n: 3 }] }] },
    { given: 'ItemBatcher over Items (no reader): MaxInputBytesPerBatch', fields: { Items: '{% ["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"] %}', ItemBatcher: { MaxInputBytesPerBatch: 40 } }, want: [{ Items: ['aaaaaaaaaa', 'bbbbbbbbbb'] }, { Items: ['cccccccccc'] }] },
  ])('$given', async ({ fields, input, want }) => {
    // Prepare
    const s3 = withObjects({ 'b/r.jsonl': '{"id":1}\n{"id":2}\n{"id":3}\n' });

    // Act
    const output = await s3.run(jsonataMap(fields), { bucket: 'b', key: 'r.jsonl', ...input });

    // Assess
    expect(output).toEqual(want);
  });

  it('reads with the Arguments evaluated, through the workflow`s S3 GetObject call', async () => {
    // Prepare
    const s3 = withObjects({ 'b/r.json': '[1]' });

    // Act
    await s3.run(jsonataMap({ ItemReader: reader({ InputType: 'JSON' }) }), { bucket: 'b', key: 'r.json' });

    // Assess
    expect(s3.calls.map((c) => [c.resource, c.parameters])).toEqual([['arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'r.json' }]]);
  });

  it.each([
    { given: 'a MaxItems expression that is no number', config: { InputType: 'JSON', MaxItems: '{% "two" %}' }, error: 'States.QueryEvaluationError' },
    { given: 'an object that cannot be read', config: { InputType: 'JSON' }, key: 'gone.json', error: 'States.ItemReaderFailed' },
  ])('$given fails with $error', async ({ config, key, error }) => {
    // Prepare
    const s3 = withObjects({ 'b/r.json': '[1]' });

    // Act
    const failed = await failure(s3.run(jsonataMap({ ItemReader: reader(config as Record<string, Json>) }), { bucket: 'b', key: key ?? 'r.json' }));

    // Assess
    expect(failed.error).toBe(error);
  });

  it('is run, so neither is listed as not emulated', () => {
    // Act
    const report = checkDefinition(jsonataMap({ ItemReader: reader({ InputType: 'JSON' }), ItemBatcher: { MaxItemsPerBatch: 2 } }));

    // Assess
    expect(report).toEqual({ problems: [], notEmulated: [] });
  });
});
