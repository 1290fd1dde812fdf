/** The Task API stack: the same resources as template.yaml, environment-agnostic (I10.1), no lookups (I10.2). */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createApi } from './api.js';
import { createData, type DataResources } from './data.js';
import { createFunctions } from './functions.js';
import type { TaskApiSettings } from './settings.js';

export interface TaskApiStackProps extends StackProps {
  settings: TaskApiSettings;
  /** Folder of the esbuild bundles (infra/bundle.ts), one sub-folder per handler. */
  bundleDir: string;
}

export class TaskApiStack extends Stack {
  readonly api: apigateway.SpecRestApi;
  readonly data: DataResources;
  readonly functions: Map<string, lambda.Function>;

  constructor(scope: Construct, id: string, props: TaskApiStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.data = createData(this);
    this.functions = createFunctions(this, this.data, settings, props.bundleDir);
    this.api = createApi(this, this.data, this.functions, settings);

    const output = (id: string, value: string, description?: string): CfnOutput => new CfnOutput(this, id, { value, ...(description ? { description } : {}) });
    output('ApiUrl', this.api.deploymentStage.urlForPath('/').replace(/\/$/, ''), 'Base URL of the API stage');
    output('UserPoolId', this.data.userPool.userPoolId);
    output('UserPoolClientId', this.data.userPoolClient.userPoolClientId);
    const keyId = (plan: string): string => (this.node.findChild(`${plan}ApiKey`) as apigateway.ApiKey).keyId;
    output('BasicApiKeyId', keyId('Basic'), 'Read the value with: aws apigateway get-api-key --include-value --api-key <id>');
    output('PremiumApiKeyId', keyId('Premium'));
    output('AdminJwtSecretArn', this.data.adminJwtSecret.secretArn, 'Secret holding the admin token signing key');
    output('TasksTableName', this.data.tasksTable.tableName);
  }
}
