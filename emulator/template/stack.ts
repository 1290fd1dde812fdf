/** A template as CloudFormation sees it while deploying: parameters, conditions, present resources, physical ids. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseCfnYaml } from './cfn-yaml.js';
import { TemplateError } from './model.js';
import { NO_VALUE, resolveValue, type ResolveContext } from './intrinsics.js';
import { resourceStatus } from './resources.js';
import { usagePlanPiece } from './sam-api/usage-plan.js';
import { lambdaQualifiedArn, ruleBus } from './ref-values.js';
import { samEventRule, samStageName } from './sam-generated.js';
import { generatedBucketName, NAME_PROPERTY, SERVICE_ATTRIBUTES } from './resource-names.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface RawResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: unknown;
}

export interface StackOptions {
  file: string;
  region: string;
  accountId: string;
  stackName: string;
  parameters: Record<string, string | string[]>;
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  resources: Record<string, RawResource>;
  /** SAM's Globals.Function (AutoPublishAlias may be set there). */
  globalFunction?: Record<string, unknown>;
  /** Values of other stacks' exports (Fn::ImportValue), by export name. */
  importValues?: Record<string, string>;
  /**
   * The local SQS endpoint (http://127.0.0.1:<port>): a queue's Ref and QueueUrl are URLs on it, because the SQS SDKs
   * send each call to its QueueUrl's host whatever endpoint the client was given.
   */
  queueEndpoint?: string;
}

/** What Fn::ImportValue gives when no value is provided: recognisable, never a plausible real value. */
export const UNRESOLVED_PREFIX = 'emulator-unresolved:';

/**
 * Why an AWS::Include Location is no local file to read, or undefined: an S3 URL (not fetched), or a parameter with no
 * Default and no --parameter-overrides value (CloudFormation would take the value given at deploy).
 */
export function includeLocationProblem(location: unknown): string | undefined {
  const parameter = typeof location === 'string' && location.startsWith(`${UNRESOLVED_PREFIX}Parameter/`) ? location.slice(`${UNRESOLVED_PREFIX}Parameter/`.length) : undefined;
  if (parameter) return `is the parameter ${parameter}, which has no Default and no --parameter-overrides value: give it the file's local path (--parameter-overrides "${parameter}=<file>"; S3 locations are not fetched)`;
  if (typeof location !== 'string' || location.startsWith('s3://')) return 'must be a local path (S3 locations are not fetched)';
  return undefined;
}

/** API Gateway ids are 10 lowercase alphanumerics; derive one from the logical id so it is stable. */
export function restApiIdFor(logicalId: string): string {
  return createHash('sha256').update(logicalId).digest('hex').slice(0, 10);
}

/** What Lambda generates in a function URL: 32 lowercase letters and digits, stable per resource here. */
export function functionUrlIdFor(logicalId: string): string {
  return (restApiIdFor(`${logicalId}/url`) + restApiIdFor(`${logicalId}/url/2`) + restApiIdFor(`${logicalId}/url/3`) + restApiIdFor(`${logicalId}/url/4`)).slice(0, 32);
}

export class Stack implements ResolveContext {
  readonly file: string;
  readonly mappings: Record<string, unknown>;
  /** Resources whose Condition holds (absent ones are gone, as in a deployed stack). */
  readonly resources: Record<string, RawResource> = {};
  /** The resources whose Condition is false: CloudFormation does not create them (the report still lists them). */
  readonly conditionFalse: Record<string, RawResource> = {};
  private readonly conditionValues = new Map<string, boolean | 'evaluating'>();
  private readonly physical = new Map<string, string | 'resolving'>();
  /** Values that only exist in AWS and were replaced by a placeholder, with where (for the startup report). */
  readonly unresolved = new Map<string, string>();
  /** What reading the resources found worth saying (for the startup report). */
  readonly warnings: string[] = [];
  /** The Outputs of the nested stacks read locally, by the logical id of their resource (template/nested.ts). */
  readonly nestedOutputs = new Map<string, Record<string, unknown>>();

