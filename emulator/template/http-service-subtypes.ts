/**
 * HTTP APIs' AWS service integrations (DG "Integration subtype reference"): an `aws_proxy` integration with an
 * `integrationSubtype` calls one AWS action, its `requestParameters` naming the action's parameters (not H11.6
 * mappings). The catalogue below is that page's: each subtype, its parameters and which are required. API Gateway
 * creates no integration with another subtype, a parameter the subtype does not have, or without a required one.
 */
import { TemplateError } from './model.js';

/** How a parameter's text becomes the action's value (the service APIs' types). */
export type ServiceParameterKind = 'string' | 'integer' | 'map' | 'list' | 'blob';

export interface ServiceSubtype {
  /** The service's endpoint prefix: its signing name and its AWS_ENDPOINT_URL_<service> variable. */
  service: 'events' | 'sqs' | 'appconfig' | 'kinesis' | 'states';
  /** The API action the subtype calls. */
  action: string;
  /** Parameter name → kind; `Region` (every subtype's) picks the region the call is signed for. */
  parameters: Record<string, ServiceParameterKind>;
  required: string[];
}

const sqs = (action: string, parameters: Record<string, ServiceParameterKind>, required: string[]): ServiceSubtype => ({ service: 'sqs', action, parameters: { QueueUrl: 'string', ...parameters }, required: ['QueueUrl', ...required] });
const states = (action: string, parameters: Record<string, ServiceParameterKind>, required: string[]): ServiceSubtype => ({ service: 'states', action, parameters, required });

/** The subtypes API Gateway supports, version 1.0 of each. */
export const SERVICE_SUBTYPES: Readonly<Record<string, ServiceSubtype>> = {
  'EventBridge-PutEvents': {
    service: 'events',
    action: 'PutEvents',
    parameters: { Detail: 'string', DetailType: 'string', Source: 'string', Time: 'string', EventBusName: 'string', Resources: 'list', TraceHeader: 'string' },
    required: ['Detail', 'DetailType', 'Source'],
  },
  'SQS-SendMessage': sqs(
    'SendMessage',
    { MessageBody: 'string', DelaySeconds: 'integer', MessageAttributes: 'map', MessageDeduplicationId: 'string', MessageGroupId: 'string', MessageSystemAttributes: 'map' },
    ['MessageBody'],
  ),
  'SQS-ReceiveMessage': sqs(
    'ReceiveMessage',
    { AttributeNames: 'list', MaxNumberOfMessages: 'integer', MessageAttributeNames: 'list', ReceiveRequestAttemptId: 'string', VisibilityTimeout: 'integer', WaitTimeSeconds: 'integer' },
    [],
  ),
  'SQS-DeleteMessage': sqs('DeleteMessage', { ReceiptHandle: 'string' }, ['ReceiptHandle']),
  'SQS-PurgeQueue': sqs('PurgeQueue', {}, []),
  'AppConfig-GetConfiguration': {
    service: 'appconfig',
    action: 'GetConfiguration',
    parameters: { Application: 'string', Environment: 'string', Configuration: 'string', ClientId: 'string', ClientConfigurationVersion: 'string' },
    required: ['Application', 'Environment', 'Configuration', 'ClientId'],
  },
  'Kinesis-PutRecord': {
    service: 'kinesis',
    action: 'PutRecord',
    parameters: { StreamName: 'string', Data: 'blob', PartitionKey: 'string', SequenceNumberForOrdering: 'string', ExplicitHashKey: 'string' },
    required: ['StreamName', 'Data', 'PartitionKey'],
  },
  'StepFunctions-StartExecution': states('StartExecution', { StateMachineArn: 'string', Name: 'string', Input: 'string', TraceHeader: 'string' }, ['StateMachineArn']),
  'StepFunctions-StartSyncExecution': states('StartSyncExecution', { StateMachineArn: 'string', Name: 'string', Input: 'string', TraceHeader: 'string' }, ['StateMachineArn']),
  'StepFunctions-StopExecution': states('StopExecution', { ExecutionArn: 'string', Cause: 'string', Error: 'string' }, ['ExecutionArn']),
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The subtype and its parameters (name → value as written: static text or `$request...` / `${...}` to evaluate per
 * request), checked as API Gateway checks them when it creates the integration.
 */
export function serviceParameters(subtype: string, raw: unknown, source: string, keys: { subtype: string; parameters: string }): Record<string, string> {
  const spec = SERVICE_SUBTYPES[subtype];
  if (!spec) throw new TemplateError(source, keys.subtype, `API Gateway supports no integration subtype ${JSON.stringify(subtype)} (one of ${Object.keys(SERVICE_SUBTYPES).join(', ')})`);
  if (raw !== undefined && !isRecord(raw)) throw new TemplateError(source, keys.parameters, `must be a map of ${subtype} parameters to values`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (name !== 'Region' && spec.parameters[name] === undefined) {
      throw new TemplateError(source, `${keys.parameters}.${name}`, `is no parameter of ${subtype} (${[...Object.keys(spec.parameters), 'Region'].join(', ')})`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new TemplateError(source, `${keys.parameters}.${name}`, 'must be a text value');
    out[name] = String(value);
  }
  const missing = spec.required.filter((name) => out[name] === undefined || out[name] === '');
  if (missing.length) throw new TemplateError(source, keys.parameters, `${subtype} requires ${missing.join(', ')}`);
  return out;
}
