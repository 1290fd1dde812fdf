/**
 * How CloudFormation names an AWS::Events::Rule on a custom event bus: Ref is `<bus>|<rule>` and the ARN
 * `…:rule/<bus>/<rule>` (LocalStack's recorded test_rule_properties); on the default bus, the rule's name alone.
 */
import type { Stack } from './stack.js';

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