  constructor(readonly opts: StackOptions) {
    this.file = opts.file;
    this.mappings = opts.mappings;
    for (const [id, res] of Object.entries(opts.resources)) {
      // A resource the emulator ignores anyway (CDK's Metadata, a log group) does not stop the start over a Condition
      // the template lacks, which CloudFormation would refuse: it is left out, and the report says so.
      if (res.Condition !== undefined && !(res.Condition in opts.conditions) && resourceStatus(res.Type).status === 'ignored') {
        this.warnings.push(`Resources.${id}.Condition: unknown condition "${res.Condition}" (CloudFormation would refuse the template); ${res.Type} ${id} is left out`);
        continue;
      }
      if (res.Condition === undefined || this.condition(res.Condition, `Resources.${id}.Condition`)) this.resources[id] = res;
      else this.conditionFalse[id] = res;
    }
  }

  /** Resolve intrinsics in a value found at `key` of the template (or of `file`, for AWS::Include'd documents). */
  resolve(value: unknown, key: string, file?: string): unknown {
    const ctx: ResolveContext = file === undefined ? this : Object.assign(Object.create(this) as Stack, { file });
    const resolved = resolveValue(value, ctx, key);
    // A property that resolves to AWS::NoValue is absent, as if the template had not set it.
    return resolved === NO_VALUE ? undefined : resolved;
  }

