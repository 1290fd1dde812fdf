/**
 * The Amazon States Language interpreter's test harness (interpreter*.test.ts): time is a fake clock driven by the
 * test; tasks are a fake task runner that stands for the services a Task calls.
 */
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { StatesError } from '../../../../emulator/services/stepfunctions/json.js';
import { Interpreter, type ExecutionInfo, type TaskCall } from '../../../../emulator/services/stepfunctions/interpreter.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

export const START = Date.parse('2024-05-01T12:00:00.000Z');

/** The fake clock: a scheduler on a fixed start. */
class FakeClock extends FakeScheduler {
  constructor() {
    super(START);
  }
}

const PENDING = Symbol('pending');
type Responder = (call: TaskCall, index: number) => Json | typeof PENDING;

interface RecordedCall {
  call: TaskCall;
  at: number;
  resolve(output: Json): void;
  reject(error: StatesError): void;
}

/** A fake task runner standing for the AWS services a Task calls: answers by `respond`, or leaves the call pending. */
class FakeTaskRunner {
  readonly calls: RecordedCall[] = [];
  running = 0;
  maxRunning = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly respond: Responder = () => PENDING,
  ) {}
  readonly runTask = (call: TaskCall): Promise<Json> =>
    new Promise<Json>((resolve, reject) => {
      let settled = false;
      const end = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.running -= 1;
        fn();
      };
      this.running += 1;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      const recorded: RecordedCall = { call, at: this.clock.now(), resolve: (v) => end(() => resolve(v)), reject: (e) => end(() => reject(e)) };
      this.calls.push(recorded);
      try {
        const answer = this.respond(call, this.calls.length - 1);
        if (answer !== PENDING) recorded.resolve(answer);
      } catch (error) {
        recorded.reject(error as StatesError);
      }
    });
}

export const EXECUTION: ExecutionInfo = {
  id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1',
  name: 'run-1',
  input: { order: 42 },
  startTime: '2024-05-01T11:59:58.000Z',
  roleArn: 'arn:aws:iam::123456789012:role/orders-role',
  stateMachineId: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
  stateMachineName: 'Orders',
};

type Outcome = { status: 'running' } | { status: 'succeeded'; output: Json } | { status: 'failed'; error: string; cause: string } | { status: 'crashed'; reason: unknown };

/** An interpreter on a fake clock and a fake task runner, and a way to start a machine and watch its outcome. */
export function harness(respond?: Responder, options: { random?: () => number } = {}) {
  const clock = new FakeClock();
  const tasks = new FakeTaskRunner(clock, respond);
  const events: { type: string; details: Record<string, Json> }[] = [];
  const interpreter = new Interpreter({ now: clock.now, after: clock.after, runTask: tasks.runTask, ...options, onEvent: (type, details) => events.push({ type, details }) }, EXECUTION);
  const start = (definition: object, input: unknown = {}) => {
    const controller = new AbortController();
    const watched: { outcome: Outcome } = { outcome: { status: 'running' } };
    interpreter.run(definition as Record<string, Json>, input as Json, controller.signal).then(
      (output) => (watched.outcome = { status: 'succeeded', output }),
      (reason: unknown) => (watched.outcome = reason instanceof StatesError ? { status: 'failed', error: reason.error, cause: reason.cause } : { status: 'crashed', reason }),
    );
    return { watched, controller };
  };
  /** Runs a machine to its end, firing every timer. */
  const run = async (definition: object, input: unknown = {}): Promise<Outcome> => {
    const { watched } = start(definition, input);
    await clock.runAll();
    return watched.outcome;
  };
  return { clock, tasks, events, start, run };
}

export const fails = (error: string, cause = 'it broke') => () => {
  throw new StatesError(error, cause);
};

/** A machine of one state. */
export const single = (state: object): Record<string, Json> => ({ StartAt: 'Only', States: { Only: { ...state, End: true } } });
export const task = (extra: object = {}): Record<string, Json> => single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', ...extra });
