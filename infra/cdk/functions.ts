/**
 * The Lambda functions of template.yaml, from the shared esbuild bundles (infra/bundle.ts), each
 * with exactly the data access its SAM counterpart has (same actions, same resources).
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { DataResources } from './data.js';
import type { TaskApiSettings } from './settings.js';

interface FunctionDef {
  /** Construct id, the logical name the contract's integration URIs use (`${ListTasksFunction.Arn}`). */
  id: string;
  /** Handler file stem: `functions/<source>.ts`, bundled to `<bundleDir>/<source>/<source>.mjs`. */
  source: string;
  description: string;
  timeoutSeconds?: number;
  environment: (d: DataResources) => Record<string, string>;
  statements: (d: DataResources) => iam.PolicyStatement[];
}

const allow = (actions: string[], resources: string[]): iam.PolicyStatement => new iam.PolicyStatement({ actions, resources });
const readSecret = (secretArn: string): iam.PolicyStatement => allow(['secretsmanager:GetSecretValue'], [secretArn]);
const queryTasks = (d: DataResources): iam.PolicyStatement => allow(['dynamodb:Query'], [d.tasksTable.tableArn, `${d.tasksTable.tableArn}/index/byStatus`]);

export const FUNCTION_DEFS: FunctionDef[] = [
  {
    id: 'ListTasksFunction',
    source: 'listTasks',
    description: 'GET /tasks (listTasks)',
    environment: (d) => ({ TASKS_TABLE_NAME: d.tasksTable.tableName, CURSOR_SECRET_ID: d.cursorSigningSecret.secretArn }),
    statements: (d) => [queryTasks(d), readSecret(d.cursorSigningSecret.secretArn)],
  },
  {
    id: 'CreateTaskFunction',
    source: 'createTask',
    description: 'POST /tasks (createTask), idempotent with Idempotency-Key',
    environment: (d) => ({ TASKS_TABLE_NAME: d.tasksTable.tableName, IDEMPOTENCY_TABLE_NAME: d.idempotencyTable.tableName }),
    statements: (d) => [
      allow(['dynamodb:GetItem', 'dynamodb:PutItem'], [d.tasksTable.tableArn]),
      allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [d.idempotencyTable.tableArn]),
    ],
  },
  {
    id: 'UpdateTaskFunction',
    source: 'updateTask',
    description: 'PUT /tasks/{taskId} (updateTask), non-proxy integration with mapping templates',
    environment: (d) => ({ TASKS_TABLE_NAME: d.tasksTable.tableName }),
    statements: (d) => [allow(['dynamodb:UpdateItem', 'dynamodb:GetItem'], [d.tasksTable.tableArn])],
  },
  {
    id: 'DeleteTaskFunction',
    source: 'deleteTask',
    description: 'DELETE /tasks/{taskId} (deleteTask)',
    environment: (d) => ({ TASKS_TABLE_NAME: d.tasksTable.tableName }),
    statements: (d) => [allow(['dynamodb:DeleteItem', 'dynamodb:GetItem'], [d.tasksTable.tableArn])],
  },
  {
    id: 'ListUserTasksFunction',
    source: 'listUserTasks',
    description: 'GET /admin/users/{userId}/tasks (listUserTasks), admin only',
    environment: (d) => ({ TASKS_TABLE_NAME: d.tasksTable.tableName, CURSOR_SECRET_ID: d.cursorSigningSecret.secretArn }),
    statements: (d) => [queryTasks(d), readSecret(d.cursorSigningSecret.secretArn)],
  },
  {
    id: 'AdminAuthorizerFunction',
    source: 'adminAuthorizer',
    description: 'Lambda TOKEN authorizer of the admin routes',
    timeoutSeconds: 5,
    environment: (d) => ({ ADMIN_JWT_SECRET_ID: d.adminJwtSecret.secretArn }),
    statements: (d) => [readSecret(d.adminJwtSecret.secretArn)],
  },
];

/** template.yaml's Globals.Function, applied to every function. */
export function createFunctions(scope: Construct, data: DataResources, settings: TaskApiSettings, bundleDir: string): Map<string, lambda.Function> {
  const out = new Map<string, lambda.Function>();
  for (const def of FUNCTION_DEFS) {
    const fn = new lambda.Function(scope, def.id, {
      description: def.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(def.timeoutSeconds ?? 10),
      tracing: lambda.Tracing.ACTIVE,
      code: lambda.Code.fromAsset(join(bundleDir, def.source)),
      handler: `${def.source}.handler`,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'task-api',
        POWERTOOLS_LOG_LEVEL: settings.logLevel,
        ALLOWED_ORIGIN: settings.allowedOrigin,
        NODE_OPTIONS: '--enable-source-maps',
        ...def.environment(data),
      },
    });
    for (const statement of def.statements(data)) fn.addToRolePolicy(statement);
    out.set(def.id, fn);
  }
  return out;
}
