/**
 * How Lambda handles a function's asynchronous invocations (Lambda Developer Guide, "Asynchronous invocation"): its
 * retries and event age (SAM's EventInvokeConfig, AWS::Lambda::EventInvokeConfig), its destinations on success and
 * failure, and its dead-letter queue (SAM's DeadLetterQueue, DeadLetterConfig) → FunctionSpec.asyncInvoke.
 */
import type { AsyncInvokeSpec, FunctionSpec } from './model.js';
import { functionNamed } from './queues.js';
import type { RawResource, Stack } from './stack.js';
import { withArticle } from './article.js';
import { applyGlobals } from './globals.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arnOf = (v: unknown): string | undefined => (isRecord(v) && typeof v.Destination === 'string' ? v.Destination : undefined);

/** Lambda's defaults: two retries, events kept six hours. */
export const DEFAULT_ASYNC: AsyncInvokeSpec = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };

function fromInvokeConfig(config: Record<string, unknown>, base: AsyncInvokeSpec): AsyncInvokeSpec {
  const out: AsyncInvokeSpec = { ...base };
  if (config.MaximumRetryAttempts !== undefined) out.maximumRetryAttempts = Number(config.MaximumRetryAttempts);
  if (config.MaximumEventAgeInSeconds !== undefined) out.maximumEventAgeSeconds = Number(config.MaximumEventAgeInSeconds);
  const destinations = isRecord(config.DestinationConfig) ? config.DestinationConfig : {};
  const onSuccess = arnOf(destinations.OnSuccess);
  const onFailure = arnOf(destinations.OnFailure);
  if (onSuccess) out.onSuccess = onSuccess;
  if (onFailure) out.onFailure = onFailure;
  return out;
}

/** A function's own settings: SAM's EventInvokeConfig and DeadLetterQueue, or the Lambda resource's DeadLetterConfig. */
export function asyncInvokeOf(stack: Stack, id: string, props: Record<string, unknown>, sam: boolean, warnings: string[]): AsyncInvokeSpec | undefined {
  const key = `Resources.${id}.Properties`;
  let spec: AsyncInvokeSpec | undefined;
  if (sam && props.EventInvokeConfig !== undefined) {
    const config = stack.resolve(props.EventInvokeConfig, `${key}.EventInvokeConfig`);
    if (isRecord(config)) {
      spec = fromInvokeConfig(config, DEFAULT_ASYNC);
      const destinations = isRecord(config.DestinationConfig) ? config.DestinationConfig : {};
      for (const when of ['OnSuccess', 'OnFailure']) {
        const d = destinations[when];
        // SAM creates a queue or topic only for SQS and SNS (expandSamInvokeDestinations); another type needs its Destination.
        if (isRecord(d) && d.Destination === undefined) warnings.push(`${key}.EventInvokeConfig.DestinationConfig.${when}: ${withArticle(String(d.Type))} destination without a Destination: nothing is sent ${when === 'OnSuccess' ? 'on success' : 'on failure'}`);
      }
    }
  }
  const dlq = sam ? props.DeadLetterQueue : props.DeadLetterConfig;
  if (dlq !== undefined) {
    const resolved = stack.resolve(dlq, `${key}.${sam ? 'DeadLetterQueue' : 'DeadLetterConfig'}`);
    if (isRecord(resolved) && typeof resolved.TargetArn === 'string') spec = { ...(spec ?? DEFAULT_ASYNC), deadLetter: resolved.TargetArn };
  }
  return spec;
}

/** AWS::Lambda::EventInvokeConfig resources applied to the functions they name (a qualifier is the function here). */
export function applyEventInvokeConfigs(stack: Stack, functions: Map<string, FunctionSpec>, warnings: string[]): void {
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
    const fn = functionNamed(functions, props.FunctionName);
    if (!fn) {
      warnings.push(`Resources.${id}.Properties.FunctionName: ${JSON.stringify(props.FunctionName)} is no function of this template: not applied`);
      continue;
    }
    fn.asyncInvoke = fromInvokeConfig(props, fn.asyncInvoke ?? DEFAULT_ASYNC);
  }
}

const GENERATED_DESTINATIONS: Record<string, { suffix: string; type: string; arn: (id: string) => unknown }> = {
  SQS: { suffix: 'Queue', type: 'AWS::SQS::Queue', arn: (id) => ({ 'Fn::GetAtt': [id, 'Arn'] }) },
  SNS: { suffix: 'Topic', type: 'AWS::SNS::Topic', arn: (id) => ({ Ref: id }) },
};

/**
 * SAM's EventInvokeConfig destination of Type SQS or SNS without a Destination: SAM's transform creates the queue
 * (`<Fn>EventInvokeConfigOnSuccessQueue`) or topic (`<Fn>EventInvokeConfigOnFailureTopic`) and sends there, and the
 * template may name it (Ref, Fn::GetAtt). Added to the stack as SAM adds them, so they are local queues and topics.
 */
export function expandSamInvokeDestinations(stack: Stack, globals: unknown): void {
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Serverless::Function') continue;
    const props = applyGlobals(globals, 'Function', res.Properties);
    const config = props.EventInvokeConfig;
    if (!isRecord(config) || !isRecord(config.DestinationConfig)) continue;
    const destinations: Record<string, unknown> = { ...config.DestinationConfig };
    for (const when of ['OnSuccess', 'OnFailure']) {
      const d = destinations[when];
      const made = isRecord(d) && d.Destination === undefined && typeof d.Type === 'string' ? GENERATED_DESTINATIONS[d.Type] : undefined;
      if (!made) continue;
      const generatedId = `${id}EventInvokeConfig${when}${made.suffix}`;
      stack.resources[generatedId] ??= { ...(res.Condition === undefined ? {} : { Condition: res.Condition }), Type: made.type, Properties: {} } as RawResource;
      destinations[when] = { ...(d as Record<string, unknown>), Destination: made.arn(generatedId) };
    }
    // A new resource object: the template's own (kept for the report) is left as written.
    stack.resources[id] = { ...res, Properties: { ...res.Properties, EventInvokeConfig: { ...config, DestinationConfig: destinations } } };
  }
}
