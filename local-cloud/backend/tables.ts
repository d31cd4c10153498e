import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { LocalTable } from './model';

export interface CreateTablesResult {
  created: string[];
  existing: string[];
  /** Tables whose TTL is now enabled (including those that already had it). */
  ttlEnabled: string[];
}

/**
 * Creates the tables that do not exist yet (existing ones are left exactly as they are, data
 * included) and turns on Time to Live where the template asks for it.
 */
export async function createTables(
  client: DynamoDBClient,
  tables: LocalTable[],
  warn: (message: string) => void = (message) => console.warn(message),
): Promise<CreateTablesResult> {
  const result: CreateTablesResult = { created: [], existing: [], ttlEnabled: [] };
  for (const table of tables) {
    try {
      await client.send(new CreateTableCommand(table.createTable));
      result.created.push(table.name);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      result.existing.push(table.name);
    }
    // The local service answers CreateTable with ACTIVE, but AWS says CREATING first.
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table.name });
    if (table.timeToLiveAttribute && (await enableTimeToLive(client, table, warn))) {
      result.ttlEnabled.push(table.name);
    }
  }
  return result;
}

async function enableTimeToLive(
  client: DynamoDBClient,
  table: LocalTable,
  warn: (message: string) => void,
): Promise<boolean> {
  const attribute = table.timeToLiveAttribute!;
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    const description = current.TimeToLiveDescription;
    const status = description?.TimeToLiveStatus;
    if (
      (status === 'ENABLED' || status === 'ENABLING') &&
      description?.AttributeName === attribute
    ) {
      return true;
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name !== 'UnknownOperationException') throw error;
    warn(
      `DynamoDB: Time to Live is not supported by this endpoint; ${table.name}.${attribute} ` +
        'items will not expire.',
    );
    return false;
  }
}
