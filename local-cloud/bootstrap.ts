import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { writeFileSync } from 'node:fs';
import { PRODUCTS } from '../lib/catalog/products';
import { createTables, generateLocalOutputs, readAssembly } from './backend';
import type { CognitoService } from './cognito';
import type { LocalCloud } from './core/start';
import { LOCAL_CREDENTIALS } from './offline-backend';

/** The two demo accounts `npm run dev` creates (and prints). */
export const DEMO_ACCOUNTS = {
  shopper: { email: 'shopper@example.com', password: 'Harbor-shopper-1', groups: [] as string[] },
  warehouse: {
    email: 'warehouse@example.com',
    password: 'Harbor-warehouse-1',
    groups: ['Warehouse'],
  },
};

/** Demo stock: plenty of most things, a few nearly gone, one sold out, so every badge shows. */
export const DEMO_STOCK: Record<string, number> = Object.fromEntries(
  PRODUCTS.map((product) => [product.slug, 25]),
);
DEMO_STOCK['gooseneck-kettle'] = 3;
DEMO_STOCK['hand-grinder'] = 0;

export interface BootstrapResult {
  outputsPath: string;
  createdTables: string[];
}

/**
 * Makes a started local cloud ready for the app: tables as the templates define them, demo
 * stock (only where none is recorded, so stock survives restarts), the demo accounts, and
 * `amplify_outputs.json` pointing at the local endpoints. Everything goes through the AWS
 * wire protocols, except user seeding (the stand-in's admin shortcut sets a permanent password).
 */
export async function bootstrapLocalCloud(
  cloud: LocalCloud,
  options: { assemblyDir: string; outputsPath: string; stock?: Record<string, number> },
): Promise<BootstrapResult> {
  const local = { baseUrl: cloud.url, region: cloud.context.region };
  const model = readAssembly(options.assemblyDir, local);
  const dynamo = new DynamoDBClient({
    endpoint: cloud.url,
    region: local.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const tables = await createTables(dynamo, model.tables);

  const inventory = model.tables.find((table) => table.name === 'Inventory');
  if (!inventory) throw new Error('The backend has no Inventory table');
  for (const [sku, available] of Object.entries(options.stock ?? DEMO_STOCK)) {
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: inventory.name,
          Item: { sku: { S: sku }, available: { N: String(available) } },
          ConditionExpression: 'attribute_not_exists(sku)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  const cognito = cloud.services.find((service) => service.name === 'cognito') as
    CognitoService | undefined;
  if (!cognito) throw new Error('The local cloud runs no Cognito service');
  for (const account of Object.values(DEMO_ACCOUNTS)) await cognito.seedUser(account);

  const outputs = await generateLocalOutputs(options.assemblyDir, local);
  writeFileSync(options.outputsPath, `${JSON.stringify(outputs, null, 2)}\n`);
  return { outputsPath: options.outputsPath, createdTables: tables.created };
}
