/** EventBridge rules read from a template: AWS::Events::Rule and SAM's EventBridgeRule / CloudWatchEvent events. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busName } from '../../../emulator/template/event-rules.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const SRC = resolve('tests/emulator/fixtures/runtime-app/src');

function tempTemplate(resources: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
  return join(dir, 'template.yaml');
}

const FN = (events: string) => `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: plain.handler\n      Runtime: nodejs20.x\n      Events:\n${events}`;

describe('EventBridge rules', () => {
  it('SAM events become rules targeting their function, named by RuleName or as CloudFormation names SAM`s <Function><Event> rule (Input, InputPath kept; CloudWatchEvent Enabled false is DISABLED)', async () => {
    const events = [
      '        Placed:\n          Type: EventBridgeRule\n          Properties:\n            RuleName: placed-rule\n            EventBusName: orders\n            Pattern: { source: [shop] }\n            InputPath: $.detail\n            Target: { Id: placed-target }\n',
      '        Legacy:\n          Type: CloudWatchEvent\n          Properties:\n            Pattern: { source: [legacy] }\n            Enabled: false\n            Input: \'{"k":1}\'\n',
    ].join('');

    const t = await loadTemplate(tempTemplate(FN(events)));

    expect(t.eventRules).toEqual([
      { id: 'Fn.Placed', name: 'placed-rule', bus: 'orders', pattern: { source: ['shop'] }, enabled: true, targets: [{ id: 'placed-target', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn', inputPath: '$.detail' }] },
      { id: 'Fn.Legacy', name: 'local-FnLegacy', bus: 'default', pattern: { source: ['legacy'] }, enabled: false, targets: [{ id: 'FnLegacyLambdaTarget', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn', input: '{"k":1}' }] },
    ]);
    expect(t.resources?.some((g) => g.type.startsWith('Events (EventBridgeRule') || g.type.startsWith('Events (CloudWatchEvent'))).toBe(false);
  });

  it('an AWS::Events::Rule: its pattern as JSON text, its bus by ARN, State, targets with their input settings; a schedule rule kept as one', async () => {
    const rules = [
      '  Bus:\n    Type: AWS::Events::EventBus\n    Properties: { Name: orders }\n',
      '  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventBusName: !GetAtt Bus.Arn\n      State: DISABLED\n      EventPattern: \'{"detail-type": ["OrderPlaced"]}\'\n      Targets:\n        - { Id: q, Arn: arn:aws:sqs:us-east-1:123456789012:q, SqsParameters: { MessageGroupId: g } }\n',
      '  Tick:\n    Type: AWS::Events::Rule\n    Properties: { ScheduleExpression: rate(5 minutes), Targets: [{ Id: fn, Arn: !GetAtt Fn.Arn }] }\n',
    ].join('');

    const t = await loadTemplate(tempTemplate(FN('        Api:\n          Type: Api\n          Properties: { Path: /x, Method: get }\n') + rules));

    expect(t.eventBuses).toEqual(['orders']);
    expect(t.eventRules).toEqual([
      { id: 'Rule', name: 'local-Rule', bus: 'orders', pattern: { 'detail-type': ['OrderPlaced'] }, enabled: false, targets: [{ id: 'q', arn: 'arn:aws:sqs:us-east-1:123456789012:q', messageGroupId: 'g' }] },
      { id: 'Tick', name: 'local-Tick', bus: 'default', schedule: 'rate(5 minutes)', enabled: true, targets: [{ id: 'fn', arn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn' }] },
    ]);
    expect(t.resources?.find((g) => g.type === 'AWS::Events::Rule')).toMatchObject({ status: 'emulated' });
  });

  it('a pattern that is not a JSON object is a warning (the rule matches nothing)', async () => {
    const t = await loadTemplate(tempTemplate(FN('        Api:\n          Type: Api\n          Properties: { Path: /x, Method: get }\n') + "  Rule:\n    Type: AWS::Events::Rule\n    Properties: { EventPattern: 'not json', Targets: [] }\n"));

    expect(t.eventRules?.[0]).not.toHaveProperty('pattern');
    expect(t.warnings).toContainEqual('Resources.Rule.Properties.EventPattern: not a JSON object: the rule matches nothing');
  });

  it.each([
    { given: undefined, want: 'default' },
    { given: 'orders', want: 'orders' },
    { given: 'arn:aws:events:us-east-1:123456789012:event-bus/orders', want: 'orders' },
  ])('bus name of $given: $want', ({ given, want }) => {
    expect(busName(given)).toBe(want);
  });
});
