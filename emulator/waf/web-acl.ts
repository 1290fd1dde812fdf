/**
 * An AWS WAFv2 web ACL associated with an API Gateway stage (W1-W7): rules by ascending Priority, Allow / Block /
 * Count and the default action, labels, rate-based rules on the emulator clock; a block answers WAF_FILTERED (W3.1),
 * or the Block action's custom response (W3.3, R8.10).
 */
import { BlockList, isIP } from 'node:net';
import type { TemplateRegex } from '../gateway/template-regex.js';
import { addStandardHeaders, GatewayError } from '../gateway/gateway-responses.js';
import type { FirewallHook } from '../gateway/hooks.js';
import { Reply } from '../gateway/reply.js';
import type { RequestState } from '../gateway/request-state.js';
import { CasedHeaders } from '../gateway/wire-headers.js';
import type { SupportItem } from '../gateway/types.js';
import type { Clock } from '../limits/clock.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import { namesRestStage } from '../template/waf-associations.js';
import { MANAGED_GROUPS } from './managed.js';
import type { WafRequest } from './request.js';
import { matches, RateCounters, unsupportedIn, wafRegex, type References, type StatementContext } from './statements.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** W4.1: API Gateway forwards 16 KB of body to WAF unless AssociationConfig raises it. */
const BODY_LIMITS: Record<string, number> = { KB_16: 16_384, KB_32: 32_768, KB_48: 49_152, KB_64: 65_536 };

/** W3.3: the Content-Type of a CustomResponseBodies entry. */
const BODY_TYPES: Record<string, string> = { TEXT_PLAIN: 'text/plain', TEXT_HTML: 'text/html', APPLICATION_JSON: 'application/json' };

/** A rule's terminating verdict: Allow, or Block with the Block action (its CustomResponse, if any). */
type Verdict = 'ALLOW' | { block: unknown };

interface WafResource {
  logicalId: string;
  type: string;
  properties: Json;
}

interface Rule {
  name: string;
  priority: number;
  raw: Json;
  /** Reasons the rule cannot be evaluated; such a rule never matches and is reported NOT EMULATED. */
  unsupported: string[];
}

/** The ARN a template reference to a resource resolves to (`Fn::GetAtt X.Arn`), ending in `:<logicalId>`. */
const refersTo = (arn: unknown, logicalId: string) => typeof arn === 'string' && (arn === logicalId || arn.endsWith(`:${logicalId}`));

