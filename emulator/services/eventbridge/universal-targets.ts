/**
 * EventBridge Scheduler's universal targets (Scheduler User Guide, "Using universal targets"): a schedule whose target
 * is `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>` calls that API with its Input as the request's parameters.
 * Served here for the services the gateway embeds: SQS, SNS, EventBridge, DynamoDB, Lambda and Step Functions.
 */
import { parseFunctionName } from '../lambda-function-name.js';
import type { EventBuses } from './bus.js';
import type { StateMachineTargets, TargetResolver } from './targets.js';

/** `arn:aws:scheduler:::aws-sdk:<service>:<action>`, or undefined for any other ARN. */
export function universalTarget(arn: string): { service: string; action: string } | undefined {
  const match = /^arn:[^:]+:scheduler:::aws-sdk:([a-z0-9-]+):([A-Za-z0-9]+)$/.exec(arn);
  return match ? { service: match[1]!, action: match[2]! } : undefined;
}

/** The embedded services a universal target reaches (late-bound: some start after the buses). */
export interface UniversalServices {
  sqs?: TargetResolver['sqs'];
  topics?: TargetResolver['topics'];
  bus?: () => EventBuses | undefined;
  stateMachines?: StateMachineTargets;
  functions: TargetResolver['functions'];
  /** A DynamoDB API call on the embedded DynamoDB: the answer's status and text. */
  dynamodb?: (action: string, body: string) => Promise<{ ok: boolean; text: string }>;
}

/** The services served as universal targets. */
export const UNIVERSAL_SERVICES = ['sqs', 'sns', 'eventbridge', 'dynamodb', 'lambda', 'sfn'];

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** One call: undefined when the service took it, else what it answered. */
export async function callUniversalTarget(arn: string, input: string, services: UniversalServices): Promise<string | undefined> {
  const target = universalTarget(arn);
  if (!target) return `${arn} is not a universal target`;
  let parameters: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    parameters = parsed as Record<string, unknown>;
  } catch {
    return "the schedule's Input is not a JSON object of the API's parameters";
  }
  const action = upperFirst(target.action);
  try {
    switch (target.service) {
      case 'sqs':
        if (!services.sqs) return 'the embedded SQS is not running';
        await services.sqs.call(action, parameters);
        return undefined;
      case 'sns':
        if (action !== 'Publish' || !services.topics) return `sns:${target.action} is not served as a universal target (publish is)`;
        services.topics.publish(parameters);
        return undefined;
      case 'eventbridge': {
        const bus = services.bus?.();
        if (action !== 'PutEvents' || !bus) return `eventbridge:${target.action} is not served as a universal target (putEvents is)`;
        const answer = bus.putEvents(parameters);
        return answer.FailedEntryCount > 0 ? `PutEvents failed: ${JSON.stringify(answer.Entries)}` : undefined;
      }
      case 'dynamodb': {
        if (!services.dynamodb) return 'the embedded DynamoDB is not running';
        const answer = await services.dynamodb(action, JSON.stringify(parameters));
        return answer.ok ? undefined : `DynamoDB ${action} answered ${answer.text.slice(0, 300)}`;
      }
      case 'lambda': {
        if (action !== 'Invoke') return `lambda:${target.action} is not served as a universal target (invoke is)`;
        const name = String(parameters.FunctionName ?? '');
        // Any form Invoke takes: a name, a partial ARN or an ARN, with an alias or version (one function locally).
        const reference = parseFunctionName(name);
        const fn = services.functions.find((f) => f.name === name || f.arn === name || (reference !== undefined && f.name === reference.name));
        if (!fn) return `the function ${name} is not one of the template's`;
        const payload = typeof parameters.Payload === 'string' ? (JSON.parse(parameters.Payload) as unknown) : (parameters.Payload ?? {});
        const outcome = await fn.invoke(payload);
        return outcome.kind === 'ok' ? undefined : outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'the function did not answer in time';
      }
      case 'sfn': {
        if (action !== 'StartExecution' || !services.stateMachines) return `sfn:${target.action} is not served as a universal target (startExecution is)`;
        const machine = String(parameters.StateMachineArn ?? '');
        if (!services.stateMachines.arns.includes(machine)) return `the state machine ${machine} is not one of the template's`;
        return services.stateMachines.start(machine, typeof parameters.Input === 'string' ? parameters.Input : JSON.stringify(parameters.Input ?? {}));
      }
      default:
        return `aws-sdk:${target.service} universal targets are not served locally`;
    }
  } catch (error) {
    return `${target.service}:${target.action} failed: ${(error as Error).message}`;
  }
}
