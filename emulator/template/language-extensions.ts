/**
 * The AWS::LanguageExtensions transform's Fn::ForEach, expanded before anything else reads the template, as
 * CloudFormation runs that transform before SAM's. In Resources, Conditions and Outputs (and any map inside them),
 * `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` is replaced by one copy of the fragment per
 * item of the collection, with `${Identifier}` and `&{Identifier}` (the item without its non-alphanumeric characters)
 * replaced in every key and string of the copy and `Ref: Identifier` replaced by the item. Fn::Length,
 * Fn::ToJsonString and Fn::FindInMap's DefaultValue, the transform's other additions, are intrinsics (intrinsics.ts).
 */
import { TemplateError } from './model.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FOR_EACH = 'Fn::ForEach::';
/** The sections Fn::ForEach may be used in (CloudFormation refuses it elsewhere). */
const SECTIONS = ['Conditions', 'Resources', 'Outputs'];

/** The items of a collection written as an intrinsic (a Ref to a CommaDelimitedList parameter, Fn::Split...). */
export type CollectionResolver = (collection: unknown, key: string) => unknown;

/** Whether the template names the AWS::LanguageExtensions transform. */
export function usesLanguageExtensions(raw: Record<string, unknown>): boolean {
  const transform = raw.Transform;
  return (Array.isArray(transform) ? transform : [transform]).includes('AWS::LanguageExtensions');
}

/** The template with every Fn::ForEach expanded; the same object when it has none. */
export function expandForEach(raw: Record<string, unknown>, file: string, resolveCollection: CollectionResolver): Record<string, unknown> {
  const enabled = usesLanguageExtensions(raw);
  const out: Record<string, unknown> = { ...raw };
  for (const section of SECTIONS) {
    if (!isRecord(raw[section]) || !containsForEach(raw[section])) continue;
    if (!enabled) throw new TemplateError(file, section, 'Fn::ForEach needs the AWS::LanguageExtensions transform (Transform: [AWS::LanguageExtensions, ...])');
    out[section] = expand(raw[section], new Map(), { file, resolveCollection }, section);
  }
  return out;
}

function containsForEach(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsForEach);
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([k, v]) => k.startsWith(FOR_EACH) || containsForEach(v));
}

interface Context {
  file: string;
  resolveCollection: CollectionResolver;
}

type Bindings = Map<string, string>;

function substitute(text: string, bindings: Bindings): string {
  if (bindings.size === 0 || (!text.includes('${') && !text.includes('&{'))) return text;
  return text.replace(/([$&])\{([^}]*)\}/g, (whole, sigil: string, name: string) => {
    const value = bindings.get(name);
    if (value === undefined) return whole;
    return sigil === '&' ? value.replace(/[^A-Za-z0-9]/g, '') : value;
  });
}

function expand(value: unknown, bindings: Bindings, ctx: Context, key: string): unknown {
  if (typeof value === 'string') return substitute(value, bindings);
  if (Array.isArray(value)) return value.map((item, i) => expand(item, bindings, ctx, `${key}.${i}`));
  if (!isRecord(value)) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]?.[0] === 'Ref' && typeof entries[0][1] === 'string' && bindings.has(entries[0][1])) return bindings.get(entries[0][1]);
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown, where: string): void => {
    if (Object.prototype.hasOwnProperty.call(out, k)) throw new TemplateError(ctx.file, where, `Fn::ForEach produces "${k}" more than once (or a key written beside it)`);
    out[k] = v;
  };
  for (const [k, v] of entries) {
    if (k.startsWith(FOR_EACH)) {
      for (const [outKey, outValue] of loop(k, v, bindings, ctx, `${key}.${k}`)) put(outKey, outValue, `${key}.${k}`);
    } else put(substitute(k, bindings), expand(v, bindings, ctx, `${key}.${k}`), `${key}.${k}`);
  }
  return out;
}

/** One Fn::ForEach: the fragment's keys and values, once per item of the collection. */
function loop(name: string, args: unknown, outer: Bindings, ctx: Context, key: string): [string, unknown][] {
  if (!Array.isArray(args) || args.length !== 3) throw new TemplateError(ctx.file, key, `${name} takes [Identifier, Collection, {OutputKey: OutputValue}]`);
  const [identifier, collection, fragment] = args as [unknown, unknown, unknown];
  if (typeof identifier !== 'string' || !/^[A-Za-z0-9]+$/.test(identifier)) throw new TemplateError(ctx.file, `${key}.0`, 'the identifier must be alphanumeric');
  if (outer.has(identifier)) throw new TemplateError(ctx.file, `${key}.0`, `the identifier "${identifier}" is already used by an enclosing Fn::ForEach`);
  if (!isRecord(fragment) || Object.keys(fragment).length === 0) throw new TemplateError(ctx.file, `${key}.2`, 'must be a map of OutputKey: OutputValue');
  const items = collectionItems(expand(collection, outer, ctx, `${key}.1`), ctx, `${key}.1`);
  const produced: [string, unknown][] = [];
  for (const item of items) {
    const bindings = new Map(outer).set(identifier, item);
    for (const [outKey, outValue] of Object.entries(fragment)) {
      if (outKey.startsWith(FOR_EACH)) {
        produced.push(...loop(outKey, outValue, bindings, ctx, `${key}.2.${outKey}`));
        continue;
      }
      if (!outKey.includes(`\${${identifier}}`) && !outKey.includes(`&{${identifier}}`) && ![...outer.keys()].some((id) => outKey.includes(`{${id}}`))) {
        throw new TemplateError(ctx.file, `${key}.2.${outKey}`, `the OutputKey must contain \${${identifier}} or &{${identifier}} (each item needs a key of its own)`);
      }
      produced.push([substitute(outKey, bindings), expand(outValue, bindings, ctx, `${key}.2.${outKey}`)]);
    }
  }
  return produced;
}

function collectionItems(collection: unknown, ctx: Context, key: string): string[] {
  const items = Array.isArray(collection) ? collection : ctx.resolveCollection(collection, key);
  const list = typeof items === 'string' ? items.split(',') : items;
  if (!Array.isArray(list)) throw new TemplateError(ctx.file, key, 'the collection must be a list, or a Ref to a CommaDelimitedList or List<> parameter');
  return list.map((item, i) => {
    const value = Array.isArray(collection) && !(typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') ? ctx.resolveCollection(item, `${key}.${i}`) : item;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new TemplateError(ctx.file, `${key}.${i}`, 'each item of the collection must be a string');
    return String(value);
  });
}
