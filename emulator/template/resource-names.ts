/**
 * The physical names CloudFormation gives (a resource's name property, or the name it generates) and the GetAtt
 * attributes that are a resource's name or its Ref: read by stack.ts's Ref and GetAtt.
 */
import { createHash } from 'node:crypto';

/**
 * CloudFormation's name for a bucket without BucketName: `<stack>-<logical id>-<12 characters>`, lower-cased (S3 wants
 * lower case) and cut to S3's 63; the suffix, random on AWS, is derived from both names here so that it stays put.
 */
export function generatedBucketName(stackName: string, id: string): string {
  const suffix = createHash('sha256').update(`${stackName}/${id}`).digest('hex').slice(0, 12);
  const stem = `${stackName}-${id}`.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 63 - suffix.length - 1);
  return `${stem}-${suffix}`;
}

/** The property holding a resource's physical name, by type (Ref of most of these is that name). */
export const NAME_PROPERTY: Record<string, string> = {
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Events::ApiDestination': 'Name',
  'AWS::Events::Connection': 'Name',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Serverless::StateMachine': 'Name',
  'AWS::ApiGateway::Model': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::LogStream': 'LogStreamName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::SSM::Parameter': 'Name',
  // Ref of a record set is its domain name (an Output or a curl example built from it names the custom domain).
  'AWS::Route53::RecordSet': 'Name',
  // Ref of a custom domain name is the domain name; of a user pool domain, its Domain (the hosted UI's prefix).
  'AWS::ApiGateway::DomainName': 'DomainName',
  'AWS::ApiGatewayV2::DomainName': 'DomainName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
};

/** Fn::GetAtt attributes that are the resource's name or its Ref (the ARNs are arn()'s). */
export const SERVICE_ATTRIBUTES: Record<string, Record<string, 'name' | 'ref'>> = {
  'AWS::SQS::Queue': { QueueName: 'name', QueueUrl: 'ref' },
  'AWS::SNS::Topic': { TopicName: 'name', TopicArn: 'ref' },
  'AWS::Events::EventBus': { Name: 'name' },
  'AWS::StepFunctions::StateMachine': { Name: 'name' },
  'AWS::Serverless::StateMachine': { Name: 'name' },
  'AWS::S3::Bucket': { BucketName: 'name' },
  // Its PolicyArn is the ARN its Ref gives (CloudFormation's return values for a customer managed policy).
  'AWS::IAM::ManagedPolicy': { PolicyArn: 'ref' },
};
