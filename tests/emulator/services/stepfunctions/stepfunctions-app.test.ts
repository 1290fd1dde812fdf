/**
 * State machines in a running emulator (tests/emulator/fixtures/stepfunctions-app), driven through what starts them
 * on AWS: SAM's Api event (API Gateway's StartExecution integration), an EventBridge rule, the Step Functions API
 * (the real SDK on AWS_ENDPOINT_URL_SFN), and a function answering a task token; one keeps its data in variables. Waits are on the executions' end
 * reports and SQS long polls, never on time.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../emulator/app.js';
import type { ExecutionReport } from '../../../../emulator/services/stepfunctions/executions.js';
import { executionLine } from '../../../../emulator/services/stepfunctions/start.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/stepfunctions-app/template.yaml', import.meta.url));
const MACHINE = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const reports = new AwaitedReports<ExecutionReport>();
let emulator: RunningEmulator;
let queues: QueueReader;
let sfn: SFNClient;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onExecution: reports.add }));
  // StartSyncExecution's host prefix (sync-) cannot go on an IP address: a client of a local endpoint turns it off.
  sfn = new SFNClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SFN, credentials: emulator.credentials, disableHostPrefix: true });
}, 60_000);
afterAll(() => emulator?.close());

const order = (body: unknown) => fetch(`${emulator.apis[0]!.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ended = (name: string) => reports.where((r) => r.name === name);
const nameOf = (executionArn: string) => executionArn.split(':').pop()!;

describe('an order workflow started by the API (SAM Api event)', () => {
  it('answers StartExecution`s 200 and runs: the function prices, DynamoDB and SQS get the order', async () => {
    // Act
    const res = await order({ id: 'o-1', sku: 'tea', qty: 2 });
    const body = (await res.json()) as { executionArn: string; startDate: number };
    const end = await ended(nameOf(body.executionArn));

    // Assess
    expect(res.status).toBe(200);
    expect(body.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:order-flow:[0-9a-f-]{36}$/);
    expect(typeof body.startDate).toBe('number');
    expect(end).toMatchObject({ machine: 'OrderFlow', status: 'SUCCEEDED' });
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB, credentials: emulator.credentials });
    const item = await dynamodb.send(new GetItemCommand({ TableName: 'local-Orders', Key: { id: { S: 'o-1' } } }));
    expect(item.Item).toEqual({ id: { S: 'o-1' }, total: { N: '6' } });
    const [shipped] = await queues.next('local-Shipments');
    expect(JSON.parse(shipped!)).toEqual({ id: 'o-1', sku: 'tea', qty: 2, price: { sku: 'tea', total: 6 } });
  });

  it('a function error the Catch names is the Rejected branch: the execution succeeds with the error name', async () => {
    const res = await order({ id: 'o-2', sku: 'tea', qty: 11 });
    const { executionArn } = (await res.json()) as { executionArn: string };
    await ended(nameOf(executionArn));

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ rejected: true, error: 'OutOfStock' });
  });

  it.each([
    ['no qty', { id: 'o-3', sku: 'tea' }],
    ['a qty that is not a number', { id: 'o-4', sku: 'tea', qty: 'two' }],
    ['a qty of 0', { id: 'o-5', sku: 'tea', qty: 0 }],
  ])('%s fails the execution at the Fail state with its Error and Cause', async (_, input) => {
    const res = await order(input);
    const { executionArn } = (await res.json()) as { executionArn: string };
    const end = await ended(nameOf(executionArn));

    expect(end).toMatchObject({ status: 'FAILED', error: 'InvalidOrder', cause: 'qty must be a number above 0' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed']);
  });
});

describe('an order workflow started by an EventBridge rule (SAM EventBridgeRule event)', () => {
  it('gets the event`s detail (InputPath) as its input', async () => {
    const events = new EventBridgeClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_EVENTBRIDGE, credentials: emulator.credentials });
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'e-1', sku: 'cake', qty: 1 }) }] }));
    const [shipped] = await queues.next('local-Shipments');

    expect(JSON.parse(shipped!)).toEqual({ id: 'e-1', sku: 'cake', qty: 1, price: { sku: 'cake', total: 3 } });
  });
});

describe('an express workflow from a DefinitionUri file with DefinitionSubstitutions', () => {
  it('StartSyncExecution answers with its output: a Map over the lines through lambda:invoke, then intrinsic functions', async () => {
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE('local-Quote'), input: JSON.stringify({ customer: 'ann', lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }] }) }));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:local-Quote:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
    expect(JSON.parse(result.output!)).toEqual({ customer: 'ann', totals: [3, 6, 9], lines: 3, message: '3 lines for ann' });
    // The log names the express execution by its ARN: its name alone does not find it (DescribeExecution needs the ARN).
    const end = await reports.where((r) => r.executionArn === result.executionArn);
    expect(executionLine(end)).toBe(`Step Functions Quote execution ${result.executionArn}: SUCCEEDED`);
  });

  it('StartSyncExecution of a standard workflow is refused (StateMachineTypeNotSupported)', async () => {
    const error = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE('order-flow'), input: '{}' })).then(() => undefined, (e: Error) => e);

    expect(error?.name).toBe('StateMachineTypeNotSupported');
  });

  it('a failing line fails the sync execution with the function`s error', async () => {
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE('local-Quote'), input: JSON.stringify({ customer: 'bob', lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 12 }] }) }));

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('OutOfStock');
    expect(JSON.parse(result.cause!)).toMatchObject({ errorType: 'OutOfStock', errorMessage: 'only 10 of b in stock' });
  });
});

describe('an HTTP API route with the StepFunctions-StartSyncExecution subtype', () => {
  const quote = (body: string) => fetch(`${emulator.apis.find((a) => a.kind === 'http')!.url}/quotes`, { method: 'POST', body });

  it('answers Step Functions` response: the execution`s status and output', async () => {
    const res = await quote(JSON.stringify({ customer: 'cy', lines: [{ sku: 'a', qty: 4 }] }));
    const body = (await res.json()) as { status: string; output: string; stateMachineArn: string };

    expect(res.status).toBe(200);
    expect(body.status).toBe('SUCCEEDED');
    expect(body.stateMachineArn).toBe(MACHINE('local-Quote'));
    expect(JSON.parse(body.output)).toEqual({ customer: 'cy', totals: [12], lines: 1, message: '1 lines for cy' });
  });

  it('a body that is not JSON is the service`s 400 (InvalidExecutionInput), passed on', async () => {
    const res = await quote('not json');

    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('InvalidExecutionInput');
  });
});

describe('a workflow on the embedded S3 (the AWS SDK integration)', () => {
  it('puts, gets and lists an object; a missing key is S3.NoSuchKeyException, which its Catch names', async () => {
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE('archiver'), input: JSON.stringify({ id: 'o-7', total: 3 }) }));
    const output = JSON.parse(result.output ?? '{}') as Record<string, { ETag?: string; body?: unknown; type?: string; keys?: string[]; Error?: string }>;

    expect(result.status).toBe('SUCCEEDED');
    expect(output.put?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(output.got).toEqual({ body: { id: 'o-7', total: 3 }, type: 'application/json' });
    expect(output.listed?.keys).toEqual(['orders/o-7.json']);
    expect(output.missing?.Error).toBe('S3.NoSuchKeyException');
  });
});

describe('a callback workflow (lambda:invoke.waitForTaskToken)', () => {
  it('waits for the token the function sends back with SendTaskSuccess, whose output is the task`s', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE('review'), name: 'review-1', input: JSON.stringify({ order: 'o-9' }) }));
    const end = await ended('review-1');

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(end.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ approvedBy: 'local', order: 'o-9' });
  });
});

describe('a workflow that keeps what it needs in variables (JSONPath Assign, $name paths)', () => {
  it('StartExecution runs it: the Map reads its items and the customer from variables, the Choice and the report too', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE('tally'), name: 'tally-1', input: JSON.stringify({ customer: { name: 'Dee' }, lines: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }] }) }));
    const end = await ended('tally-1');

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect({ status: end.status, cause: described.cause }).toEqual({ status: 'SUCCEEDED', cause: undefined });
    expect(JSON.parse(described.output!)).toEqual({ customer: 'Dee', totals: [6, 3], size: 'big', message: 'Dee priced 2 lines' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const assigned = history.events?.filter((e) => e.stateExitedEventDetails?.assignedVariables).map((e) => [e.stateExitedEventDetails!.name, e.stateExitedEventDetails!.assignedVariables]);
    expect(assigned).toEqual([
      ['Remember', { customer: '{"name":"Dee"}', lines: '[{"sku":"a","qty":2},{"sku":"b","qty":1}]' }],
      ['Price', { lineTotal: '6' }],
      ['Price', { lineTotal: '3' }],
      ['PriceLines', { totals: '[6,3]', count: '2' }],
      ['Size', { size: '"big"' }],
    ]);
  });

  it('a line over the stock: the Map`s Catch assigns the error, which the next state reads', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE('tally'), name: 'tally-2', input: JSON.stringify({ customer: { name: 'Eve' }, lines: [{ sku: 'a', qty: 20 }] }) }));
    await ended('tally-2');

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ customer: 'Eve', refused: 'OutOfStock' });
  });
});

describe('the Step Functions API', () => {
  it('lists the template`s state machines and describes one with its definition', async () => {
    const list = await sfn.send(new ListStateMachinesCommand({}));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE('order-flow') }));

    expect(list.stateMachines?.map((m) => [m.name, m.type]).sort()).toEqual([['archiver', 'EXPRESS'], ['local-Quote', 'EXPRESS'], ['order-flow', 'STANDARD'], ['review', 'STANDARD'], ['tally', 'STANDARD']]);
    expect(described.type).toBe('STANDARD');
    expect(JSON.parse(described.definition!).StartAt).toBe('Validate');
  });

  it.each([
    ['a state machine the template lacks', { stateMachineArn: MACHINE('nope') }, 'StateMachineDoesNotExist'],
    ['input that is not JSON', { stateMachineArn: MACHINE('order-flow'), input: '{nope' }, 'InvalidExecutionInput'],
    ['a name with a space', { stateMachineArn: MACHINE('order-flow'), name: 'two words' }, 'InvalidName'],
    ['an ARN that is not a state machine`s', { stateMachineArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'InvalidArn'],
  ])('StartExecution with %s is refused (%s)', async (_, input, code) => {
    const error = await sfn.send(new StartExecutionCommand(input)).then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);

    expect(error?.name).toBe(code);
    expect(error?.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('the startup report', () => {
  it('lists each state machine with its type, and the rule that starts one', () => {
    expect(emulator.stateMachineNotes).toEqual([
      'OrderFlow (STANDARD): 6 states, run by the embedded Step Functions',
      'Quote (EXPRESS): 2 states, run by the embedded Step Functions',
      'Review (STANDARD): 1 states, run by the embedded Step Functions',
      'Tally (STANDARD): 5 states, run by the embedded Step Functions',
      'Archiver (EXPRESS): 5 states, run by the embedded Step Functions',
    ]);
    expect(emulator.eventNotes).toEqual(['OrderFlow.Placed (bus default): delivers to order-flow (state machine)']);
  });
});
