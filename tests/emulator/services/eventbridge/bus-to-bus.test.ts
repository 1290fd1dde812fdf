/**
 * A rule whose target is another of the template's event buses (EventBridge User Guide, "Sending events between event
 * buses"): the event itself reaches that bus's rules; a bus the template lacks is not delivered to, said at start;
 * rules forwarding round a cycle stop after 10 buses (a local guard). Waits are on delivery reports and SQS long polls.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { eventAppForSuite, queueReader } from '../../support/event-app.js';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  Received:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: received
  ToOrders:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [shop, loop] }
      Targets:
        - Id: OrdersBus
          Arn: !GetAtt OrdersBus.Arn
          InputPath: $.detail
  OnOrders:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref OrdersBus
      EventPattern: { source: [shop] }
      Targets:
        - Id: Queue
          Arn: !GetAtt Received.Arn
  BackToDefault:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref OrdersBus
      EventPattern: { source: [loop] }
      Targets:
        - Id: Default
          Arn: !Sub arn:aws:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/default
  ToElsewhere:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [elsewhere] }
      Targets:
        - Id: Other
          Arn: arn:aws:events:us-east-1:999999999999:event-bus/partner
`;

const reports = new AwaitedReports<DeliveryReport>();
const app = eventAppForSuite('bus-to-bus-', { 'template.yaml': TEMPLATE }, () => undefined, { onEventDelivery: reports.add });

const put = async (source: string): Promise<string> => {
  const emulator = app();
  const events = new EventBridgeClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_EVENTBRIDGE!, credentials: emulator.credentials });
  const answer = await events.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-1' }) }] }));
  return answer.Entries![0]!.EventId!;
};

describe('a rule sending events to another bus of the template', () => {
  it('the startup report names the bus target, what of it is not applied, and a bus the template lacks', () => {
    expect(app().eventNotes).toEqual(
      expect.arrayContaining([
        'ToOrders (bus default): delivers to orders (event bus)',
        'ToOrders: target OrdersBus: Input, InputPath and InputTransformer not applied (the event bus gets the event itself)',
        'BackToDefault (bus orders): delivers to default (event bus)',
        "ToElsewhere (bus default): delivers to Other NOT DELIVERED (an event bus that is not one of the template's)",
      ]),
    );
  });

  it('the event itself reaches the other bus`s rules and their targets', async () => {
    const queues = queueReader(app());

    const eventId = await put('shop');
    const forwarded = await reports.where((r) => r.eventId === eventId && r.rule === 'ToOrders');
    const queued = await reports.where((r) => r.eventId === eventId && r.rule === 'OnOrders');

    expect(forwarded).toMatchObject({ kind: 'event-bus', target: 'orders', outcome: 'ok' });
    expect(queued).toMatchObject({ kind: 'sqs', outcome: 'ok' });
    expect(JSON.parse((await queues.next('received'))[0]!)).toMatchObject({ id: eventId, source: 'shop', detail: { id: 'o-1' } });
  });

  it('rules forwarding round a cycle of buses stop after 10 buses, the last delivery an error', async () => {
    const eventId = await put('loop');

    const stopped = await reports.where((r) => r.eventId === eventId && r.outcome === 'error');

    expect(stopped.detail).toMatch(/has gone through 10 buses already/);
    expect(reports.all.filter((r) => r.eventId === eventId && r.outcome === 'ok')).toHaveLength(10);
  });
});
