/**
 * Layers AWS publishes, given by ARN, exist only on AWS (template/aws-layers.ts): the report names what each is (a
 * library, an extension's local endpoint, the Lambda Web Adapter), an ImportModuleError for a module one provides says
 * which package to install, and a function behind the Web Adapter is reported not emulated instead of failing to
 * import its script Handler.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirementsHint } from '../../../emulator/lambda/python.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';

const POWERTOOLS = 'arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:7';
const APPCONFIG = 'arn:aws:lambda:eu-west-1:434848589818:layer:AWS-AppConfig-Extension:150';
const ADAPTER = 'arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:24';
const OTHER = 'arn:aws:lambda:eu-west-1:111122223333:layer:team-shared-utils:3';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: main.handler
      Runtime: python3.12
      Layers: ['${POWERTOOLS}', '${OTHER}']
      Events:
        List: {Type: HttpApi, Properties: {Path: /orders, Method: GET}}
  Flags:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: flags/
      Handler: index.handler
      Runtime: nodejs20.x
      Layers: ['${APPCONFIG}']
  WebApp:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: web/
      Handler: start.sh
      Runtime: python3.12
      Layers: ['${ADAPTER}']
      Environment:
        Variables: {AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap, PORT: '8000'}
      Events:
        Site: {Type: HttpApi, Properties: {Path: /site, Method: GET}}
  AdapterNoWrapper:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: web/
      Handler: main.handler
      Runtime: python3.12
      Layers: ['${ADAPTER}']
  Placeholder:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: flags/
      Handler: index.handler
      Runtime: nodejs20.x
      Layers: ['<NodeBaseLayer>', 'arn:aws:lambda:eu-west-1:111122223333:layer:team-shared-utils', '{{resolve:ssm:/layers/shared}}']
`;

const dir = mkdtempSync(join(tmpdir(), 'aws-only-layers-'));
let template: LoadedTemplate;

beforeAll(async () => {
  for (const folder of ['orders', 'flags', 'web']) mkdirSync(join(dir, folder));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  template = await loadTemplate(join(dir, 'template.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('layers AWS publishes, in the start report', () => {
  it('names Powertools with its package, an extension with the local endpoint nothing serves, and keeps the general line for a layer it does not know', () => {
    expect(template.warnings).toEqual(
      expect.arrayContaining([
        `Resources.Orders.Properties.Layers[0]: layer ${POWERTOOLS} exists only on AWS: it is Powertools for AWS Lambda (Python); what the function imports from it (the aws-lambda-powertools package) must be installed in its own folder to run locally`,
        `Resources.Orders.Properties.Layers[1]: layer ${OTHER} exists only on AWS: what the function imports from it must be installed in its own folder to run locally`,
        `Resources.Flags.Properties.Layers[0]: layer ${APPCONFIG} exists only on AWS: it is the AWS AppConfig Agent Lambda extension, whose endpoint http://localhost:2772 inside the execution environment is not served locally: the function's calls to it are refused (ECONNREFUSED)`,
      ]),
    );
    expect(template.functions.get('Orders')?.awsLayers).toEqual([POWERTOOLS, OTHER]);
  });

  it('says a layer that is no layer version ARN (a sample`s <NodeBaseLayer> placeholder, an ARN without its version) fails a deploy, not that it exists on AWS; a dynamic reference is not judged', () => {
    const notes = (template.warnings ?? []).filter((w) => w.startsWith('Resources.Placeholder.Properties.Layers') && w.includes('is no layer version ARN'));

    expect(notes).toEqual([
      'Resources.Placeholder.Properties.Layers[0]: "<NodeBaseLayer>" is no layer version ARN (Lambda takes arn:<partition>:lambda:<region>:<account>:layer:<name>:<version> only, so a deploy fails): the function runs here without it',
      'Resources.Placeholder.Properties.Layers[1]: "arn:aws:lambda:eu-west-1:111122223333:layer:team-shared-utils" is no layer version ARN (Lambda takes arn:<partition>:lambda:<region>:<account>:layer:<name>:<version> only, so a deploy fails): the function runs here without it',
    ]);
    // A dynamic reference is CloudFormation's to resolve at deploy time: not judged.
    expect(template.functions.get('Placeholder')?.awsLayers).toEqual(['{{resolve:ssm:/layers/shared}}']);
  });

  it('reports a function behind the Lambda Web Adapter (exec wrapper /opt/bootstrap) not emulated, with its routes, where its script Handler failed to import', () => {
    const web = template.functions.get('WebApp');
    const why = `it runs behind the Lambda Web Adapter (layer ${ADAPTER}, AWS_LAMBDA_EXEC_WRAPPER /opt/bootstrap), which exists only on AWS: the adapter starts its Handler "start.sh" as a web server and forwards each event to it over HTTP, and is not run locally`;

    expect(web?.unavailable).toBe(why);
    expect(web?.invocationsFail).toBeFalsy();
    expect(template.warnings).toContain(`Resources.WebApp: ${why}; the routes that invoke it are not emulated`);
    expect(template.functions.get('Orders')?.unavailable).toBeUndefined();
    // Without the wrapper the adapter does not start: Lambda's runtime runs the Handler, as here.
    expect(template.functions.get('AdapterNoWrapper')?.unavailable).toBeUndefined();
  });
});

describe('an ImportModuleError for a module a layer only on AWS may provide', () => {
  const built = join(dir, '.aws-sam', 'build');

  it('names the Powertools layer and the package that provides aws_lambda_powertools', () => {
    const hint = requirementsHint("Unable to import module 'main': No module named 'aws_lambda_powertools'", { codeDir: join(dir, 'orders'), logicalId: 'Orders', awsLayers: [POWERTOOLS, OTHER] }, built);

    expect(hint).toBe(` (aws_lambda_powertools comes from the function's layer ${POWERTOOLS}, which exists only on AWS: pip install aws-lambda-powertools -t ${relative(process.cwd(), join(built, 'Orders'))} puts it where the function imports from)`);
  });

  it('names the layers only on AWS for a module nothing local accounts for, and says nothing without one', () => {
    const message = "Unable to import module 'main': No module named 'team_utils'";

    expect(requirementsHint(message, { codeDir: join(dir, 'orders'), logicalId: 'Orders', awsLayers: [POWERTOOLS, OTHER] }, built)).toBe(` (the function's layers ${POWERTOOLS}, ${OTHER} exist only on AWS: if team_utils comes from one, install the package that provides it in the function's folder)`);
    expect(requirementsHint(message, { codeDir: join(dir, 'orders'), logicalId: 'Orders' }, built)).toBe('');
  });
});
