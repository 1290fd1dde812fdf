/**
 * The embedded CloudFormation's resource actions (ListStackResources, DescribeStackResources, DescribeStackResource),
 * as a SAM app's integration tests use them on AWS: find a resource by its logical id, then call the service with its
 * PhysicalResourceId. The physical ids are the emulator's own, so the table and state machine found answer locally.
 */
import { describe, expect, it } from 'vitest';
import { CloudFormationClient, DescribeStackResourceCommand, DescribeStackResourcesCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { eventAppForSuite } from '../../support/event-app.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({ done: true });"
  Ledger:
    Type: AWS::Serverless::SimpleTable
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Work
        States:
          Work: { Type: Task, Resource: !GetAtt Worker.Arn, End: true }
      Policies:
        - LambdaInvokePolicy: { FunctionName: !Ref Worker }
  Inbox:
    Type: AWS::SQS::Queue
  Nested:
    Type: AWS::Serverless::Application
    Properties:
      Location: nested.yaml
`;

const NESTED = `Resources:
  Alerts: { Type: AWS::SNS::Topic }
`;

const app = eventAppForSuite('cloudformation-resources-', { 'template.yaml': TEMPLATE, 'nested.yaml': NESTED });

const cloudFormation = (): CloudFormationClient => new CloudFormationClient({ region: 'us-east-1', endpoint: app().services.AWS_ENDPOINT_URL_CLOUDFORMATION!, credentials: app().credentials });

describe('the embedded CloudFormation lists the stack`s resources', () => {
  it('ListStackResources: each resource with its deployed type (SAM types as the transform creates them), the roles SAM generates, CREATE_COMPLETE', async () => {
    const { StackResourceSummaries } = await cloudFormation().send(new ListStackResourcesCommand({ StackName: 'local' }));
    const byId = Object.fromEntries((StackResourceSummaries ?? []).map((r) => [r.LogicalResourceId, r]));

    expect(byId.Worker).toMatchObject({ ResourceType: 'AWS::Lambda::Function', PhysicalResourceId: 'Worker', ResourceStatus: 'CREATE_COMPLETE' });
    expect(byId.WorkerRole).toMatchObject({ ResourceType: 'AWS::IAM::Role' });
    expect(byId.Ledger).toMatchObject({ ResourceType: 'AWS::DynamoDB::Table' });
    expect(byId.Flow).toMatchObject({ ResourceType: 'AWS::StepFunctions::StateMachine', PhysicalResourceId: 'arn:aws:states:us-east-1:123456789012:stateMachine:local-Flow' });
    expect(byId.FlowRole).toMatchObject({ ResourceType: 'AWS::IAM::Role' });
    expect(byId.Inbox?.PhysicalResourceId).toMatch(/^https?:\/\/.*\/123456789012\/local-Inbox$/);
    expect(byId.Nested).toMatchObject({ ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/local-Nested/00000000-0000-0000-0000-000000000000' });
    expect(byId.Worker?.LastUpdatedTimestamp).toBeInstanceOf(Date);
  });

  it('the physical ids found are the local ones: the table and the state machine answer by them', async () => {
    const { StackResourceSummaries } = await cloudFormation().send(new ListStackResourcesCommand({ StackName: 'local' }));
    const physical = (id: string) => StackResourceSummaries?.find((r) => r.LogicalResourceId === id)?.PhysicalResourceId;
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: app().services.AWS_ENDPOINT_URL_DYNAMODB, credentials: app().credentials });
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: app().services.AWS_ENDPOINT_URL_SFN, credentials: app().credentials });

    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: physical('Ledger') }));
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: physical('Flow') }));

    expect(Table?.TableName).toBe(physical('Ledger'));
    expect(machine.stateMachineArn).toBe(physical('Flow'));
  });

  it('lists a nested stack`s resources under its own name', async () => {
    const { StackResourceSummaries } = await cloudFormation().send(new ListStackResourcesCommand({ StackName: 'local-Nested' }));

    expect(StackResourceSummaries?.map((r) => [r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId])).toEqual([['Alerts', 'AWS::SNS::Topic', 'arn:aws:sns:us-east-1:123456789012:local-Nested-Alerts']]);
  });

  it('DescribeStackResource: one resource by its logical id, with its stack`s name and id', async () => {
    const { StackResourceDetail } = await cloudFormation().send(new DescribeStackResourceCommand({ StackName: 'local', LogicalResourceId: 'Worker' }));

    expect(StackResourceDetail).toMatchObject({ StackName: 'local', StackId: expect.stringContaining(':stack/local/'), LogicalResourceId: 'Worker', PhysicalResourceId: 'Worker', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE' });
  });

  it('DescribeStackResources: the stack`s resources, narrowed by LogicalResourceId', async () => {
    const all = await cloudFormation().send(new DescribeStackResourcesCommand({ StackName: 'local' }));
    const byLogical = await cloudFormation().send(new DescribeStackResourcesCommand({ StackName: 'local', LogicalResourceId: 'Flow' }));

    expect(all.StackResources?.map((r) => r.LogicalResourceId)).toEqual(expect.arrayContaining(['Worker', 'Ledger', 'Flow', 'Inbox', 'Nested']));
    expect(byLogical.StackResources).toMatchObject([{ StackName: 'local', LogicalResourceId: 'Flow', ResourceType: 'AWS::StepFunctions::StateMachine', ResourceStatus: 'CREATE_COMPLETE' }]);
  });

  it('DescribeStackResources by PhysicalResourceId: every resource of the stack it belongs to; with StackName too, ValidationError', async () => {
    const byPhysical = await cloudFormation().send(new DescribeStackResourcesCommand({ PhysicalResourceId: 'Worker' }));
    const nested = await cloudFormation().send(new DescribeStackResourcesCommand({ PhysicalResourceId: 'arn:aws:sns:us-east-1:123456789012:local-Nested-Alerts' }));
    const both = await cloudFormation().send(new DescribeStackResourcesCommand({ StackName: 'local', PhysicalResourceId: 'Worker' })).then(() => undefined, (e: unknown) => e);

    expect(byPhysical.StackResources?.length).toBeGreaterThan(1);
    expect(new Set(byPhysical.StackResources?.map((r) => r.StackName))).toEqual(new Set(['local']));
    expect(nested.StackResources).toMatchObject([{ StackName: 'local-Nested', LogicalResourceId: 'Alerts' }]);
    expect(both).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
  });

  it('answers a resource or a stack that does not exist with ValidationError, 400', async () => {
    const resource = await cloudFormation().send(new DescribeStackResourceCommand({ StackName: 'local', LogicalResourceId: 'Missing' })).then(() => undefined, (e: unknown) => e);
    const stack = await cloudFormation().send(new ListStackResourcesCommand({ StackName: 'sam-app' })).then(() => undefined, (e: unknown) => e);
    const neither = await cloudFormation().send(new DescribeStackResourcesCommand({})).then(() => undefined, (e: unknown) => e);

    expect(resource).toMatchObject({ name: 'ValidationError', message: 'Resource Missing does not exist for stack local', $metadata: { httpStatusCode: 400 } });
    expect(stack).toMatchObject({ name: 'ValidationError', message: 'Stack with id sam-app does not exist', $metadata: { httpStatusCode: 400 } });
    expect(neither).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
  });
});
