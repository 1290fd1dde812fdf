/** Reading numeric template properties: CloudFormation hands `!Ref`'d Number parameters over as strings. */
import { TemplateError } from '../template/model.js';

/** A number from a resolved template value (number or numeric string), or undefined when absent. */
export function templateNumber(value: unknown, file: string, key: string, rule: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new TemplateError(file, key, `must be a number, got ${JSON.stringify(value)}`);
  if (rule.integer && !Number.isInteger(n)) throw new TemplateError(file, key, `must be a whole number, got ${n}`);
  if (rule.min !== undefined && n < rule.min) throw new TemplateError(file, key, `must be at least ${rule.min}, got ${n}`);
  if (rule.max !== undefined && n > rule.max) throw new TemplateError(file, key, `must be at most ${rule.max}, got ${n}`);
  return n;
}

/** A boolean from a resolved template value (true/false or "true"/"false"), or undefined when absent. */
export function templateBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}
