/** Tables, Cognito and the generated secrets: template.yaml's Data and Identity sections. */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

const S = dynamodb.AttributeType.STRING;

export interface DataResources {
  tasksTable: dynamodb.Table;
  idempotencyTable: dynamodb.Table;
  userPool: cognito.UserPool;
  userPoolClient: cognito.UserPoolClient;
  adminJwtSecret: secretsmanager.Secret;
  cursorSigningSecret: secretsmanager.Secret;
}

/** A 64-character key that CloudFormation generates at deploy time; it never appears in the template. */
function signingKey(scope: Construct, id: string, description: string): secretsmanager.Secret {
  return new secretsmanager.Secret(scope, id, {
    description,
    generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'signingKey', passwordLength: 64, excludePunctuation: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

export function createData(scope: Construct): DataResources {
  const tasksTable = new dynamodb.Table(scope, 'TasksTable', {
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    partitionKey: { name: 'pk', type: S },
    sortKey: { name: 'sk', type: S },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  tasksTable.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'gsi1pk', type: S }, sortKey: { name: 'gsi1sk', type: S } });

  const idempotencyTable = new dynamodb.Table(scope, 'IdempotencyTable', {
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    partitionKey: { name: 'id', type: S },
    timeToLiveAttribute: 'expiration',
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const userPool = new cognito.UserPool(scope, 'UserPool', {
    userPoolName: `${Aws.STACK_NAME}-users`,
    // Users sign themselves up (template.yaml leaves AdminCreateUserConfig at its default).
    selfSignUpEnabled: true,
    signInAliases: { email: true },
    autoVerify: { email: true },
    passwordPolicy: { minLength: 8, requireLowercase: true, requireDigits: true, requireUppercase: false, requireSymbols: false },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    standardAttributes: { email: { required: true, mutable: true } },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const userPoolClient = userPool.addClient('UserPoolClient', {
    userPoolClientName: `${Aws.STACK_NAME}-web`,
    generateSecret: false,
    authFlows: { userSrp: true },
    // The web client signs in with SRP only: no hosted UI, so no OAuth flows or callback URLs.
    disableOAuth: true,
    preventUserExistenceErrors: true,
    idTokenValidity: Duration.minutes(60),
    accessTokenValidity: Duration.minutes(60),
    refreshTokenValidity: Duration.days(30),
  });

  return {
    tasksTable,
    idempotencyTable,
    userPool,
    userPoolClient,
    adminJwtSecret: signingKey(scope, 'AdminJwtSecret', 'Signing key of admin tokens checked by the Lambda authorizer'),
    cursorSigningSecret: signingKey(scope, 'CursorSigningSecret', 'HMAC key of the opaque pagination cursors'),
  };
}
