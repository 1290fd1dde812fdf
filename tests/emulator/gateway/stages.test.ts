/**
 * SAM's extra stage: the deployment SAM writes for an API without OpenApiVersion names a stage "Stage"
 * (AWS::ApiGateway::Deployment StageName), which API Gateway serves beside the API's own stage (R11.1) with the
 * stage's defaults: the same routes, no stage variables (R1.18), no usage plan (R6.4: a key is refused there), no
 * method settings. SAM's own docs name the fix (OpenApiVersion), so templates' Outputs point at /Stage/ too.
 */
import { describe, expect, it } from 'vitest';
import { stagesGateway } from '../../../emulator/gateway/stages.js';
import type { Gateway, SupportItem } from '../../../emulator/gateway/types.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { eventAppForSuite } from '../support/event-app.js';

const api = (id: string, openApiVersion: string) => `  ${id}:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      ${openApiVersion}
      Variables: { color: blue }
      Auth:
        UsagePlan: { CreateUsagePlan: PER_API }
`;

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
${api('Api', '')}${api('Versioned', 'OpenApiVersion: 3.0.1')}  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ stage: event.requestContext.stage, variables: event.stageVariables, path: event.path }) });
      Events:
        Open: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /echo, Method: get } }
        Keyed: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /keyed, Method: get, Auth: { ApiKeyRequired: true } } }
        Versioned: { Type: Api, Properties: { RestApiId: !Ref Versioned, Path: /echo, Method: get } }
Outputs:
  OnStage:
    Value: !Sub "https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com/Stage/echo"
`;

const app = eventAppForSuite('sam-stage-', { 'template.yaml': TEMPLATE });
const served = (id: string) => app().apis.find((a) => a.logicalId === id)!;
const base = (id: string) => served(id).url.replace(/\/Prod$/, '');
const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('SAM`s "Stage" stage of an API without OpenApiVersion (R11.1)', () => {
  it.each([
    { stage: 'Stage', want: { stage: 'Stage', variables: null, path: '/echo' } },
    { stage: 'Prod', want: { stage: 'Prod', variables: { color: 'blue' }, path: '/echo' } },
  ])('/$stage/echo reaches the function with its stage`s context (R1.18: no variables on "Stage")', async ({ stage, want }) => {
    expect(await get(`${base('Api')}/${stage}/echo`)).toEqual({ status: 200, body: want });
  });

  it('R6.4: the usage plan names the API`s own stage only: its key is refused on "Stage", accepted on "Prod"', async () => {
    // Prepare
    const key = String(Object.values(app().apiKeys).flat()[0]);
    // Act
    const [onStage, onProd] = [await get(`${base('Api')}/Stage/keyed`, { 'x-api-key': key }), await get(`${base('Api')}/Prod/keyed`, { 'x-api-key': key })];
    // Assess
    expect(onStage).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(onProd.status).toBe(200);
  });

  it('R11.2: an API with OpenApiVersion has no "Stage" stage: 403 Missing Authentication Token', async () => {
    expect(await get(`${base('Versioned')}/Stage/echo`)).toEqual({ status: 403, body: { message: 'Missing Authentication Token' } });
    expect((await get(`${base('Versioned')}/Prod/echo`)).status).toBe(200);
  });

  it('the start report lists the stage`s URL, and an Output naming it is no stage "not served"', () => {
    const report = formatStartupReport(app(), 0);
    expect(report).toContain(`  also stage Stage: ${base('Api')}/Stage (SAM's deployment creates it without OpenApiVersion`);
    expect(report).toContain(`    OnStage = ${base('Api')}/Stage/echo\n`);
    expect(report).not.toContain('NOT SERVED locally');
    expect(served('Versioned').extraStageUrls).toBeUndefined();
  });
});

describe('what the start report and --strict read of the stages (stagesGateway.support)', () => {
  /** FAKE gateway: only what it reports; it is never asked to answer here. */
  const reporting = (support: SupportItem[]): Gateway => ({ routes: [], support, respond: () => Promise.reject(new Error('not asked')), fetch: () => Promise.reject(new Error('not asked')) });

  it('W1.2: what only the "Stage" stage has (a web ACL associated with it alone, its rules) is listed once beside the API`s own', () => {
    // Prepare
    const shared: SupportItem = { subject: 'GET /echo', location: 'paths./echo.get', status: 'emulated' };
    const rule: SupportItem = { subject: 'WAF rule managed AWSManagedRulesCommonRuleSet:GenericLFI_BODY', location: 'web ACL Acl', status: 'not-emulated', detail: 'AWS does not publish its signatures (W7)' };

    // Act
    const served = stagesGateway(reporting([shared]), new Map([['Stage', reporting([shared, rule])]]));

    // Assess
    expect(served.support).toEqual([shared, rule]);
  });
});
