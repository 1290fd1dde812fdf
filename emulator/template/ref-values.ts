/**
 * Ref values CloudFormation gives that need more than a name: a rule on a custom event bus (Ref `<bus>|<rule>`, ARN
 * `…:rule/<bus>/<rule>`, LocalStack's recorded test_rule_properties; on the default bus the rule's name alone), a
 * Lambda alias or version (the qualified function ARN).
 */
import type { RawResource, Stack } from './stack.js';

/** The bus part of a rule's Ref or ARN, from its resolved EventBusName (a name or an event bus ARN); '' for default. */
export function ruleBusName(eventBusName: unknown): string {
  if (typeof eventBusName !== 'string' || eventBusName === '') return '';
  const bus = eventBusName.startsWith('arn:') ? eventBusName.replace(/^.*:event-bus\//, '') : eventBusName;
  return bus === 'default' ? '' : bus;
}

/** The bus part of the Ref and ARN of the rule `id` of `stack` ('' on the default bus). */
export function ruleBus(stack: Stack, id: string): string {
  return ruleBusName(stack.resolve(stack.resources[id]?.Properties.EventBusName, `Resources.${id}.Properties.EventBusName`));
}

/**
 * Ref of AWS::Lambda::Alias (the alias ARN) and AWS::Lambda::Version (the version ARN; every local
 * version is "1"): the function's ARN with a qualifier, which API Gateway and Lambda accept as the function.
 */
export function lambdaQualifiedArn(stack: Stack, id: string, res: RawResource): string {
  const key = `Resources.${id}.Properties`;
  const fn = String(stack.resolve(res.Properties.FunctionName, `${key}.FunctionName`));
  const base = fn.startsWith('arn:') ? fn.replace(/^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+).*$/, '$1') : `arn:aws:lambda:${stack.opts.region}:${stack.opts.accountId}:function:${fn}`;
  const qualifier = res.Type === 'AWS::Lambda::Alias' ? stack.resolve(res.Properties.Name, `${key}.Name`) : '1';
  return `${base}:${String(qualifier)}`;
}
