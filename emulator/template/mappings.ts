/**
 * The shape CloudFormation requires of the Mappings section before it reads anything else: each mapping a map of
 * top-level keys, each of those a map of second-level keys, each value a string (or number, boolean) or a list of
 * them; no intrinsic function, no deeper map. It refuses the template otherwise, even a mapping nothing uses.
 */
import { TemplateError } from './model.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Refuse a Mappings section CloudFormation refuses ("Every Mappings attribute must be a String or a List."). */
export function checkMappings(section: unknown, file: string): void {
  if (section === undefined) return;
  if (!isRecord(section)) throw new TemplateError(file, 'Mappings', 'must be a map of mappings');
  for (const [name, mapping] of Object.entries(section)) {
    if (!isRecord(mapping)) throw new TemplateError(file, `Mappings.${name}`, 'every Mappings member must be a map of top-level keys (CloudFormation refuses the template)');
    for (const [top, level] of Object.entries(mapping)) {
      if (!isRecord(level)) throw new TemplateError(file, `Mappings.${name}.${top}`, `every Mappings member ${top} must be a map (CloudFormation refuses the template)`);
      for (const [second, value] of Object.entries(level)) {
        if (isScalar(value) || (Array.isArray(value) && value.every(isScalar))) continue;
        throw new TemplateError(file, `Mappings.${name}.${top}.${second}`, 'every Mappings attribute must be a String or a List, not an intrinsic function or a deeper map (CloudFormation refuses the template)');
      }
    }
  }
}
