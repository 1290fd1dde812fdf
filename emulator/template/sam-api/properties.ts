/** SAM Api `Cors`, `GatewayResponses`, `Models` and event `RequestModel` / `RequestParameters`, as the translator writes them. */
import { TemplateError } from '../model.js';
import { isJson, type CorsSettings, type Json, type SamDocument } from './document.js';
import type { ApiEvent } from './events.js';

const CORS_KEYS = ['AllowMethods', 'AllowHeaders', 'AllowOrigin', 'MaxAge', 'AllowCredentials'];

/** Cors as a string (the origin) or a map; AllowOrigin defaults to '*', and '*' with credentials is refused. */
export function corsSettings(cors: unknown, file: string, key: string): CorsSettings | undefined {
  if (cors === undefined || cors === null || cors === '' || cors === false) return undefined;
  if (typeof cors === 'string') return { allowOrigin: cors };
  if (!isJson(cors)) throw new TemplateError(file, key, "Invalid value for 'Cors' property");
  const unknown = Object.keys(cors).find((k) => !CORS_KEYS.includes(k));
  if (unknown) throw new TemplateError(file, key, `Invalid key '${unknown}' for 'Cors' property.${httpApiCorsHint(unknown)}`);
  const allowOrigin = cors.AllowOrigin ?? "'*'";
  if (cors.AllowCredentials === true && allowOrigin === "'*'") {
    throw new TemplateError(file, key, "Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set");
  }
  if (!allowOrigin) throw new TemplateError(file, `${key}.AllowOrigin`, 'Invalid input. Value for AllowedOrigins is required');
  return { allowOrigin, allowHeaders: cors.AllowHeaders, allowMethods: cors.AllowMethods, maxAge: cors.MaxAge, allowCredentials: cors.AllowCredentials };
}

/** An HttpApi CorsConfiguration key written in a REST Api's Cors (SAM's own message names only the key): which key is meant. */
function httpApiCorsHint(key: string): string {
  const rest: Record<string, string> = { AllowOrigins: 'AllowOrigin', ExposeHeaders: '' };
  const meant = rest[key];
  if (meant === undefined) return '';
  const instead = meant ? `${meant}, a quoted string such as "'https://example.com'"` : 'no such key';
  return ` SAM refuses the template: ${key} is a key of an HttpApi's CorsConfiguration; a REST Api's Cors has ${instead}`;
}

const RESPONSE_PARAMETER_PREFIXES: [string, string][] = [
  ['Headers', 'gatewayresponse.header.'],
  ['Paths', 'gatewayresponse.path.'],
  ['QueryStrings', 'gatewayresponse.querystring.'],
];

/** GatewayResponses → x-amazon-apigateway-gateway-responses (ResponseParameters prefixed, StatusCode as a string). */
export function applyGatewayResponses(doc: Json, responses: unknown, file: string, key: string): void {
  if (responses === undefined) return;
  if (!isJson(responses)) throw new TemplateError(file, key, 'must be a map of response types');
  const out = isJson(doc['x-amazon-apigateway-gateway-responses']) ? doc['x-amazon-apigateway-gateway-responses'] : {};
  for (const [type, response] of Object.entries(responses)) {
    if (!isJson(response)) throw new TemplateError(file, `${key}.${type}`, "Expected an object of type 'GatewayResponse'.");
    const bad = Object.keys(response).find((k) => !['ResponseParameters', 'ResponseTemplates', 'StatusCode'].includes(k));
    if (bad) throw new TemplateError(file, `${key}.${type}`, `Invalid property '${bad}' in 'GatewayResponses' property '${type}'.`);
    const params = response.ResponseParameters ?? {};
    if (!isJson(params)) throw new TemplateError(file, `${key}.${type}.ResponseParameters`, 'must be a map');
    const badParam = Object.keys(params).find((k) => !RESPONSE_PARAMETER_PREFIXES.some(([name]) => name === k));
    if (badParam) throw new TemplateError(file, `${key}.${type}.ResponseParameters`, `Invalid gateway response parameter '${badParam}'`);
    const prefixed: Json = {};
    for (const [name, prefix] of RESPONSE_PARAMETER_PREFIXES) {
      const group = params[name] ?? {};
      if (!isJson(group)) throw new TemplateError(file, `${key}.${type}.ResponseParameters.${name}`, 'must be a map');
      for (const [k, v] of Object.entries(group)) prefixed[`${prefix}${k}`] = v;
    }
    const status = response.StatusCode === undefined || response.StatusCode === null ? undefined : String(response.StatusCode);
    if (status !== undefined && !/^[0-9]{1,3}$/.test(status)) throw new TemplateError(file, `${key}.${type}.StatusCode`, "Property 'StatusCode' must be numeric");
    out[type] = { responseParameters: prefixed, responseTemplates: response.ResponseTemplates ?? {}, ...(status ? { statusCode: status } : {}) };
  }
  doc['x-amazon-apigateway-gateway-responses'] = out;
}

