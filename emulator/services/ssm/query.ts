/**
 * SSM's legacy query protocol (`Action=GetParameter&Name=...` in the query string or a form body, no X-Amz-Target),
 * which SSM still answers besides AWS JSON 1.1: API Gateway's `ssm:action/GetParameter` integrations call it so. As
 * AWS answered LocalStack's validated test_get_parameter_query_protocol and test_ssm_aws_integration: XML by default
 * (`GetParameterResponse` in the 2014-11-06 namespace, members without the null ones), the same document in JSON when
 * the request accepts JSON (`{"GetParameterResponse":{"GetParameterResult":{"Parameter":{...}}, "ResponseMetadata"}}`,
 * every member of Parameter, `Selector` and `SourceResult` null, in the model's alphabetical order).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeXml, xmlDocument, xmlElement } from '../s3/xml.js';
import { SsmError, type ParameterView, type SsmParameters } from './parameters.js';

const NAMESPACE = 'http://ssm.amazonaws.com/doc/2014-11-06/';
/** The members of SSM's Parameter shape, as its Java model serializes them (alphabetically, nulls kept). */
const PARAMETER_MEMBERS = ['ARN', 'DataType', 'LastModifiedDate', 'Name', 'Selector', 'SourceResult', 'Type', 'Value', 'Version'] as const;

/** The query parameters of the request (its query string, then a form body), when it names an Action; undefined otherwise. */
export function queryRequest(req: IncomingMessage, body: string): URLSearchParams | undefined {
  const params = new URLSearchParams(new URL(req.url ?? '/', 'http://local').search);
  if (String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  }
  return params.has('Action') ? params : undefined;
}

/** One query request answered: GetParameter as SSM answers it; any other Action is refused, named. */
export function answerQuery(req: IncomingMessage, res: ServerResponse, params: URLSearchParams, parameters: SsmParameters, log: (line: string) => void): void {
  const requestId = randomUUID();
  const json = String(req.headers.accept ?? '').toLowerCase().includes('application/json');
  const action = params.get('Action')!;
  try {
    if (action !== 'GetParameter') {
      log(`emulator: SSM ${action} was called with the query protocol; the local SSM serves GetParameter only that way (answered InvalidAction)`);
      throw new SsmError('InvalidAction', `${action} is not served by the local emulator's SSM over the query protocol (GetParameter is; the SDKs' AWS JSON 1.1 serves the Parameter Store)`);
    }
    const name = params.get('Name');
    if (name === null) throw new SsmError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    const parameter = parameters.get(name, params.get('WithDecryption')?.toLowerCase() === 'true');
    if (json) {
      const members = Object.fromEntries(PARAMETER_MEMBERS.map((member) => [member, parameter[member as keyof ParameterView] ?? null]));
      return send(res, 200, 'application/json', JSON.stringify({ GetParameterResponse: { GetParameterResult: { Parameter: members }, ResponseMetadata: { RequestId: requestId } } }), requestId);
    }
    const elements = PARAMETER_MEMBERS.map((member) => {
      const value = member === 'LastModifiedDate' ? new Date(parameter.LastModifiedDate * 1000).toISOString() : parameter[member as keyof ParameterView];
      return value === undefined ? '' : xmlElement(member, value);
    });
    send(res, 200, 'text/xml', xmlDocument(`<GetParameterResponse xmlns="${NAMESPACE}"><GetParameterResult><Parameter>${elements.join('')}</Parameter></GetParameterResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetParameterResponse>`), requestId);
  } catch (error) {
    if (!(error instanceof SsmError)) throw error;
    if (json) return send(res, 400, 'application/json', JSON.stringify({ Error: { Code: error.type, Message: error.message || null, Type: 'Sender' }, RequestId: requestId }), requestId);
    send(res, 400, 'text/xml', xmlDocument(`<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(error.type)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`), requestId);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': requestId });
  res.end(body);
}
