/** S3 buckets and their notifications read from a template: names as CloudFormation gives them, NotificationConfiguration, SAM S3 events. */
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { loadSamResources } from '../support/template-text.js';

const SRC = resolve('tests/emulator/fixtures/runtime-app/src');

it('names a bucket by BucketName, else <stack>-<id>-<suffix> in lower case; Ref and GetAtt give its name, ARN and domains', async () => {
  const t = await loadSamResources(`  Named:
    Type: AWS::S3::Bucket
    Properties: { BucketName: my-named-bucket }
  MixedCaseBucket:
    Type: AWS::S3::Bucket
  Q:
    Type: AWS::SQS::Queue
    Properties:
      Tags:
        - { Key: ref, Value: !Ref MixedCaseBucket }
        - { Key: arn, Value: !GetAtt Named.Arn }
        - { Key: domain, Value: !GetAtt Named.RegionalDomainName }
        - { Key: name, Value: !GetAtt MixedCaseBucket.BucketName }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${SRC}
      Handler: plain.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          BUCKET: !Ref MixedCaseBucket
          DOMAIN: !GetAtt Named.DomainName
          ARN: !GetAtt Named.Arn
`);

  const generated = t.buckets?.[1]?.name ?? '';

  expect(t.buckets?.map((b) => b.name)).toEqual(['my-named-bucket', expect.stringMatching(/^local-mixedcasebucket-[0-9a-f]{12}$/)]);
  expect(t.functions.get('Fn')?.environment).toMatchObject({ BUCKET: generated, DOMAIN: 'my-named-bucket.s3.amazonaws.com', ARN: 'arn:aws:s3:::my-named-bucket' });
});

it('reads the CORS rules, OwnershipControls, settings not applied, the NotificationConfiguration`s Lambda, queue and topic entries and a SAM S3 event (several types, a key filter)', async () => {
  const t = await loadSamResources(`  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: media-bucket
      OwnershipControls: { Rules: [{ ObjectOwnership: BucketOwnerPreferred }] }
      LifecycleConfiguration: { Rules: [{ Status: Enabled, ExpirationInDays: 1 }] }
      CorsConfiguration:
        CorsRules:
          - { AllowedOrigins: ['http://localhost:5173'], AllowedMethods: [get, PUT], AllowedHeaders: ['*'], MaxAge: 300 }
      NotificationConfiguration:
        QueueConfigurations:
          - { Event: 's3:ObjectRemoved:*', Queue: !GetAtt Q.Arn }
        TopicConfigurations:
          - Event: 's3:ObjectCreated:Put'
            Topic: !Ref T
            Filter: { S3Key: { Rules: [{ Name: Suffix, Value: .jpg }] } }
  Q:
    Type: AWS::SQS::Queue
  T:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${SRC}
      Handler: plain.handler
      Runtime: nodejs20.x
      Events:
        Media:
          Type: S3
          Properties:
            Bucket: !Ref B
            Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete']
            Filter: { S3Key: { Rules: [{ Name: prefix, Value: media/ }] } }
`);

  expect(t.bucketNotifications).toEqual([
    { id: 'B.QueueConfigurations[0]', bucket: 'media-bucket', events: ['s3:ObjectRemoved:*'], target: 'arn:aws:sqs:us-east-1:123456789012:local-Q' },
    { id: 'B.TopicConfigurations[0]', bucket: 'media-bucket', events: ['s3:ObjectCreated:Put'], suffix: '.jpg', target: 'arn:aws:sns:us-east-1:123456789012:local-T' },
    { id: 'Fn.Media', bucket: 'media-bucket', events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], prefix: 'media/', target: 'arn:aws:lambda:us-east-1:123456789012:function:Fn' },
  ]);
  expect(t.buckets).toEqual([
    {
      logicalId: 'B',
      name: 'media-bucket',
      eventBridge: false,
      cors: [{ allowedOrigins: ['http://localhost:5173'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposedHeaders: [], maxAge: 300 }],
      aclsEnabled: true,
      notApplied: ['LifecycleConfiguration: lifecycle rules are not run: nothing expires or transitions'],
    },
  ]);
  expect(t.resources?.find((g) => g.type === 'AWS::S3::Bucket')?.status).toBe('emulated');
  expect(t.resources?.some((g) => g.type === 'Events (S3)')).toBe(false);
});
