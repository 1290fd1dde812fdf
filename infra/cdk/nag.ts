/** cdk-nag AwsSolutions findings this stack accepts, on the constructs they concern, each with its reason. */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { TaskApiStack } from './stack.js';

const LAMBDA_BASIC = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
const PUSH_TO_LOGS = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]';

const accept = (construct: IConstruct, id: string, reason: string): void => Validations.of(construct).acknowledge({ id, reason });

export function suppressFindings(stack: TaskApiStack, enableWaf: boolean): void {
  for (const fn of stack.functions.values()) {
    accept(fn, 'AwsSolutions-L1', 'Same runtime as template.yaml (nodejs22.x): the SAM, CDK and Terraform stacks move to a new runtime together.');
    accept(fn, LAMBDA_BASIC, 'The AWS managed basic execution role only lets the function write its own log streams, as SAM attaches it.');
    accept(fn, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray PutTraceSegments/PutTelemetryRecords (Tracing: Active) support no resource-level permissions.');
  }
  accept(stack.api, PUSH_TO_LOGS, "API Gateway's account-wide CloudWatch role needs exactly this AWS managed policy, as in template.yaml.");
  accept(stack.api, 'AwsSolutions-APIG2', 'Request validators are declared in openapi/api.yaml (x-amazon-apigateway-request-validators), which cdk-nag cannot see.');
  if (!enableWaf) accept(stack.api, 'AwsSolutions-APIG3', 'The web ACL is a deploy switch (enableWaf, off by default as template.yaml EnableWaf); with it on the stage is associated.');
  const pool = stack.data.userPool;
  accept(pool, 'AwsSolutions-COG1', "The password policy is the product's (8+ characters, lower case and digits), identical in all three deployers.");
  accept(pool, 'AwsSolutions-COG2', 'MFA is left to the product decision shared by the three deployers; template.yaml does not require it.');
  accept(pool, 'AwsSolutions-COG8', 'The Plus feature plan (threat protection) is a paid tier the SAM and Terraform stacks do not use either.');
  for (const secret of [stack.data.adminJwtSecret, stack.data.cursorSigningSecret]) {
    accept(secret, 'AwsSolutions-SMG4', 'A signing key has no rotation Lambda: rotating it invalidates live tokens and cursors, so it is rotated by redeploying.');
  }
  accept(stack.data.idempotencyTable, 'AwsSolutions-DDB3', 'Idempotency records expire within hours (TTL); restoring them from a backup would be wrong.');
}
