/**
 * A stack as CloudFormation's DescribeStacks describes it once deployed: its name and id, its Description, its
 * Parameters (NoEcho ones masked) and its Outputs, each resolved as the emulator resolves the template's intrinsics
 * (an output whose Condition is false is absent). Served by the embedded CloudFormation (services/cloudformation/).
 */
import { TemplateError } from './model.js';
import { UNRESOLVED_PREFIX, type Stack } from './stack.js';
import { stackResources, type StackResource } from './stack-resources.js';

export interface StackOutput {
  key: string;
  /** The resolved value, as a text (a list joined with commas); absent when it could not be resolved at all. */
  value?: string;
  description?: string;
  exportName?: string;
  /** Why the value is not what AWS would give (a placeholder in it, or an error resolving it), for the start report. */
  unresolved?: string;
}

export interface StackDescription {
  /** AWS::StackName ("local" unless given, as `sam local` names it). */
  name: string;
  /** AWS::StackId. */
  id: string;
  description?: string;
  /** Parameter name -> value as DescribeStacks gives it (`****` for NoEcho). */
  parameters: Record<string, string>;
  outputs: StackOutput[];
  /** Its resources, as ListStackResources lists them (template/stack-resources.ts). */
  resources: StackResource[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A resolved value as CloudFormation turns it into an output's text (a list of texts joined with commas). */
function asText(value: unknown): string {
  if (Array.isArray(value)) return value.map(asText).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The placeholders the emulator puts where only AWS has the value (template/stack.ts). */
const PLACEHOLDER = new RegExp(`(?:emulator-fake:|${UNRESOLVED_PREFIX})[^\\s",]*`);

/** The stack DescribeStacks answers for this template: Outputs resolved, conditions honoured, placeholders named. */
export function describeStack(stack: Stack, raw: Record<string, unknown>, parameters: Record<string, string>): StackDescription {
  const outputs: StackOutput[] = [];
  for (const [key, output] of Object.entries(isRecord(raw.Outputs) ? raw.Outputs : {})) {
    // CloudFormation refuses the template over an output without a value, whatever its Condition.
    if (!isRecord(output) || output.Value === undefined || output.Value === null) {
      throw new TemplateError(stack.file, `Outputs.${key}.Value`, 'every Outputs member must contain a Value object, not null (CloudFormation refuses the template)');
    }
    if (typeof output.Condition === 'string' && !stack.condition(output.Condition, `Outputs.${key}.Condition`)) continue;
    const entry: StackOutput = { key };
    if (typeof output.Description === 'string') entry.description = output.Description;
    try {
      const { value, standIns } = stack.collectStandIns(() => stack.resolve(output.Value, `Outputs.${key}.Value`));
      entry.value = asText(value);
      const placeholder = PLACEHOLDER.exec(entry.value)?.[0];
      const [standIn] = standIns;
      if (placeholder) entry.unresolved = `holds the placeholder "${placeholder}" (no such value locally)`;
      else if (standIn) entry.unresolved = `holds the logical id ${standIn[0]} where AWS gives the ${standIn[1]}'s physical id (not created locally)`;
    } catch (error) {
      entry.unresolved = `not resolved locally: ${(error as Error).message}`;
    }
    if (isRecord(output.Export) && output.Export.Name !== undefined) {
      try {
        entry.exportName = asText(stack.resolve(output.Export.Name, `Outputs.${key}.Export.Name`));
      } catch (error) {
        entry.unresolved ??= `its Export.Name is not resolved locally: ${(error as Error).message}`;
      }
    }
    outputs.push(entry);
  }
  const declared = isRecord(raw.Parameters) ? raw.Parameters : {};
  const noEcho = (name: string) => isRecord(declared[name]) && String(declared[name].NoEcho) === 'true';
  return {
    name: String(stack.refParameter('AWS::StackName')),
    id: String(stack.refParameter('AWS::StackId')),
    ...(typeof raw.Description === 'string' ? { description: raw.Description } : {}),
    parameters: Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, noEcho(name) ? '****' : value])),
    outputs,
    resources: stackResources(stack),
  };
}