  refParameter(name: string): unknown {
    const o = this.opts;
    const pseudo: Record<string, string> = {
      'AWS::Region': o.region,
      'AWS::AccountId': o.accountId,
      'AWS::Partition': 'aws',
      'AWS::StackName': o.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${o.region}:${o.accountId}:stack/${o.stackName}/00000000-0000-0000-0000-000000000000`,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (name === 'AWS::NotificationARNs') return [];
    return pseudo[name] ?? o.parameters[name];
  }

  include(location: string, key: string): unknown {
    const problem = includeLocationProblem(location);
    if (problem) throw new TemplateError(this.file, key, problem);
    const file = resolvePath(dirname(this.opts.file), location);
    if (!existsSync(file)) throw new TemplateError(this.file, key, `file ${file} does not exist`);
    if (!statSync(file).isFile()) throw new TemplateError(this.file, key, `${file} is not a file`);
    const snippet = parseCfnYaml(readFileSync(file, 'utf8'), file, {
      shortTags: false,
      unresolvedTagHint: ' (files pulled in by AWS::Include must use long-form intrinsics such as Fn::Sub, R13.3)',
    });
    return this.resolve(snippet, '', file);
  }

  importValue(exportName: string, key: string): unknown {
    const given = this.opts.importValues?.[exportName];
    if (given !== undefined) return given;
    const placeholder = `${UNRESOLVED_PREFIX}ImportValue/${exportName}`;
    if (!this.unresolved.has(placeholder)) {
      this.unresolved.set(placeholder, `${key}: Fn::ImportValue "${exportName}" only exists in AWS; locally it is "${placeholder}" (give it with --import-values "${exportName}=<value>")`);
    }
    return placeholder;
  }

  condition(name: string, key: string): boolean {
    const known = this.conditionValues.get(name);
    if (known === 'evaluating') throw new TemplateError(this.file, `Conditions.${name}`, 'circular condition');
    if (known !== undefined) return known;
    if (!(name in this.opts.conditions)) throw new TemplateError(this.file, key, `unknown condition "${name}"`);
    this.conditionValues.set(name, 'evaluating');
    const value = resolveValue(this.opts.conditions[name], this, `Conditions.${name}`);
    if (typeof value !== 'boolean') throw new TemplateError(this.file, `Conditions.${name}`, 'does not evaluate to true/false');
    this.conditionValues.set(name, value);
    return value;
  }

  /** Evaluate every condition, used or not: CloudFormation refuses a template with any invalid one (Fn::Equals of one item...). */
  checkConditions(): void {
    for (const name of Object.keys(this.opts.conditions)) this.condition(name, `Conditions.${name}`);
  }

  /** The physical name: FunctionName / TableName / Name if set, else a generated one (CloudFormation's rule). */
  physicalName(id: string): string {
    const cached = this.physical.get(id);
    if (cached === 'resolving') throw new TemplateError(this.file, `Resources.${id}`, 'circular reference to its own name');
    if (cached !== undefined) return cached;
    this.physical.set(id, 'resolving');
    const res = this.resources[id];
    const nameKey = res ? NAME_PROPERTY[res.Type] : undefined;
    const raw = nameKey !== undefined ? res?.Properties[nameKey] : undefined;
    let name = raw === undefined ? undefined : this.resolve(raw, `Resources.${id}.Properties.${nameKey}`);
    // A name that resolves to AWS::NoValue (`!If [C, name, !Ref AWS::NoValue]`) is unset: CloudFormation generates one.
    if (name === undefined) name = this.generatedName(id, res?.Type);
    if (typeof name !== 'string') name = String(name);
    this.physical.set(id, name as string);
    return name as string;
  }

  private generatedName(id: string, type: string | undefined): string {
    if (type === 'AWS::Serverless::Function' || type === 'AWS::Lambda::Function') return id;
    if (type === 'AWS::S3::Bucket') return generatedBucketName(this.opts.stackName, id);
    // CloudFormation names a parameter without Name CFN-<LogicalId>-<random>.
    if (type === 'AWS::SSM::Parameter') return `CFN-${id}-${createHash('sha1').update(`${this.opts.stackName}/${id}`).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
    // CloudFormation ends a FIFO queue's generated name in .fifo, as SQS requires.
    const fifo = type === 'AWS::SQS::Queue' && String(this.resolve(this.resources[id]?.Properties.FifoQueue ?? false, `Resources.${id}.Properties.FifoQueue`)) === 'true';
    return `${this.opts.stackName}-${id}${fifo ? '.fifo' : ''}`;
  }

  refResource(name: string, _key: string): unknown {
    const res = this.resources[name];
    if (!res) return this.samReferenceable(name);
    const { region, accountId } = this.opts;
    switch (res.Type) {
      case 'AWS::Serverless::Api':
      case 'AWS::ApiGateway::RestApi':
      case 'AWS::Serverless::HttpApi':
      case 'AWS::ApiGatewayV2::Api':
        return restApiIdFor(name);
      case 'AWS::SecretsManager::Secret':
        return this.arn(name, 'Arn');
      case 'AWS::Cognito::UserPool':
        return `${region}_${restApiIdFor(name).slice(0, 9)}`;
      case 'AWS::Cognito::UserPoolClient':
      case 'AWS::ApiGateway::ApiKey':
      case 'AWS::ApiGateway::UsagePlan':
        return restApiIdFor(`${name}:${accountId}`);
      case 'AWS::ApiGateway::Stage':
      case 'AWS::ApiGatewayV2::Stage':
        // Ref of a Stage is its name (what CDK puts in permission SourceArns and usage plan ApiStages, and what
        // WebSocket samples end their wss:// URL output with); a REST stage without one gets CloudFormation's generated name.
        if (res.Type === 'AWS::ApiGateway::Stage' && res.Properties.StageName === undefined) return this.physicalName(name);
        return this.resolve(res.Properties.StageName, `Resources.${name}.Properties.StageName`);
      case 'AWS::ApiGateway::Resource':
      case 'AWS::ApiGateway::Method':
      case 'AWS::ApiGateway::Authorizer':
      case 'AWS::ApiGateway::RequestValidator':
      case 'AWS::ApiGateway::Deployment':
      case 'AWS::ApiGateway::GatewayResponse':
        return restApiIdFor(name);
      case 'AWS::Lambda::Alias':
      case 'AWS::Lambda::Version':
        return lambdaQualifiedArn(this, name, res);
      case 'AWS::Cognito::UserPoolResourceServer':
        // Its Identifier: CDK joins it with a scope name into the scope access tokens carry (`users/read`).
        return this.resolve(res.Properties.Identifier, `Resources.${name}.Properties.Identifier`);
      case 'AWS::EC2::VPCEndpoint':
        // Its id (vpce- and 17 hex digits), which a private API's URL names: `<apiId>-<vpce-id>.execute-api...`.
        return `vpce-${createHash('sha256').update(`${this.opts.stackName}/${name}`).digest('hex').slice(0, 17)}`;
      // What CloudFormation's Ref returns for these: a queue's URL, a topic's and a state machine's ARN (a function
      // or an integration given them calls the service with them, on the endpoint the user configured).
      case 'AWS::SQS::Queue':
        return `${this.opts.queueEndpoint ?? `https://sqs.${region}.amazonaws.com`}/${accountId}/${this.physicalName(name)}`;
      case 'AWS::CloudFormation::Stack': // its stack id, as the embedded CloudFormation names the nested stack
      case 'AWS::Serverless::Application':
        return String(this.refParameter('AWS::StackId')).replace(/:stack\/[^/]+\//, `:stack/${this.opts.stackName}-${name}/`);
      case 'AWS::Lambda::LayerVersion': // its version ARN (every local version is 1); SAM's LayerName defaults to the id
      case 'AWS::Serverless::LayerVersion':
        return `arn:aws:lambda:${region}:${accountId}:layer:${String(this.resolve(res.Properties.LayerName ?? name, `Resources.${name}.Properties.LayerName`))}:1`;
      case 'AWS::Events::Rule': {
        const bus = ruleBus(this, name);
        return bus ? `${bus}|${this.physicalName(name)}` : this.physicalName(name);
      }
      case 'AWS::SNS::Topic':
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::Serverless::StateMachine':
      case 'AWS::IAM::ManagedPolicy': // a customer managed policy's Ref is its ARN (a role's ManagedPolicyArns take it)
        return this.arn(name, 'Arn');
      default:
        if (NAME_PROPERTY[res.Type] !== undefined) return this.physicalName(name);
        // AWS gives the resource's physical id (an identity pool's region:uuid, a VPC's vpc-...): the logical id stands in.
        this.standIns?.set(name, res.Type);
        return name;
    }
  }

  /** While `collectStandIns` runs: the resources whose Ref it resolved to their logical id, with their types. */
  private standIns: Map<string, string> | undefined;

  /** Resolves with `resolve` and says which Refs in it gave a logical id where AWS gives a physical id it has not here. */
  collectStandIns<T>(resolve: () => T): { value: T; standIns: Map<string, string> } {
    const outer = this.standIns;
    const standIns = new Map<string, string>();
    this.standIns = standIns;
    try {
      return { value: resolve(), standIns };
    } finally {
      this.standIns = outer;
      for (const [id, type] of standIns) outer?.set(id, type);
    }
  }

  /**
   * SAM's referenceable properties: `<Api>.Stage` (the stage name) and `<Api>.Deployment` of an
   * AWS::Serverless::Api; `<Fn>.Alias` / `<Fn>.Version` of a function with AutoPublishAlias, and the
   * alias SAM generates for it, `<Fn>Alias<Name>` (alias and version ARNs; every local version is 1).
   */
  private samReferenceable(name: string): unknown {
    const match = /^(.+)\.(Stage|Deployment|Alias|Version)$/.exec(name);
    const res = match ? this.resources[match[1] as string] : undefined;
    if (match && res?.Type === 'AWS::Serverless::Api' && (match[2] === 'Stage' || match[2] === 'Deployment')) {
      if (match[2] === 'Deployment') return restApiIdFor(`${match[1]}:deployment`);
      return this.resolve(res.Properties.StageName, `Resources.${match[1]}.Properties.StageName`);
    }
    if (match && match[2] === 'Stage' && res && isSamWebSocketApi(res)) return this.samWebSocketStage(match[1] as string);
    const generated = usagePlanPiece(this.resources, name);
    if (generated) return this.refResource(generated, `Resources.${generated}`);
    if (match && res?.Type === 'AWS::Serverless::Function' && (match[2] === 'Alias' || match[2] === 'Version')) {
      const alias = this.autoPublishAlias(match[1] as string);
      if (alias === undefined) return undefined;
      return `${this.arn(match[1] as string, 'Arn')}:${match[2] === 'Alias' ? alias : '1'}`;
    }
    for (const [id, fn] of Object.entries(this.resources)) {
      if (fn.Type !== 'AWS::Serverless::Function' || !name.startsWith(`${id}Alias`)) continue;
      const alias = this.autoPublishAlias(id);
      if (alias !== undefined && name === `${id}Alias${alias.replace(/[^A-Za-z0-9]/g, '')}`) return `${this.arn(id, 'Arn')}:${alias}`;
    }
    // The implicit HTTP API SAM creates for HttpApi events without ApiId (`!Sub https://${ServerlessHttpApi}.execute-api...`).
    if (this.implicitHttpApi(name)) return restApiIdFor(name);
    const stage = samStageName(this, name);
    if (stage !== undefined) return stage;
    const rule = samEventRule(this, name);
    if (rule) return rule.bus ? `${rule.bus}|${rule.name}` : rule.name;
    if (this.samRoleOf(name)) return `${this.opts.stackName}-${name}-EMULATOR`;
    return undefined;
  }

  /** `<WebSocketApi>.Stage`: the name of the one stage SAM generated for an AWS::Serverless::WebSocketApi. */
  private samWebSocketStage(id: string): unknown {
    const stage = Object.entries(this.resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage' && isRecord(r.Properties.ApiId) && r.Properties.ApiId.Ref === id);
    return stage ? this.resolve(stage[1].Properties.StageName, `Resources.${stage[0]}.Properties.StageName`) : undefined;
  }

  /** `ServerlessHttpApi`, when SAM generates it: a function's HttpApi event names no ApiId, and no resource has that id. */
  private implicitHttpApi(name: string): boolean {
    if (name !== 'ServerlessHttpApi' || this.resources[name]) return false;
    return Object.values(this.resources).some((res) => res.Type === 'AWS::Serverless::Function' && isHttpApiEventWithoutApi(res.Properties.Events));
  }

  /**
   * `<Fn>Role` / `<StateMachine>Role`: the execution role SAM generates for a function or a state machine that names
   * no Role of its own (the translator builds one from Policies, an empty one without; sam init's step-func template
   * outputs `!GetAtt StockTradingStateMachineRole.Arn`).
   */
  private samRoleOf(name: string): boolean {
    const owner = name.endsWith('Role') ? this.resources[name.slice(0, -'Role'.length)] : undefined;
    return (owner?.Type === 'AWS::Serverless::Function' || owner?.Type === 'AWS::Serverless::StateMachine') && owner.Properties.Role === undefined;
  }

  /** `<Function>Url`: the AWS::Lambda::Url SAM generates for a function's FunctionUrlConfig (its own or Globals'). */
  private samUrlOf(name: string): boolean {
    const fn = name.endsWith('Url') ? this.resources[name.slice(0, -'Url'.length)] : undefined;
    return fn?.Type === 'AWS::Serverless::Function' && (fn.Properties.FunctionUrlConfig ?? this.opts.globalFunction?.FunctionUrlConfig) !== undefined;
  }

  /** The alias SAM publishes for a function (AutoPublishAlias, its own or Globals'), if any. */
  autoPublishAlias(id: string): string | undefined {
    const raw = this.resources[id]?.Properties.AutoPublishAlias ?? this.opts.globalFunction?.AutoPublishAlias;
    const alias = raw === undefined ? undefined : this.resolve(raw, `Resources.${id}.Properties.AutoPublishAlias`);
    return typeof alias === 'string' && alias !== '' ? alias : undefined;
  }

  getAtt(id: string, attribute: string, key: string): unknown {
    const res = this.resources[id];
    if (!res && this.samRoleOf(id)) return attribute === 'Arn' ? `arn:aws:iam::${this.opts.accountId}:role/${String(this.refResource(id, key))}` : `emulator-fake:${id}.${attribute}`;
    if (!res && this.samUrlOf(id) && attribute === 'FunctionUrl') return this.functionUrl(id);
    if (!res && this.samUrlOf(id) && attribute === 'FunctionArn') return this.arn(id.slice(0, -'Url'.length), 'Arn');
    const rule = !res && attribute === 'Arn' ? samEventRule(this, id) : undefined;
    if (rule) return `arn:aws:events:${this.opts.region}:${this.opts.accountId}:rule/${rule.bus ? `${rule.bus}/` : ''}${rule.name}`;
    if (!res && this.implicitHttpApi(id) && (attribute === 'ApiEndpoint' || attribute === 'ApiId')) return attribute === 'ApiId' ? restApiIdFor(id) : `https://${restApiIdFor(id)}.execute-api.${this.opts.region}.amazonaws.com`;
    if (!res) throw new TemplateError(this.file, key, `Fn::GetAtt names "${id}", which is not a resource (or its Condition is false)`);
    if (res.Type === 'AWS::Serverless::Api' || res.Type === 'AWS::ApiGateway::RestApi') {
      if (attribute === 'RootResourceId') return restApiIdFor(`${id}/`);
    }
    // RestApiId, ResourceId, DeploymentId, AuthorizerId, RequestValidatorId...: the same id as Ref.
    if (res.Type.startsWith('AWS::ApiGateway::') && /^(?:[A-Z][A-Za-z]*)?Id$/.test(attribute)) return this.refResource(id, key);
    // SAM resolves `${Api.Stage}`, `${Api.ApiKey}`... in Fn::Sub like `Ref: Api.Stage` (its referenceable properties).
    if (res.Type === 'AWS::Serverless::Api' && (attribute === 'Stage' || attribute === 'Deployment')) return this.samReferenceable(`${id}.${attribute}`);
    const generated = usagePlanPiece(this.resources, `${id}.${attribute}`, (message) => new TemplateError(this.file, key, message));
    if (generated) return this.refResource(generated, key);
    if (attribute === 'Stage' && isSamWebSocketApi(res)) return this.samWebSocketStage(id);
    if (res.Type === 'AWS::Cognito::UserPool' && attribute !== 'Arn') {
      const poolId = String(this.refResource(id, key));
      if (attribute === 'ProviderName') return `cognito-idp.${this.opts.region}.amazonaws.com/${poolId}`;
      if (attribute === 'ProviderURL') return `https://cognito-idp.${this.opts.region}.amazonaws.com/${poolId}`;
    }
    // An HTTP or WebSocket API's endpoint on AWS; functions and DescribeStacks give the local one (local-api-urls.ts).
    if ((res.Type === 'AWS::Serverless::HttpApi' || res.Type === 'AWS::ApiGatewayV2::Api') && (attribute === 'ApiEndpoint' || attribute === 'ApiId')) {
      const apiId = String(this.refResource(id, key));
      if (attribute === 'ApiId') return apiId;
      const websocket = String(this.resolve(res.Properties.ProtocolType ?? 'HTTP', `Resources.${id}.Properties.ProtocolType`)) === 'WEBSOCKET';
      return `${websocket ? 'wss' : 'https'}://${apiId}.execute-api.${this.opts.region}.amazonaws.com`;
    }
    if (attribute === 'Arn' || attribute === 'StreamArn') return this.arn(id, attribute);
    if (res.Type === 'AWS::SSM::Parameter' && (attribute === 'Type' || attribute === 'Value')) return this.resolve(res.Properties[attribute], `Resources.${id}.Properties.${attribute}`);
    // A function URL's address on AWS; functions reach the local one through it (local-api-urls.ts).
    if (res.Type === 'AWS::Lambda::Url' && attribute === 'FunctionUrl') return this.functionUrl(id);
    // An enhanced fan-out consumer's ARN: its stream's, /consumer/<name>:<creation time> (the creation time fixed here).
    if (res.Type === 'AWS::Kinesis::StreamConsumer' && (attribute === 'ConsumerARN' || attribute === 'StreamARN')) {
      const props = this.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
      if (attribute === 'StreamARN') return String(props.StreamARN);
      return `${String(props.StreamARN)}/consumer/${String(props.ConsumerName ?? id)}:1700000000`;
    }
    if (res.Type === 'AWS::S3::Bucket') {
      const bucket = this.physicalName(id);
      const { region } = this.opts;
      const domains: Record<string, string> = {
        DomainName: `${bucket}.s3.amazonaws.com`,
        RegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        DualStackDomainName: `${bucket}.s3.dualstack.${region}.amazonaws.com`,
        WebsiteURL: `http://${bucket}.s3-website-${region}.amazonaws.com`,
      };
      if (domains[attribute] !== undefined) return domains[attribute];
    }
    const named = SERVICE_ATTRIBUTES[res.Type]?.[attribute];
    if (named === 'name') return this.physicalName(id);
    if (named === 'ref') return this.refResource(id, key);
    const output = attribute.startsWith('Outputs.') ? this.nestedOutputs.get(id)?.[attribute.slice('Outputs.'.length)] : undefined;
    if (output !== undefined) return output;
    return this.placeholder(id, attribute, key, res.Type);
  }

  /** Keys already told of their placeholder: a value may be resolved more than once. */
  private readonly placeholders = new Set<string>();

  /** An attribute the emulator cannot give (its resource is not created locally): a placeholder, named in the report. */
  private placeholder(id: string, attribute: string, key: string, type: string): string {
    const value = `emulator-fake:${id}.${attribute}`;
    if (!this.placeholders.has(key)) {
      this.placeholders.add(key);
      this.warnings.push(`${key}: Fn::GetAtt ${id}.${attribute} (${type}, not created locally) stands in as the placeholder "${value}"`);
    }
    return value;
  }

  /** A function URL's address on AWS; functions reach the local one through it (local-api-urls.ts). */
  private functionUrl(id: string): string {
    return `https://${functionUrlIdFor(id)}.lambda-url.${this.opts.region}.on.aws/`;
  }

  /** The ARN CloudFormation gives a resource (GetAtt Arn and friends). */
  arn(id: string, attribute: string): string {
    const res = this.resources[id];
    const { region, accountId } = this.opts;
    const base = `${region}:${accountId}`;
    switch (res?.Type) {
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${base}:function:${this.physicalName(id)}`;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::Serverless::SimpleTable': {
        const table = `arn:aws:dynamodb:${base}:table/${this.physicalName(id)}`;
        return attribute === 'StreamArn' ? `${table}/stream/1970-01-01T00:00:00.000` : table;
      }
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${base}:userpool/${String(this.refResource(id, ''))}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${base}:secret:${this.physicalName(id)}-AbCdEf`;
      case 'AWS::IAM::Role':
      case 'AWS::IAM::ManagedPolicy': {
        // The Path is part of the ARN (`role/service-role/<name>` for Path /service-role/, IAM identifiers).
        const path = res.Properties.Path === undefined ? '/' : this.resolve(res.Properties.Path, `Resources.${id}.Properties.Path`);
        const prefix = typeof path === 'string' && path.startsWith('/') && path.endsWith('/') ? path.slice(1) : '';
        return `arn:aws:iam::${accountId}:${res.Type === 'AWS::IAM::Role' ? 'role' : 'policy'}/${prefix}${this.physicalName(id)}`;
      }
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${base}:${this.physicalName(id)}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${base}:${this.physicalName(id)}`;
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::Serverless::StateMachine':
        return `arn:aws:states:${base}:stateMachine:${this.physicalName(id)}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${base}:event-bus/${this.physicalName(id)}`;
      case 'AWS::Events::Rule':
        return `arn:aws:events:${base}:rule/${ruleBus(this, id) ? `${ruleBus(this, id)}/` : ''}${this.physicalName(id)}`;
      case 'AWS::CloudWatch::Alarm':
        return `arn:aws:cloudwatch:${base}:alarm:${this.physicalName(id)}`;
      case 'AWS::Events::ApiDestination':
      case 'AWS::Events::Connection': {
        // <kind>/<name>/<uuid>: the uuid, EventBridge's own, derived here from the stack and logical id.
        const hex = createHash('sha256').update(`${this.opts.stackName}/${id}`).digest('hex');
        const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
        return `arn:aws:events:${base}:${res.Type === 'AWS::Events::Connection' ? 'connection' : 'api-destination'}/${this.physicalName(id)}/${uuid}`;
      }
      case 'AWS::Kinesis::Stream':
        return `arn:aws:kinesis:${base}:stream/${this.physicalName(id)}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${this.physicalName(id)}`;
      case 'AWS::SSM::Parameter': {
        // A parameter's ARN names it without its leading slash: parameter/a/b for /a/b.
        const name = this.physicalName(id);
        return `arn:aws:ssm:${base}:parameter/${name.replace(/^\//, '')}`;
      }
      case 'AWS::Logs::LogGroup':
        // CloudFormation's Arn of a log group ends in `:*` (the group's streams).
        return `arn:aws:logs:${base}:log-group:${this.physicalName(id)}:*`;
      default:
        return `arn:aws:emulator-fake:${base}:${id}`;
    }
  }
}

/** A function's Events with an HttpApi event that names no ApiId (it goes to SAM's implicit ServerlessHttpApi). */
function isHttpApiEventWithoutApi(events: unknown): boolean {
  if (typeof events !== 'object' || events === null) return false;
  return Object.values(events as Record<string, unknown>).some((e) => {
    const event = e as { Type?: unknown; Properties?: { ApiId?: unknown } } | null;
    return event?.Type === 'HttpApi' && event.Properties?.ApiId === undefined;
  });
}

/** An AWS::ApiGatewayV2::Api SAM generated from an AWS::Serverless::WebSocketApi (sam-websocket-api.ts tags it so). */
function isSamWebSocketApi(res: RawResource): boolean {
  const tags = res.Properties.Tags;
  return res.Type === 'AWS::ApiGatewayV2::Api' && isRecord(tags) && tags['websocketapi:createdBy'] === 'SAM';
}
