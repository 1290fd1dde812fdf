/**
 * AWS::S3::Bucket and its event notifications (the bucket's NotificationConfiguration: Lambda, queue and topic
 * configurations, EventBridge; SAM's S3 function events, which SAM writes into that configuration) → BucketSpec /
 * BucketNotificationSpec, served by the embedded S3 (services/s3/).
 */
import type { BucketCorsRule, BucketNotificationSpec, BucketSpec, FunctionSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bucket settings that change what S3 answers but are not applied locally, each with what differs. */
const NOT_APPLIED: [string, (value: unknown) => boolean, string][] = [
  ['VersioningConfiguration', (v) => isRecord(v) && v.Status === 'Enabled', 'versioning is not emulated: no version ids, a delete removes the object (no delete marker, ObjectRemoved:Delete)'],
  ['LifecycleConfiguration', (v) => v !== undefined, 'lifecycle rules are not run: nothing expires or transitions'],
  ['ObjectLockEnabled', (v) => v === true || v === 'true', 'object lock is not emulated: objects can be overwritten and deleted'],
  ['WebsiteConfiguration', (v) => v !== undefined, 'website hosting is not served (read objects through the S3 endpoint)'],
  ['ReplicationConfiguration', (v) => v !== undefined, 'replication is not run'],
];

export function loadBuckets(stack: Stack): BucketSpec[] {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type === 'AWS::S3::Bucket')
    .map(([id, res]) => {
      const config = stack.resolve(res.Properties.NotificationConfiguration ?? {}, `Resources.${id}.Properties.NotificationConfiguration`);
      const eventBridge = isRecord(config) && isRecord(config.EventBridgeConfiguration) && String(config.EventBridgeConfiguration.EventBridgeEnabled ?? true) === 'true';
      const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
      const cors = corsRules(props.CorsConfiguration);
      const rules = isRecord(props.OwnershipControls) && Array.isArray(props.OwnershipControls.Rules) ? props.OwnershipControls.Rules.filter(isRecord) : [];
      const aclsEnabled = rules.some((r) => r.ObjectOwnership === 'ObjectWriter' || r.ObjectOwnership === 'BucketOwnerPreferred');
      const notApplied = NOT_APPLIED.filter(([name, applies]) => applies(props[name])).map(([name, , why]) => `${name}: ${why}`);
      return { logicalId: id, name: stack.physicalName(id), eventBridge, ...(cors.length > 0 ? { cors } : {}), ...(aclsEnabled ? { aclsEnabled } : {}), ...(notApplied.length > 0 ? { notApplied } : {}) };
    });
}

const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** CorsConfiguration.CorsRules, as S3 reads them. */
function corsRules(config: unknown): BucketCorsRule[] {
  const rules = isRecord(config) && Array.isArray(config.CorsRules) ? config.CorsRules.filter(isRecord) : [];
  return rules.map((r) => ({
    allowedOrigins: texts(r.AllowedOrigins),
    allowedMethods: texts(r.AllowedMethods).map((m) => m.toUpperCase()),
    allowedHeaders: texts(r.AllowedHeaders),
    exposedHeaders: texts(r.ExposedHeaders),
    ...(r.MaxAge !== undefined && Number.isFinite(Number(r.MaxAge)) ? { maxAge: Number(r.MaxAge) } : {}),
  }));
}

/** Filter.S3Key.Rules → prefix / suffix (S3 names them case-insensitively). */
function keyFilter(filter: unknown): Pick<BucketNotificationSpec, 'prefix' | 'suffix'> {
  const rules = isRecord(filter) && isRecord(filter.S3Key) && Array.isArray(filter.S3Key.Rules) ? filter.S3Key.Rules.filter(isRecord) : [];
  const out: Pick<BucketNotificationSpec, 'prefix' | 'suffix'> = {};
  for (const rule of rules) {
    const name = String(rule.Name ?? '').toLowerCase();
    if (name === 'prefix' || name === 'suffix') out[name] = String(rule.Value ?? '');
  }
  return out;
}

const CONFIGURATIONS = [
  ['LambdaConfigurations', 'Function'],
  ['QueueConfigurations', 'Queue'],
  ['TopicConfigurations', 'Topic'],
] as const;

/** Every notification of the template's buckets, and its functions' S3 events (each a Lambda configuration). */
export function loadBucketNotifications(stack: Stack, functions: Map<string, FunctionSpec>): BucketNotificationSpec[] {
  const out: BucketNotificationSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    const key = `Resources.${id}.Properties`;
    if (res.Type === 'AWS::S3::Bucket' && isRecord(res.Properties.NotificationConfiguration)) {
      const bucket = stack.physicalName(id);
      const config = stack.resolve(res.Properties.NotificationConfiguration, `${key}.NotificationConfiguration`) as Record<string, unknown>;
      for (const [list, targetKey] of CONFIGURATIONS) {
        const entries = Array.isArray(config[list]) ? (config[list] as unknown[]).filter(isRecord) : [];
        entries.forEach((entry, i) => out.push({ id: `${id}.${list}[${i}]`, bucket, events: [String(entry.Event ?? '')], ...keyFilter(entry.Filter), target: String(entry[targetKey] ?? '') }));
      }
    }
    if (res.Type === 'AWS::Serverless::Function' && isRecord(res.Properties.Events)) {
      for (const [eventId, event] of Object.entries(res.Properties.Events)) {
        if (!isRecord(event) || event.Type !== 'S3') continue;
        const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, `${key}.Events.${eventId}.Properties`) as Record<string, unknown>;
        const events = Array.isArray(props.Events) ? props.Events.map(String) : [String(props.Events ?? '')];
        out.push({ id: `${id}.${eventId}`, bucket: String(props.Bucket ?? ''), events, ...keyFilter(props.Filter), target: functions.get(id)?.arn ?? '' });
      }
    }
  }
  return out;
}
