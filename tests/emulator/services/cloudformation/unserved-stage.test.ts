/**
 * An Output naming the `Stage` stage SAM's deployment adds to an API without OpenApiVersion (a stage API Gateway
 * serves, the emulator does not): the start report says so beside the local URL and gives the served stage's.
 */
import { describe, expect, it } from 'vitest';
import { formatStartupReport } from '../../../../emulator/report.js';
import { eventAppForSuite } from '../../support/event-app.js';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => ({ statusCode: 200, body: event.path });
      Events:
        Say: { Type: Api, Properties: { Path: /say, Method: post } }
Outputs:
  OnStageStage:
    Value: !Sub "https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.amazonaws.com/Stage/say"
  OnProdStage:
    Value: !Sub "https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.amazonaws.com/Prod/say"
`;

const app = eventAppForSuite('unserved-stage-', { 'template.yaml': TEMPLATE });

describe('Outputs under a stage the emulator does not serve', () => {
  it('the report names the stage not served and the URL of the same path on the served stage, which answers', async () => {
    const rest = app().apis.find((a) => a.kind === 'rest')!;
    const report = formatStartupReport(app(), 0);

    expect(report).toContain(`    OnStageStage = ${rest.url.replace(/\/Prod$/, '')}/Stage/say: NOT SERVED locally: stage "Stage" of ServerlessRestApi (only its stage "Prod" is served: ${rest.url}/say)\n`);
    expect(report).toContain(`    OnProdStage = ${rest.url}/say\n`);
    const answer = await fetch(`${rest.url}/say`, { method: 'POST' });
    expect([answer.status, await answer.text()]).toEqual([200, '/say']);
  });
});
