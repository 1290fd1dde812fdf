/**
 * Nested stacks, as `sam local start-api` loads them: an AWS::Serverless::Application whose Location is a local
 * template, an AWS::CloudFormation::Stack whose TemplateURL is one. Each is read as its own stack (its Parameters
 * from the parent's resolved properties, its own name `<parent>-<LogicalId>`), served beside the parent, and its
 * Outputs answer the parent's `!GetAtt Child.Outputs.Name`. An application from the Serverless Application Repository
 * or a template on S3 or the web is only on AWS: a warning says so.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { cdkAssetFor } from './cdk-assets.js';
import type { LoadedTemplate } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nested stack whose template is a local file. */
export interface NestedStackRef {
  logicalId: string;
  file: string;
  /**
   * Its Parameters as CloudFormation passes them: strings (a list joined with commas). Resolved when the stack is
   * read, after the siblings it names (`after`), so that their Outputs answer `!GetAtt Sibling.Outputs.Name`.
   */
  parameters: () => Record<string, string>;
  /** The sibling nested stacks whose Outputs its Parameters read, or that it DependsOn: read before it, as CloudFormation creates them. */
  after: string[];
}

/** The logical ids an expression reads Outputs of (`!GetAtt Id.Outputs.Name`, `${Id.Outputs.Name}`), among `ids`. */
function outputsRead(node: unknown, ids: Set<string>, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) outputsRead(n, ids, found);
  else if (isRecord(node)) {
    const getAtt = node['Fn::GetAtt'];
    const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
    if (typeof target === 'string' && ids.has(target)) found.add(target);
    for (const value of Object.values(node)) outputsRead(value, ids, found);
  } else if (typeof node === 'string') {
    for (const m of node.matchAll(/\$\{([A-Za-z0-9]+)\.Outputs\./g)) if (ids.has(m[1]!)) found.add(m[1]!);
  }
  return found;
}

/** The refs in an order where each comes after the siblings it reads (template order otherwise; a cycle keeps it). */
export function creationOrder(refs: NestedStackRef[]): NestedStackRef[] {
  const ordered: NestedStackRef[] = [];
  const pending = [...refs];
  while (pending.length > 0) {
    const done = new Set(ordered.map((r) => r.logicalId));
    const waiting = new Set(pending.map((r) => r.logicalId));
    const next = pending.find((r) => r.after.every((id) => done.has(id) || !waiting.has(id))) ?? pending[0]!;
    ordered.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return ordered;
}

/** The local template a nested stack resource names, or why there is none. */
function localTemplate(stack: Stack, id: string): { file: string } | { missing: string } {
  const res = stack.resources[id]!;
  const property = res.Type === 'AWS::Serverless::Application' ? 'Location' : 'TemplateURL';
  const location = stack.resolve(res.Properties[property], `Resources.${id}.Properties.${property}`);
  if (isRecord(location)) return { missing: `an application of the Serverless Application Repository (${String(location.ApplicationId ?? '?')}) is not fetched` };
  // A CDK nested stack: its template is a file of the cloud assembly, named by its asset metadata or its manifest.
  const asset = cdkAssetFor(stack.file, res.Metadata, 'TemplateURL', typeof location === 'string' ? location.split('/').pop() : undefined);
  if (asset !== undefined) return { file: asset };
  if (typeof location !== 'string' || location === '') return { missing: `no ${property}` };
  if (/^(?:s3|https?):\/\//.test(location)) return { missing: `its template is at ${location}, not a local file` };
  const file = isAbsolute(location) ? location : resolvePath(dirname(stack.file), location);
  if (!existsSync(file)) return { missing: `its template ${location} does not exist` };
  return { file };
}

/** The nested stacks of a template that can be read here, and why each other one cannot (by logical id). */
export function nestedStackRefs(stack: Stack): { refs: NestedStackRef[]; notLoaded: Map<string, string> } {
  const refs: NestedStackRef[] = [];
  const notLoaded = new Map<string, string>();
  const nestedIds = new Set(Object.entries(stack.resources).filter(([, r]) => r.Type === 'AWS::Serverless::Application' || r.Type === 'AWS::CloudFormation::Stack').map(([id]) => id));
  for (const id of nestedIds) {
    const res = stack.resources[id]!;
    const template = localTemplate(stack, id);
    if ('missing' in template) {
      notLoaded.set(id, `nested stack not loaded: ${template.missing}; its APIs and functions are not served and its Outputs are placeholders`);
      continue;
    }
    const parameters = (): Record<string, string> => {
      const raw = stack.resolve(res.Properties.Parameters ?? {}, `Resources.${id}.Properties.Parameters`);
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(isRecord(raw) ? raw : {})) out[name] = Array.isArray(value) ? value.join(',') : String(value);
      return out;
    };
    const dependsOn = (Array.isArray(res.DependsOn) ? res.DependsOn : [res.DependsOn]).filter((d): d is string => typeof d === 'string' && nestedIds.has(d));
    const after = [...new Set([...outputsRead(res.Properties.Parameters, nestedIds), ...dependsOn])].filter((d) => d !== id);
    refs.push({ logicalId: id, file: template.file, parameters, after });
  }
  return { refs, notLoaded };
}

/** A template's Outputs, resolved (an output that cannot be resolved locally is left out). */
export function resolvedOutputs(stack: Stack, outputs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(isRecord(outputs) ? outputs : {})) {
    if (!isRecord(output)) continue;
    if (typeof output.Condition === 'string' && !stack.condition(output.Condition, `Outputs.${name}.Condition`)) continue;
    try {
      out[name] = stack.resolve(output.Value, `Outputs.${name}.Value`);
    } catch {
      // A value only AWS has (GetAtt of a resource the emulator does not know): the parent sees a placeholder.
    }
  }
  return out;
}

/** The template and its nested stacks, each with its path from the root (`''`, `Child/`, `Child/Grandchild/`). */
export function stacksOf(template: LoadedTemplate, path = ''): { path: string; template: LoadedTemplate }[] {
  return [{ path, template }, ...(template.nestedStacks ?? []).flatMap((n) => stacksOf(n.template, `${path}${n.path}/`))];
}