function ipSetOf(props: Json): BlockList {
  const list = new BlockList();
  for (const cidr of Array.isArray(props.Addresses) ? props.Addresses : []) {
    const [addr, bits] = String(cidr).split('/');
    const family = isIP(addr ?? '');
    if (family) list.addSubnet(addr as string, Number(bits ?? (family === 6 ? 128 : 32)), family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** The web ACL of one API stage, plugged into its pipeline as the FirewallHook. */
export class WebAcl implements FirewallHook {
  private readonly rules: Rule[];
  private readonly ipSets = new Map<string, BlockList>();
  private readonly regexSets = new Map<string, TemplateRegex[]>();
  private readonly rate = new RateCounters();
  private readonly bodyLimit: number;
  private readonly defaultBlock: boolean;
  private readonly refs: References;
  /** W1.1: why AWS would not associate this web ACL with a REST stage (then it filters nothing). */
  private readonly refused: string | undefined;

  constructor(
    private readonly acl: WafResource,
    resources: WafResource[],
    private readonly clock: Clock,
    /** The ARN the association names: `$context.webaclArn` (W1.5). */
    private readonly arn: string = acl.logicalId,
  ) {
    for (const r of resources) {
      if (r.type === 'AWS::WAFv2::IPSet') this.ipSets.set(r.logicalId, ipSetOf(r.properties));
      if (r.type === 'AWS::WAFv2::RegexPatternSet') {
        const patterns = (Array.isArray(r.properties.RegularExpressionList) ? r.properties.RegularExpressionList : []).map((p) => wafRegex(String(p)));
        this.regexSets.set(r.logicalId, patterns);
      }
    }
    // `Fn::GetAtt <Set>.Arn` resolves to `arn:aws:emulator-fake:<region>:<account>:<LogicalId>` (template/stack.ts).
    const logicalIdOf = (arn: string) => arn.split(':').at(-1) ?? arn;
    this.refs = { ipSet: (arn) => this.ipSets.get(logicalIdOf(arn)), regexSet: (arn) => this.regexSets.get(logicalIdOf(arn)) };
    const props = acl.properties;
    const requestBody = isObject(props.AssociationConfig) && isObject(props.AssociationConfig.RequestBody) ? props.AssociationConfig.RequestBody.API_GATEWAY : undefined;
    this.bodyLimit = BODY_LIMITS[String(isObject(requestBody) ? requestBody.DefaultSizeInspectionLimit : 'KB_16')] ?? BODY_LIMITS.KB_16!;
    this.defaultBlock = isObject(props.DefaultAction) && props.DefaultAction.Block !== undefined;
    this.refused = props.Scope === 'REGIONAL' ? undefined : `Scope ${String(props.Scope ?? '(none)')}: API Gateway REST stages take REGIONAL web ACLs only, so AWS refuses this association (W1.1); nothing filters the stage`;
    this.rules = (Array.isArray(props.Rules) ? props.Rules : [])
      .filter(isObject)
      .map((raw) => ({ name: String(raw.Name), priority: Number(raw.Priority ?? 0), raw, unsupported: this.unsupported(raw) }))
      .sort((a, b) => a.priority - b.priority);
  }

  /** W2.1-W2.5: the first terminating action decides; Count adds labels and goes on; then the default action. */
  inspect(state: RequestState): GatewayError | Reply | undefined {
    if (this.refused) return undefined;
    // W5.6: the query string as sent (still URL-encoded).
    const query = state.rawQuery ?? new URLSearchParams(state.query).toString();
    const req: WafRequest = { method: state.httpMethod, uriPath: state.contextPath, queryString: query, query: state.query, headers: state.headers, body: state.body, sourceIp: state.sourceIp };
    const ctx: StatementContext = { req, labels: new Set(), bodyLimit: this.bodyLimit, clock: this.clock, refs: this.refs, rate: this.rate };
    for (const rule of this.rules) {
      if (rule.unsupported.length > 0) continue;
      const verdict = this.evaluate(rule, ctx);
      if (verdict === 'ALLOW') return this.allow(state);
      if (verdict) return this.block(state, verdict.block, `rule ${rule.name}`);
    }
    return this.defaultBlock ? this.block(state, (this.acl.properties.DefaultAction as Json).Block, 'default action Block') : this.allow(state);
  }

  /** W1.5: `$context.wafResponseCode` WAF_ALLOW. */
  private allow(state: RequestState): undefined {
    state.waf = { responseCode: 'WAF_ALLOW', webAclArn: this.arn };
    return undefined;
  }

  /** W1.5 WAF_BLOCK; the Block action's custom response as defined (W3.3: it bypasses the gateway responses, R8.10), else WAF_FILTERED (W3.1). */
  private block(state: RequestState, block: unknown, why: string): GatewayError | Reply {
    state.waf = { responseCode: 'WAF_BLOCK', webAclArn: this.arn };
    return this.customResponse(block, state) ?? new GatewayError('WAF_FILTERED', { log: `WAF_FILTERED by web ACL ${this.acl.logicalId} ${why}` });
  }

  /** W3.3: ResponseCode, ResponseHeaders as named, the CustomResponseBodies entry with its Content-Type; API Gateway's request id headers. */
  private customResponse(block: unknown, state: RequestState): Reply | undefined {
    const response = isObject(block) && isObject(block.CustomResponse) ? block.CustomResponse : undefined;
    const status = Number(response?.ResponseCode);
    if (!response || !Number.isInteger(status) || status < 200 || status > 599) return undefined;
    const headers = new CasedHeaders();
    for (const header of Array.isArray(response.ResponseHeaders) ? response.ResponseHeaders : []) {
      if (isObject(header)) headers.set(String(header.Name), String(header.Value));
    }
    const bodies = this.acl.properties.CustomResponseBodies;
    const body = isObject(bodies) && typeof response.CustomResponseBodyKey === 'string' ? bodies[response.CustomResponseBodyKey] : undefined;
    if (isObject(body)) headers.set('Content-Type', BODY_TYPES[String(body.ContentType)] ?? 'text/plain');
    addStandardHeaders(headers, state);
    return new Reply(status, headers, isObject(body) ? String(body.Content ?? '') : null);
  }

  /** Startup-report items: the web ACL and each rule (or managed rule) emulated, ignored or not emulated. */
  support(): SupportItem[] {
    const where = `web ACL ${this.acl.logicalId}`;
    if (this.refused) return [{ subject: 'AWS::WAFv2::WebACL', location: where, status: 'not-emulated', detail: this.refused }];
    const items: SupportItem[] = [{ subject: 'AWS::WAFv2::WebACL', location: where, status: 'emulated', detail: `default action ${this.defaultBlock ? 'Block' : 'Allow'}, body inspected up to ${this.bodyLimit} bytes (W4.1)` }];
    for (const rule of this.rules) {
      const group = this.managedGroup(rule.raw);
      if (group) {
        for (const m of group.group.rules) {
          const status = m.test ? 'emulated' : m.ignored ? 'ignored' : 'not-emulated';
          const detail = m.test ? 'the documented inspection (W7)' : (m.ignored ?? 'AWS does not publish its signatures (W7)');
          items.push({ subject: `WAF rule ${rule.name} ${group.name}:${m.name}`, location: where, status, detail });
        }
        continue;
      }
      items.push(rule.unsupported.length ? { subject: `WAF rule ${rule.name}`, location: where, status: 'not-emulated', detail: `${rule.unsupported.join('; ')}: the rule is skipped` } : { subject: `WAF rule ${rule.name}`, location: where, status: 'emulated', detail: `priority ${rule.priority}` });
    }
    // W3.3, R8.10: a custom Block response is sent as defined, not the WAF_FILTERED gateway response.
    const custom = [{ name: 'DefaultAction', action: this.acl.properties.DefaultAction }, ...this.rules.map((r) => ({ name: `rule ${r.name}`, action: r.raw.Action }))];
    for (const { name, action } of custom) {
      if (isObject(action) && isObject(action.Block) && action.Block.CustomResponse !== undefined) {
        items.push({ subject: `WAF ${name} Block.CustomResponse`, location: where, status: 'emulated', detail: 'sent as defined (status, headers, CustomResponseBodies entry), taking precedence over the gateway responses (W3.3, R8.10)' });
      }
    }
    return items;
  }

  private managedGroup(raw: Json): { name: string; group: (typeof MANAGED_GROUPS)[string] } | undefined {
    const statement = isObject(raw.Statement) ? raw.Statement.ManagedRuleGroupStatement : undefined;
    if (!isObject(statement) || statement.VendorName !== 'AWS') return undefined;
    const group = MANAGED_GROUPS[String(statement.Name)];
    return group ? { name: String(statement.Name), group } : undefined;
  }

  private unsupported(raw: Json): string[] {
    if (!isObject(raw.Statement)) return ['no Statement'];
    const statement = raw.Statement;
    if (statement.ManagedRuleGroupStatement !== undefined) {
      return this.managedGroup(raw) ? [] : [`managed rule group ${String((statement.ManagedRuleGroupStatement as Json).VendorName)}/${String((statement.ManagedRuleGroupStatement as Json).Name)} (W5.8)`];
    }
    const out = unsupportedIn(statement, this.refs);
    const action = isObject(raw.Action) ? Object.keys(raw.Action)[0] : undefined;
    if (!['Allow', 'Block', 'Count'].includes(action ?? '')) out.push(`action ${action ?? '(none)'}`);
    if (statement.RateBasedStatement !== undefined && action === 'Allow') out.push('a rate-based rule cannot Allow (W6.2)');
    return out;
  }

  /** One rule's terminating verdict, or undefined to go on (Count, no match). */
  private evaluate(rule: Rule, ctx: StatementContext): Verdict | undefined {
    const group = this.managedGroup(rule.raw);
    if (group) return this.evaluateGroup(rule.raw, group.group, ctx);
    if (!matches(rule.raw.Statement as Json, ctx)) return undefined;
    for (const label of Array.isArray(rule.raw.RuleLabels) ? rule.raw.RuleLabels : []) ctx.labels.add(String((label as Json).Name));
    return verdictOf(rule.raw.Action as Json);
  }

  /** W2.4: a managed group's documented rules in order; OverrideAction Count and RuleActionOverrides apply. */
  private evaluateGroup(raw: Json, group: (typeof MANAGED_GROUPS)[string], ctx: StatementContext): Verdict | undefined {
    const statement = (raw.Statement as Json).ManagedRuleGroupStatement as Json;
    const countAll = isObject(raw.OverrideAction) && raw.OverrideAction.Count !== undefined;
    const overrides = new Map<string, Json>();
    for (const o of Array.isArray(statement.RuleActionOverrides) ? statement.RuleActionOverrides : []) {
      if (isObject(o) && isObject(o.ActionToUse)) overrides.set(String(o.Name), o.ActionToUse);
    }
    for (const name of Array.isArray(statement.ExcludedRules) ? statement.ExcludedRules : []) overrides.set(String((name as Json).Name), { Count: {} });
    for (const rule of group.rules) {
      if (!rule.test?.(ctx.req)) continue;
      ctx.labels.add(`awswaf:managed:aws:${group.namespace}:${rule.name}`);
      const verdict = countAll ? undefined : verdictOf(overrides.get(rule.name) ?? { Block: {} });
      if (verdict) return verdict;
    }
    return undefined;
  }
}

/** Allow or Block (with its settings) terminate; Count and anything else go on. */
function verdictOf(action: Json): Verdict | undefined {
  if (action.Allow !== undefined) return 'ALLOW';
  if (action.Block !== undefined) return { block: action.Block };
  return undefined;
}

/** The web ACL associated with this API stage (W1.2), if the template has one (conditions already applied). */
export function webAclFor(template: LoadedTemplate, api: ApiSpec, clock: Clock): WebAcl | undefined {
  const resources = template.wafResources ?? [];
  const association = resources.find((r) => r.type === 'AWS::WAFv2::WebACLAssociation' && namesRestStage(r.properties.ResourceArn, template.region, api.restApiId, api.stageName));
  if (!association) return undefined;
  const acl = resources.find((r) => r.type === 'AWS::WAFv2::WebACL' && refersTo(association.properties.WebACLArn, r.logicalId));
  return acl ? new WebAcl(acl, resources, clock, String(association.properties.WebACLArn)) : undefined;
}
