/**
 * The embedded Step Functions API's test harness (executions*.test.ts): the service on a fake clock, the other AWS
 * services a task reaches as fakes, and the machines most tests run.
 */
import { SfnError, StepFunctions, type OtherServices } from '../../../../emulator/services/stepfunctions/executions.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import type { FunctionAnswer } from '../../../../emulator/services/stepfunctions/task-resources.js';
import type { StateMachineSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler, settle } from '../../support/fake-scheduler.js';

export const START = Date.parse('2024-05-01T12:00:00.000Z');
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** The fake clock: a scheduler on a fixed start. */
class FakeClock extends FakeScheduler {
  constructor() {
    super(START);
  }
}

/** Fake AWS services (Lambda, SQS...) that tasks reach: every call recorded; Lambda answers by `functions`, others by `answer`. */
export class FakeAwsServices implements OtherServices {
  readonly invocations: { functionRef: string; payload: Json }[] = [];
  readonly calls: { service: string; action: string; input: Record<string, Json> }[] = [];
  private readonly pending: ((answer: FunctionAnswer) => void)[] = [];
  constructor(private readonly functions: (payload: Json) => FunctionAnswer | 'pending' = (payload) => ({ kind: 'ok', payload })) {}
  readonly invokeFunction = (functionRef: string, payload: Json): Promise<FunctionAnswer> => {
    this.invocations.push({ functionRef, payload });
    const answer = this.functions(payload);
    if (answer !== 'pending') return Promise.resolve(answer);
    return new Promise((resolve) => this.pending.push(resolve));
  };
  /** Answers the oldest pending invocation. */
  answer(answer: FunctionAnswer): void {
    this.pending.shift()!(answer);
  }
  readonly call = (service: 'dynamodb' | 'sqs' | 'sns' | 'eventbridge', action: string, input: Record<string, Json>): Promise<Json> => {
    this.calls.push({ service, action, input });
    return Promise.resolve({ MessageId: `m-${this.calls.length}` });
  };
}

export const arnOf = (name: string): string => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
export const spec = (name: string, definition: Record<string, unknown>, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): StateMachineSpec => ({ logicalId: `${name}Machine`, name, arn: arnOf(name), type, definition });

export const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:work`;
export const passMachine = { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { greeting: 'hi' }, ResultPath: '$.said', End: true } } };
export const waitMachine = (seconds: number, extra: Record<string, unknown> = {}) => ({ ...extra, StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: seconds, End: true } } });
export const taskMachine = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FUNCTION, End: true } } };
export const echoMachine = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };
export const failMachine = { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no items' } } };

/** The service on a fake clock with fake AWS services, its usual machines included. */
export function harness(machines: StateMachineSpec[] = [], fakes = new FakeAwsServices()) {
  const clock = new FakeClock();
  const all = [spec('Greeter', passMachine), spec('Sleeper', waitMachine(60)), spec('Worker', taskMachine), spec('Failer', failMachine), spec('Quick', passMachine, 'EXPRESS'), spec('QuickFail', failMachine, 'EXPRESS'), spec('Echo', echoMachine), ...machines];
  const sfn = new StepFunctions(all, fakes, { region: REGION, accountId: ACCOUNT, now: clock.now, after: clock.after });
  const call = async <T = Record<string, unknown>>(action: string, input: Record<string, unknown>): Promise<T> => (await sfn.handle(action, input)) as T;
  const start = async (machine: string, input?: unknown, name?: string): Promise<string> => {
    const answer = await call<{ executionArn: string }>('StartExecution', { stateMachineArn: arnOf(machine), ...(input !== undefined ? { input: typeof input === 'string' ? input : JSON.stringify(input) } : {}), ...(name !== undefined ? { name } : {}) });
    await settle();
    return answer.executionArn;
  };
  const describe = (executionArn: string) => call<Record<string, unknown>>('DescribeExecution', { executionArn });
  const history = async (executionArn: string, extra: Record<string, unknown> = {}) => (await call<{ events: Record<string, unknown>[]; nextToken?: string }>('GetExecutionHistory', { executionArn, ...extra })).events;
  return { clock, sfn, fakes, call, start, describe, history };
}

/** The API error code a call fails with. */
export async function apiError(act: Promise<unknown>): Promise<string> {
  try {
    await act;
  } catch (error) {
    if (error instanceof SfnError) return error.code;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** The task token an SQS .waitForTaskToken task sent in its message body. */
export const tokenSent = (fakes: FakeAwsServices, index = 0): string => (JSON.parse(fakes.calls[index]!.input.MessageBody as string) as { token: string }).token;
export const callback = (state: Record<string, unknown> = {}, after: Record<string, unknown> = {}) => ({
  StartAt: 'Ask',
  States: {
    Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true, ...state },
    ...after,
  },
});
