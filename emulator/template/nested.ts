/**
 * Nested stacks, as `sam local start-api` loads them: an AWS::Serverless::Application whose Location is a local
 * template, an AWS::CloudFormation::Stack whose TemplateURL is one. Each is read as its own stack (its Parameters
 * from the parent's resolved properties, its own name `<parent>-<LogicalId>`), served beside the parent, and its
 * Outputs answer the parent's `!GetAtt Child.Outputs.Name`. An application from the Serverless Application Repository
 * or a template on S3 or the web is only on AWS: a warning says so.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { LoadedTemplate } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nested stack whose template is a local file. */
export interface NestedStackRef {
  logicalId: string;
  file: string;
  /** Its Parameters as CloudFormation passes them: strings (a list joined with commas). */
  parameters: Record<string, string>;
}

/** The local template a nested stack resource names, or why there is none. */
function localTemplate(stack: Stack, id: string): { file: string } | { missing: string } {
  const res = stack.resources[id]!;
  const property = res.Type === 'AWS::Serverless::Application' ? 'Location' : 'TemplateURL';
  const location = stack.resolve(res.Properties[property], `Resources.${id}.Properties.${property}`);
  if (isRecord(location)) return { missing: `an application of the Serverless Application Repository (${String(location.ApplicationId ?? '?')}) is not fetched` };
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
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Serverless::Application' && res.Type !== 'AWS::CloudFormation::Stack') continue;
    const template = localTemplate(stack, id);
    if ('missing' in template) {
      notLoaded.set(id, `nested stack not loaded: ${template.missing}; its APIs and functions are not served and its Outputs are placeholders`);
      continue;
    }
    const raw = stack.resolve(res.Properties.Parameters ?? {}, `Resources.${id}.Properties.Parameters`);
    const parameters: Record<string, string> = {};
    for (const [name, value] of Object.entries(isRecord(raw) ? raw : {})) parameters[name] = Array.isArray(value) ? value.join(',') : String(value);
    refs.push({ logicalId: id, file: template.file, parameters });
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
