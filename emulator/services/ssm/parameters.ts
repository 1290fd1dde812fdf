/**
 * The embedded SSM Parameter Store, protocol-free: the template's AWS::SSM::Parameter resources, and what functions
 * and the user put there, with versions, as the SSM API Reference describes GetParameter, GetParameters,
 * GetParametersByPath, PutParameter, DeleteParameter(s) and DescribeParameters. In memory, on an injectable clock.
 */
import type { SsmParameterSpec } from '../../template/model.js';

export class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const TYPES = ['String', 'StringList', 'SecureString'];
const MAX_VALUE_BYTES = 4096;
const MAX_NAME_LENGTH = 2048;
const MAX_VERSIONS = 100;
/** DescribeParameters answers at most 50 per page. */
const MAX_DESCRIBED = 50;
/** Hierarchy: at most 15 levels (S3-like paths, User Guide "Requirements and constraints for parameter names"). */
const MAX_LEVELS = 15;

/** SSM's answer to a GetParameter name whose hierarchy it cannot hold. */
const PATH_NAME_RULES = 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

interface Version {
  value: string;
  type: string;
  version: number;
  lastModified: number;
  description?: string;
  dataType: string;
}

export interface ParameterView {
  Name: string;
  Type: string;
  Value: string;
  Version: number;
  LastModifiedDate: number;
  ARN: string;
  DataType: string;
  Selector?: string;
}

/** Why a name is no parameter name (SSM's ValidationException), or undefined. */
function nameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return `Parameter name must be between 1 and ${MAX_NAME_LENGTH} characters.`;
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) return 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';
  if (/^\/?(aws|ssm)/i.test(name)) return 'No access to reserved parameter name: ' + name + '.';
  if (name.includes('/') && !name.startsWith('/')) return 'Parameter name: a name with a hierarchy must be fully qualified (begin with "/").';
  if (name.split('/').length - 1 > MAX_LEVELS) return `Parameter name: the hierarchy has more than ${MAX_LEVELS} levels.`;
  return undefined;
}

export class SsmParameters {
  private readonly parameters = new Map<string, Version[]>();

  constructor(
    specs: SsmParameterSpec[],
    private readonly options: { region: string; accountId: string; now: () => number },
  ) {
    for (const spec of specs) {
      this.parameters.set(spec.name, [{ value: spec.value, type: spec.type, version: 1, lastModified: options.now(), dataType: spec.dataType ?? 'text', ...(spec.description ? { description: spec.description } : {}) }]);
    }
  }

  /** The parameter's ARN: the name without its leading slash after `parameter/`. */
  arn(name: string): string {
    return `arn:aws:ssm:${this.options.region}:${this.options.accountId}:parameter/${name.replace(/^\//, '')}`;
  }

  /** A parameter as the API shows it; a SecureString's value is ciphertext unless decrypted (WithDecryption). */
  private view(name: string, v: Version, decrypt: boolean, selector?: string): ParameterView {
    const value = v.type === 'SecureString' && !decrypt ? Buffer.from(`local-kms:${v.value}`).toString('base64') : v.value;
    return { Name: name, Type: v.type, Value: value, Version: v.version, LastModifiedDate: v.lastModified / 1000, ARN: this.arn(name), DataType: v.dataType, ...(selector ? { Selector: selector } : {}) };
  }

  /**
   * `name`, `name:version` or the parameter's ARN (Labels are not kept here: a label selector finds nothing). A
   * version the parameter lacks is ParameterVersionNotFound, as SSM answers it.
   */
  private find(reference: string): { name: string; version: Version; selector?: string } | undefined {
    const arn = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(reference);
    let text = arn ? arn[1]! : reference;
    // An ARN drops the leading slash of a hierarchical name, and keeps the whole name of a flat one.
    if (arn && !this.parameters.has(text) && this.parameters.has(text.slice(1))) text = text.slice(1);
    const at = text.lastIndexOf(':');
    const asked = at < 0 ? text : text.slice(0, at);
    const selector = at < 0 ? undefined : text.slice(at);
    // A one-level name is found with or without a leading slash, and answered under the name asked for, as SSM does
    // (an ARN under the parameter's own name).
    const alternate = /^\/?[^/]+$/.test(asked) ? (asked.startsWith('/') ? asked.slice(1) : `/${asked}`) : undefined;
    const key = this.parameters.has(asked) ? asked : alternate !== undefined && this.parameters.has(alternate) ? alternate : undefined;
    if (key === undefined) return undefined;
    const versions = this.parameters.get(key)!;
    const name = arn ? key : asked;
    if (selector === undefined) return { name, version: versions.at(-1)! };
    const number = Number(selector.slice(1));
    const version = versions.find((v) => v.version === number);
    if (!version && /^:\d+$/.test(selector)) throw new SsmError('ParameterVersionNotFound', `Systems Manager could not find version ${number} of ${name}. Verify the version and try again.`);
    return version ? { name, version, selector } : undefined;
  }

  get(reference: string, decrypt: boolean): ParameterView {
    const name = /^arn:/.test(reference) ? undefined : reference.replace(/:[^:/]*$/, '');
    // A hierarchy not fully qualified, or with an empty level, is no name SSM could hold: refused, not looked up.
    if (name !== undefined && name.includes('/') && (!name.startsWith('/') || name.includes('//'))) throw new SsmError('ValidationException', PATH_NAME_RULES);
    const found = this.find(reference);
    if (!found) throw new SsmError('ParameterNotFound', '');
    return this.view(found.name, found.version, decrypt, found.selector);
  }

