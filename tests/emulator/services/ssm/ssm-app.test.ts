/**
 * A template's AWS::SSM::Parameter resources in a running emulator: a function reads them through the SDK's SSM client
 * on AWS_ENDPOINT_URL_SSM, as on AWS after the stack is deployed; Ref gives the name, GetAtt Value the value; the
 * resource is EMULATED and the report lists the parameters.
 */
import { describe, expect, it } from 'vitest';
import { eventAppForSuite } from '../../support/event-app.js';

const HANDLER = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: process.env.PARAM_NAME }));
  return { statusCode: 200, body: JSON.stringify({ read: Parameter.Value, fromTemplate: process.env.PARAM_VALUE }) };
};
`;
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Limit:
    Type: AWS::SSM::Parameter
    Properties: { Name: /orders/limit, Type: String, Value: '25' }
  Unnamed:
    Type: AWS::SSM::Parameter
    Properties: { Type: StringList, Value: 'a,b' }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: index.handler
      Runtime: nodejs20.x
      Environment: { Variables: { PARAM_NAME: !Ref Limit, PARAM_VALUE: !GetAtt Limit.Value } }
      Events: { Api: { Type: Api, Properties: { Path: /limit, Method: get } } }
`;
const app = eventAppForSuite('ssm-app-', { 'src/index.mjs': HANDLER, 'template.yaml': TEMPLATE });

describe('SSM parameters of the template', () => {
  it('a function reads one with the SDK`s SSM client (GetParameter on AWS_ENDPOINT_URL_SSM)', async () => {
    const res = await fetch(`${app().apis[0]!.url}/limit`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ read: '25', fromTemplate: '25' });
  });

  it('is EMULATED; the report lists each parameter, a generated name for one without Name (CFN-<LogicalId>-...)', () => {
    expect(app().template.resources?.find((g) => g.type === 'AWS::SSM::Parameter')).toMatchObject({ status: 'emulated', logicalIds: ['Limit', 'Unnamed'] });
    expect(app().ssmNotes).toEqual(['Limit: /orders/limit (String)', expect.stringMatching(/^Unnamed: CFN-Unnamed-[A-Za-z0-9]{12} \(StringList\)$/)]);
  });
});
