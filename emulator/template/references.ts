/**
 * CloudFormation's check of every reference before it deploys anything: a Ref, Fn::GetAtt or Fn::Sub name in a
 * resource's Properties or DependsOn that is no parameter and no resource the stack creates (unknown, or its Condition
 * false) makes the whole template fail ("Unresolved resource dependencies [X] in the Resources block of the
 * template"), even in a property nothing local reads. Fn::If branches not chosen are not checked, as in AWS. What a
 * loader reads is refused there already; the rest is listed not emulated (refused by --strict), never silent.
 * Outputs are checked as DescribeStacks resolves them (outputs.ts).
 */
import { samStageLogicalId } from './sam-generated.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Block = 'Resources';

class ReferenceCheck {
  constructor(
    private readonly stack: Stack,
    private readonly declaredParameters: Set<string>,
    /** What the start report lists already (a loader's warning on the same key is not repeated). */
    private readonly reported: string[],
    private readonly notEmulated: string[],
  ) {}

  /**
   * A name SAM's transform may generate (`ServerlessRestApi`, `<Fn><Event>Permission`...): not known here for sure,
   * but for a REST API's stage, whose one logical id is known (samStageLogicalId): `DependsOn: MyApiStage` where SAM
   * names it MyApiprodStage is refused by CloudFormation.
   */
  private samMayGenerate(name: string): boolean {
    const apis = Object.entries(this.stack.resources).filter(([id, res]) => res.Type === 'AWS::Serverless::Api' && name.startsWith(id));
    if (name.endsWith('Stage') && apis.some(([id, res]) => this.stack.resources[samStageLogicalId(id, res.Properties.StageName, false)] !== undefined)) return false;
    if (name.startsWith('Serverless')) return true;
    return Object.entries(this.stack.resources).some(([id, res]) => res.Type.startsWith('AWS::Serverless::') && name.startsWith(id) && name !== id);
  }

  private unresolved(name: string, block: Block, key: string): void {
    const off = this.stack.conditionFalse[name];
    // A resource SAM's transform generates and the emulator does not model: AWS resolves it, nothing to say here.
    if (!off && this.samMayGenerate(name)) return;
    const why = off ? `its Condition ${off.Condition ?? ''} is false, so the stack does not create it` : 'no parameter or resource of the template';
    this.report(key, `names "${name}", ${why}: CloudFormation would refuse the template (Unresolved resource dependencies [${name}] in the ${block} block of the template)`);
  }

  private report(key: string, what: string): void {
    if (this.reported.some((entry) => entry.startsWith(`${key}:`))) return;
    this.notEmulated.push(`${key}: ${what}; not resolved locally, where nothing reads it`);
  }

  ref(name: string, block: Block, key: string): void {
    if (name === 'AWS::NoValue' || this.declaredParameters.has(name) || this.stack.refParameter(name) !== undefined) return;
    if (name in this.stack.resources || this.stack.refResource(name, key) !== undefined) return;
    this.unresolved(name, block, key);
  }

  private getAtt(id: string, attribute: string, block: Block, key: string): void {
    if (id in this.stack.resources) return;
    let generated = false;
    try {
      this.stack.getAtt(id, attribute, key);
      generated = true;
    } catch {
      // Neither a resource nor one SAM generates and the emulator knows: reported below.
    }
    if (!generated) this.unresolved(id, block, key);
  }

  private sub(arg: unknown, block: Block, key: string): void {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (isRecord(vars)) this.walk(vars, block, key);
    if (typeof text !== 'string') return;
    for (const [, inner] of text.matchAll(/\$\{([^}]*)\}/g)) {
      const name = (inner ?? '').trim();
      if (name.startsWith('!') || (isRecord(vars) && name in vars)) continue;
      const dot = name.indexOf('.');
      if (dot < 0 || this.stack.refParameter(name) !== undefined) this.ref(name, block, key);
      else if (this.stack.refResource(name, key) === undefined) this.getAtt(name.slice(0, dot), name.slice(dot + 1), block, key);
    }
  }

  walk(value: unknown, block: Block, key: string): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.walk(v, block, `${key}[${i}]`));
      return;
    }
    if (!isRecord(value)) return;
    const keys = Object.keys(value);
    const only = keys.length === 1 ? keys[0] : undefined;
    const arg = only === undefined ? undefined : value[only];
    if (only === 'Ref' && typeof arg === 'string') return this.ref(arg, block, `${key}.Ref`);
    if (only === 'Fn::GetAtt') {
      const parts = typeof arg === 'string' ? arg.split(/\.(.*)/s, 2) : arg;
      if (Array.isArray(parts) && typeof parts[0] === 'string') return this.getAtt(parts[0], String(parts[1]), block, `${key}.Fn::GetAtt`);
    }
    if (only === 'Fn::Sub') return this.sub(arg, block, `${key}.Fn::Sub`);
    if (only === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string' && !(arg[0] in this.stack.opts.conditions)) {
      return this.report(`${key}.Fn::If`, `names the condition "${arg[0]}", which the template lacks: CloudFormation would refuse the template (unresolved condition dependency ${arg[0]} in Fn::If)`);
    }
    if (only === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') {
      // Only the branch CloudFormation chooses is resolved; the other may name resources it does not create.
      return this.walk(this.stack.condition(arg[0], `${key}.Fn::If`) ? arg[1] : arg[2], block, `${key}.Fn::If`);
    }
    for (const k of keys) this.walk(value[k], block, `${key}.${k}`);
  }
}

/** List, as CloudFormation would refuse them, references of the resources to what the stack does not create. */
export function checkReferences(stack: Stack, raw: Record<string, unknown>, own: Record<string, unknown>, reported: string[], notEmulated: string[]): void {
  const declared = new Set(isRecord(raw.Parameters) ? Object.keys(raw.Parameters) : []);
  const check = new ReferenceCheck(stack, declared, reported, notEmulated);
  const resources = isRecord(raw.Resources) ? raw.Resources : {};
  for (const id of Object.keys(own)) {
    const res = resources[id];
    if (!isRecord(res)) continue;
    const dependsOn = typeof res.DependsOn === 'string' ? [res.DependsOn] : Array.isArray(res.DependsOn) ? res.DependsOn : [];
    for (const [i, name] of dependsOn.entries()) {
      if (typeof name === 'string' && !(name in resources)) check.ref(name, 'Resources', `Resources.${id}.DependsOn[${i}]`);
    }
    check.walk(res.Properties, 'Resources', `Resources.${id}.Properties`);
  }
}