  getMany(references: string[], decrypt: boolean): { Parameters: ParameterView[]; InvalidParameters: string[] } {
    if (references.length === 0 || references.length > 10) throw new SsmError('ValidationException', `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1`);
    const found: ParameterView[] = [];
    const invalid: string[] = [];
    for (const reference of [...new Set(references)]) {
      let hit: ReturnType<SsmParameters['find']>;
      try {
        hit = this.find(reference);
      } catch (error) {
        // A missing version of one name among several: that name is invalid, the others are answered.
        if (!(error instanceof SsmError)) throw error;
        hit = undefined;
      }
      if (hit) found.push(this.view(hit.name, hit.version, decrypt, hit.selector));
      else invalid.push(reference);
    }
    return { Parameters: found, InvalidParameters: invalid };
  }

  /** The parameters under `path` (one level, or all below with `recursive`), in name order, a page of `max` after the token. */
  byPath(path: string, recursive: boolean, decrypt: boolean, max: number, token: string | undefined): { Parameters: ParameterView[]; NextToken?: string } {
    if (!path.startsWith('/')) throw new SsmError('ValidationException', 'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".');
    if (!Number.isInteger(max) || max < 1 || max > 10) throw new SsmError('ValidationException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`);
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = [...this.parameters.keys()]
      .filter((n) => n.startsWith(prefix) && (recursive || !n.slice(prefix.length).includes('/')))
      .sort();
    const start = token === undefined ? 0 : names.indexOf(Buffer.from(token, 'base64url').toString('utf8')) + 1;
    if (token !== undefined && start === 0) throw new SsmError('ValidationException', 'The specified token is invalid.');
    const page = names.slice(start, start + max);
    const more = start + max < names.length;
    return { Parameters: page.map((n) => this.view(n, this.parameters.get(n)!.at(-1)!, decrypt)), ...(more ? { NextToken: Buffer.from(page.at(-1)!).toString('base64url') } : {}) };
  }

  /** PutParameter: a new parameter (version 1), or a new version with Overwrite. */
  put(input: { name: string; value: string; type?: string; overwrite: boolean; description?: string; dataType?: string }): { Version: number; Tier: string } {
    const problem = nameProblem(input.name);
    if (problem) throw new SsmError('ValidationException', problem);
    if (Buffer.byteLength(input.value) > MAX_VALUE_BYTES) throw new SsmError('ValidationException', `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_BYTES}`);
    if (input.value === '') throw new SsmError('ValidationException', "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (input.type !== undefined && !TYPES.includes(input.type)) throw new SsmError('ValidationException', `1 validation error detected: Value '${input.type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
    const versions = this.parameters.get(input.name);
    if (versions && !input.overwrite) throw new SsmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    const last = versions?.at(-1);
    const type = input.type ?? last?.type;
    if (type === undefined) throw new SsmError('ValidationException', 'A parameter type is required when you create a parameter.');
    if (last && input.type !== undefined && input.type !== last.type && (input.type === 'SecureString' || last.type === 'SecureString')) {
      throw new SsmError('HierarchyTypeMismatchException', 'The parameter type of an existing parameter can\'t be changed to or from SecureString.');
    }
    const next: Version = { value: input.value, type, version: (last?.version ?? 0) + 1, lastModified: this.options.now(), dataType: input.dataType ?? last?.dataType ?? 'text', ...((input.description ?? last?.description) !== undefined ? { description: (input.description ?? last?.description)! } : {}) };
    // Parameter Store keeps the 100 most recent versions: the oldest goes (none carries a label here).
    this.parameters.set(input.name, [...(versions ?? []), next].slice(-MAX_VERSIONS));
    return { Version: next.version, Tier: 'Standard' };
  }

  delete(name: string): void {
    if (!this.parameters.delete(name)) throw new SsmError('ParameterNotFound', '');
  }

  deleteMany(names: string[]): { DeletedParameters: string[]; InvalidParameters: string[] } {
    const deleted = names.filter((n) => this.parameters.delete(n));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
  }

  /** DescribeParameters: the parameters' metadata (no value), in name order, pages of MaxResults (50 at most); filters are not applied here. */
  describe(max = MAX_DESCRIBED, token?: string): { Parameters: Record<string, unknown>[]; NextToken?: string } {
    if (!Number.isInteger(max) || max < 1 || max > MAX_DESCRIBED) throw new SsmError('ValidationException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_DESCRIBED}`);
    const names = [...this.parameters.keys()].sort();
    const start = token === undefined ? 0 : names.findIndex((n) => n > Buffer.from(token, 'base64url').toString('utf8'));
    const page = start < 0 ? [] : names.slice(start, start + max);
    const more = start >= 0 && start + max < names.length;
    return {
      Parameters: page.map((name) => {
        const v = this.parameters.get(name)!.at(-1)!;
        return { Name: name, ARN: this.arn(name), Type: v.type, LastModifiedDate: v.lastModified / 1000, Version: v.version, Tier: 'Standard', DataType: v.dataType, ...(v.description ? { Description: v.description } : {}) };
      }),
      ...(more ? { NextToken: Buffer.from(page.at(-1)!).toString('base64url') } : {}),
    };
  }
}
