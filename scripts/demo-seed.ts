import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { OPERATIONS_GROUP, WAREHOUSE_GROUP } from '../amplify/auth/groups';
import { INVENTORY_TABLE } from '../amplify/functions/shared/table-schema';
import { PRODUCTS } from '../lib/catalog/products';

/** The demo accounts `npm run dev` creates (and prints). */
export const DEMO_ACCOUNTS = {
  shopper: { email: 'shopper@example.com', password: 'Harbor-shopper-1', groups: [] as string[] },
  warehouse: {
    email: 'warehouse@example.com',
    password: 'Harbor-warehouse-1',
    groups: [WAREHOUSE_GROUP],
  },
  operator: {
    email: 'ops@example.com',
    password: 'Harbor-operator-1',
    groups: [OPERATIONS_GROUP],
  },
};

/** Demo stock: plenty of most things, a few nearly gone, one sold out, so every badge shows. */
export const DEMO_STOCK: Record<string, number> = Object.fromEntries(
  PRODUCTS.map((product) => [product.slug, 25]),
);
DEMO_STOCK['gooseneck-kettle'] = 3;
DEMO_STOCK['hand-grinder'] = 0;

export interface SeedTarget {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  inventoryTableName: string;
  userPoolId: string;
}

/** Where to seed a started local cloud: its endpoint, and the table and pool its outputs name. */
export function seedTargetOf(cloud: {
  url: string;
  region: string;
  credentials: SeedTarget['credentials'];
  outputs?: { custom: Record<string, unknown>; auth?: { user_pool_id: string } };
}): SeedTarget {
  if (!cloud.outputs?.auth) throw new Error('The local cloud serves no Amplify backend to seed');
  return {
    endpoint: cloud.url,
    region: cloud.region,
    credentials: cloud.credentials,
    inventoryTableName: String(cloud.outputs.custom.inventoryTableName),
    userPoolId: cloud.outputs.auth.user_pool_id,
  };
}

export interface Account {
  email: string;
  password: string;
  groups?: string[];
}

/**
 * The shop's demo data, written as an operator would with the AWS SDK (the same calls work
 * against a sandbox in AWS): stock only where none is recorded, so stock survives restarts;
 * accounts created or reset to their known password.
 */
export async function seedDemo(
  target: SeedTarget,
  options: { stock?: Record<string, number>; accounts?: Account[] } = {},
): Promise<void> {
  const config = {
    endpoint: target.endpoint,
    region: target.region,
    credentials: target.credentials,
  };
  const dynamo = new DynamoDBClient(config);
  for (const [sku, available] of Object.entries(options.stock ?? DEMO_STOCK)) {
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: target.inventoryTableName,
          Item: {
            [INVENTORY_TABLE.partitionKey]: { S: sku },
            [INVENTORY_TABLE.availableAttribute]: { N: String(available) },
          },
          ConditionExpression: `attribute_not_exists(${INVENTORY_TABLE.partitionKey})`,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  const cognito = new CognitoIdentityProviderClient(config);
  for (const account of options.accounts ?? Object.values(DEMO_ACCOUNTS)) {
    await ensureAccount(cognito, target.userPoolId, account);
  }
}

/** A confirmed, email-verified user with this password and these groups. */
export async function ensureAccount(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  account: Account,
): Promise<void> {
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: account.email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: account.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: account.email,
      Password: account.password,
      Permanent: true,
    }),
  );
  for (const group of account.groups ?? []) {
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: userPoolId,
        Username: account.email,
        GroupName: group,
      }),
    );
  }
}
