/**
 * AWS::SNS::Topic and its subscriptions (AWS::SNS::Subscription, the Topic's own Subscription list, SAM's SNS
 * function events) → TopicSpec / SubscriptionSpec, served by the embedded SNS.
 */
import type { FunctionSpec, SubscriptionSpec, TopicSpec } from './model.js';
import { patternOf } from './event-rules.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Topic properties the embedded SNS does not apply, with why (the others are applied or change nothing observable). */
const TOPIC_NOT_APPLIED: Record<string, string> = {
  TracingConfig: 'X-Ray is not emulated: no trace is passed on to subscribers',
  DataProtectionPolicy: 'message data protection (audit, de-identify, deny) is not applied: messages are delivered as published',
  ArchivePolicy: 'FIFO message archiving and replay are not emulated',
  DeliveryStatusLogging: 'no CloudWatch Logs locally: deliveries are logged to the terminal',
};

export function loadTopics(stack: Stack): TopicSpec[] {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type === 'AWS::SNS::Topic')
    .map(([id]) => {
      const arn = String(stack.resolve({ Ref: id }, `Resources.${id}`));
      const flag = (name: string) => String(stack.resolve(stack.resources[id]?.Properties[name] ?? false, `Resources.${id}.Properties.${name}`)) === 'true';
      const fifo = flag('FifoTopic');
      const props = stack.resources[id]?.Properties ?? {};
      const notApplied = Object.entries(TOPIC_NOT_APPLIED)
        .filter(([name]) => props[name] !== undefined && !(name === 'TracingConfig' && stack.resolve(props[name], `Resources.${id}.Properties.${name}`) === 'PassThrough'))
        .map(([name, why]) => `${name}: ${why}`);
      return { logicalId: id, name: arn.split(':').pop() ?? id, arn, fifo, ...(fifo && flag('ContentBasedDeduplication') ? { contentBasedDeduplication: true } : {}), ...(notApplied.length > 0 ? { notApplied } : {}) };
    });
}

function subscription(id: string, topicArn: string, props: Record<string, unknown>, stack: Stack): SubscriptionSpec {
  const spec: SubscriptionSpec = {
    id,
    arn: `${topicArn}:${stack.opts.stackName}-${id.replace(/[^A-Za-z0-9]/g, '')}`,
    topicArn,
    protocol: String(props.Protocol ?? '').toLowerCase(),
    endpoint: String(props.Endpoint ?? ''),
  };
  const policy = patternOf(props.FilterPolicy);
  if (policy) spec.filterPolicy = policy;
  if (props.FilterPolicyScope === 'MessageBody' || props.FilterPolicyScope === 'MessageAttributes') spec.filterPolicyScope = props.FilterPolicyScope;
  if (props.RawMessageDelivery === true || props.RawMessageDelivery === 'true') spec.rawMessageDelivery = true;
  const notApplied = ['RedrivePolicy', 'DeliveryPolicy', 'SqsSubscription'].filter((k) => props[k] !== undefined && props[k] !== false);
  if (notApplied.length > 0) spec.notApplied = notApplied;
  return spec;
}

/** Every subscription of the template's topics, and its functions' SNS events (each a lambda subscription). */
export function loadSubscriptions(stack: Stack, functions: Map<string, FunctionSpec>): SubscriptionSpec[] {
  const out: SubscriptionSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    const key = `Resources.${id}.Properties`;
    if (res.Type === 'AWS::SNS::Topic' && Array.isArray(res.Properties.Subscription)) {
      const topicArn = String(stack.resolve({ Ref: id }, `Resources.${id}`));
      const list = stack.resolve(res.Properties.Subscription, `${key}.Subscription`) as unknown[];
      list.filter(isRecord).forEach((s, i) => out.push(subscription(`${id}.Subscription[${i}]`, topicArn, s, stack)));
    }
    if (res.Type === 'AWS::SNS::Subscription') {
      const props = stack.resolve(res.Properties, key) as Record<string, unknown>;
      out.push(subscription(id, String(props.TopicArn ?? ''), props, stack));
    }
    if (res.Type === 'AWS::Serverless::Function' && isRecord(res.Properties.Events)) {
      for (const [eventId, event] of Object.entries(res.Properties.Events)) {
        if (!isRecord(event) || event.Type !== 'SNS') continue;
        const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, `${key}.Events.${eventId}.Properties`) as Record<string, unknown>;
        const fn = functions.get(id);
        out.push(subscription(`${id}.${eventId}`, String(props.Topic ?? ''), { ...props, Protocol: 'lambda', Endpoint: fn?.arn ?? '' }, stack));
      }
    }
  }
  return out;
}