/** Models → definitions (lower-cased names), each needing a `type`. */
export function applyModels(doc: Json, models: unknown, file: string, key: string): void {
  if (models === undefined) return;
  if (!isJson(models) || !Object.values(models).every(isJson)) throw new TemplateError(file, key, "Invalid value for 'Models' property");
  const definitions = isJson(doc.definitions) ? doc.definitions : {};
  for (const [name, schema] of Object.entries(models)) {
    if (!(schema as Json).type) throw new TemplateError(file, `${key}.${name}`, "'Models' schema is missing 'type'.");
    definitions[name.toLowerCase()] = schema;
  }
  doc.definitions = definitions;
}

/** An event's RequestModel (with its validator) and RequestParameters on its method; what SAM drops of them goes to `warnings`. */
export function applyEventRequest(editor: SamDocument, event: ApiEvent, models: Json | undefined, where: { file: string; key: string }, warnings: string[]): void {
  const { path, method } = event;
  const fail = (message: string): never => {
    throw new TemplateError(where.file, where.key, message);
  };
  const requestModel = event.properties.RequestModel;
  if (requestModel !== undefined) {
    if (!isJson(requestModel)) return fail('RequestModel must be a map');
    const model = requestModel.Model;
    const on = `on API method [${method}] for path [${path}]`;
    if (model !== undefined) {
      if (!models) fail(`Unable to set RequestModel [${String(model)}] ${on} because the related API does not define any Models.`);
      if (typeof model !== 'string') return fail(`Unable to set RequestModel [${String(model)}] ${on} because the related API does not contain valid Models.`);
      if (!models?.[model]) fail(`Unable to set RequestModel [${model}] ${on} because it wasn't defined in the API's Models.`);
      editor.addRequestModel(path, method, model, requestModel.Required);
      const { ValidateBody: body, ValidateParameters: params } = requestModel;
      if (body !== undefined || params !== undefined) {
        if ((body !== undefined && typeof body !== 'boolean') || (params !== undefined && typeof params !== 'boolean')) {
          fail(`Unable to set Validator to RequestModel [${model}] ${on} ValidateBody and ValidateParameters must be a boolean type, strings or intrinsics are not supported.`);
        }
        editor.addRequestValidator(path, method, body === true, params === true);
      }
    }
  }
  const requestParameters = event.properties.RequestParameters;
  if (requestParameters === undefined) return;
  const list = parameterList(requestParameters, event, fail, warnings);
  // SAM adds parameters only when there are some (if self.RequestParameters).
  if (list.length === 0) return;
  editor.addRequestParameters(path, method, list.map((p, i) => requestParameter(p, fail, (dropped) => warnings.push(`${where.key}.RequestParameters[${i}]: ${dropped}`))));
}

/**
 * RequestParameters as samtranslator reads them: a list, or null (none). Its type check passes any one-key map
 * unchecked, taking it for an intrinsic function, and the translator then iterates it as Python iterates a dict:
 * its key alone, a parameter without settings (Required false), its value dropped. Anything else it refuses.
 */
function parameterList(value: unknown, event: ApiEvent, fail: (message: string) => never, warnings: string[]): unknown[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  if (isJson(value) && Object.keys(value).length === 1) {
    const [name, dropped] = Object.entries(value)[0] as [string, unknown];
    warnings.push(
      `${event.key}.RequestParameters: a map, not a list: SAM deploys its key ${name} as the one parameter, not required, and drops its value ${JSON.stringify(dropped)} ` +
        `(a list item "- ${name}: {Required: true}" is what makes it required)`,
    );
    return [name];
  }
  return fail(`Resource with id [${event.functionId}${event.eventId}] is invalid. Type of property 'RequestParameters' is invalid.`);
}

const PARAMETER_NAME = /^method\.request\.(querystring|path|header)\./;

/** One parameter: a name, or a map whose first key is read (SAM takes next(iter(items)); its other keys are dropped). */
function requestParameter(p: unknown, fail: (message: string) => never, drop: (what: string) => void): { name: string; required: unknown; caching: unknown } {
  const format = "Invalid value for 'RequestParameters' property. Keys must be in the format 'method.request.[querystring|path|header].{value}', e.g 'method.request.header.Authorization'.";
  if (typeof p === 'string') {
    if (!PARAMETER_NAME.test(p)) fail(format);
    return { name: p, required: false, caching: false };
  }
  // An empty map is refused here; samtranslator fails on it too, with an internal error (StopIteration).
  if (!isJson(p) || Object.keys(p).length === 0) return fail("Invalid value for 'RequestParameters' property. Property must be either a string or an object");
  const [[name, settings], ...rest] = Object.entries(p) as [[string, unknown], ...[string, unknown][]];
  if (rest.length > 0) drop(`only its first key ${name} is read, as SAM reads it: ${rest.map(([k]) => k).join(', ')} dropped (one parameter per list item)`);
  if (!PARAMETER_NAME.test(name)) fail(format);
  if (!isJson(settings) || Object.keys(settings).some((k) => k !== 'Required' && k !== 'Caching')) {
    fail("Invalid value for 'RequestParameters' property. Values must be an object, e.g { Required: true, Caching: false }");
  }
  const s = settings as Json;
  return { name, required: s.Required ?? false, caching: s.Caching ?? false };
}
