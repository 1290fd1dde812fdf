/** The deployment facts the three deployers must agree on, and helpers shared by their extractors. */
import type { Json } from './cfn.js';

export interface Statement {
  Action: Json;
  Resource: Json;
}

export interface Facts {
  /** The API definition with every reference as `${Name}` / `${Name.Arn}` and the allowed origin filled in. */
  body: Json;
  endpointTypes: Json;
  stage: Record<string, Json>;
  plans: Record<string, Json>;
  apiKeys: string[];
  functions: Record<string, Json>;
  /** `Function <- <execute-api path after the API's ARN> (principal)`, sorted. */
  permissions: string[];
  tables: Record<string, Json>;
  userPool: Record<string, Json>;
  userPoolClient: Record<string, Json>;
  secrets: Record<string, Json>;
  waf: Record<string, Json> | null;
}

/** Statements as sets: actions and resources sorted, statements sorted. */
export function sortStatements(statements: Statement[]): Json {
  return statements
    .map((s) => ({ actions: [s.Action].flat().map(String).sort(), resources: [s.Resource].flat().map(String).sort() }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/** A token validity in minutes, whatever unit it is given in. */
export function minutes(value: Json | undefined, unit: Json): number | null {
  return value === undefined || value === null ? null : Number(value) * (MINUTES[String(unit)] ?? NaN);
}

/** A stage method setting's values under the names each deployer gives them, and what an unset one means. */
const SETTING_DEFAULTS: Record<string, Json> = { metrics: false, logging: 'OFF', dataTrace: false, rate: null, burst: null, caching: false };

/** One method setting as facts: `names` maps each fact to the deployer's key (ttl only when set). */
export function methodSettingFacts(settings: Record<string, Json>, names: Record<string, string>): Json {
  const out: Record<string, Json> = {};
  for (const [fact, key] of Object.entries(names)) {
    const given = settings[key];
    if (given !== undefined) out[fact] = given;
    else if (fact in SETTING_DEFAULTS) out[fact] = SETTING_DEFAULTS[fact] as Json;
  }
  return out;
}
