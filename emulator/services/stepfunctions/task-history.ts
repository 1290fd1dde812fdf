/** The history events a Task state writes (API Reference, HistoryEvent), by the kind of resource it calls. */
import type { Json } from './json.js';

export type HistoryName = [type: string, details: Record<string, Json>];

/**
 * The history events of a task (API Reference, HistoryEvent): LambdaFunction* for a function's ARN, Task* with the
 * integration's resourceType, resource and region otherwise.
 */
export function historyNames(resource: string, executionArn: string): { scheduled: HistoryName; started: HistoryName; succeeded: HistoryName; failed: HistoryName; timedOut: HistoryName; lambda: boolean } {
  if (/^arn:[^:]+:lambda:/.test(resource)) {
    return { scheduled: ['LambdaFunctionScheduled', { resource }], started: ['LambdaFunctionStarted', {}], succeeded: ['LambdaFunctionSucceeded', {}], failed: ['LambdaFunctionFailed', {}], timedOut: ['LambdaFunctionTimedOut', {}], lambda: true };
  }
  const integration = /^arn:[^:]+:states:::(?:(aws-sdk):)?([^:]+):(.+)$/.exec(resource);
  const resourceType = integration ? (integration[1] ? `aws-sdk:${integration[2]}` : integration[2]!) : 'activity';
  const details = { resourceType, resource: integration ? integration[3]! : resource };
  const region = executionArn.split(':')[3] ?? '';
  return { scheduled: ['TaskScheduled', { ...details, region }], started: ['TaskStarted', details], succeeded: ['TaskSucceeded', details], failed: ['TaskFailed', details], timedOut: ['TaskTimedOut', details], lambda: false };
}
