/** A TaskService on dynalite, for the service and repository tests. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TaskRepository } from '../../functions/shared/task-repository.js';
import { TaskService } from '../../functions/shared/task-service.js';
import { startDynalite, type LocalDynamo } from './dynalite.js';
import { TEST_CREDENTIALS } from './local-credentials.js';

export interface TasksDb {
  dynamo: LocalDynamo;
  db: DynamoDBDocumentClient;
  /** The plain client, to read raw attribute values. */
  raw: DynamoDBClient;
  repository: TaskRepository;
  service: TaskService;
  close(): Promise<void>;
}

export async function startTasksDb(): Promise<TasksDb> {
  const dynamo = await startDynalite();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const repository = new TaskRepository(db, dynamo.tasksTable);
  return {
    dynamo,
    db,
    raw: client,
    repository,
    service: new TaskService(repository),
    close: async () => {
      client.destroy();
      await dynamo.close();
    },
  };
}
