import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { INVENTORY_TABLE } from '@/amplify/functions/shared/table-schema';
import { dynamo } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';

/** Shown as "Only N left" at or below this. */
export const LOW_STOCK_THRESHOLD = 5;

export type StockLevel =
  { kind: 'in-stock' } | { kind: 'low'; available: number } | { kind: 'sold-out' };

export function describeStock(available: number): StockLevel {
  if (available <= 0) return { kind: 'sold-out' };
  if (available <= LOW_STOCK_THRESHOLD) return { kind: 'low', available };
  return { kind: 'in-stock' };
}

/**
 * Units available per product, read from the Inventory table the workflow reserves from, so
 * the shelf reflects every reservation and release. Undefined when stock cannot be read (no
 * backend configured, or it is down): the shop still sells, and the workflow has the last word.
 */
export async function getStockLevels(skus: string[]): Promise<Map<string, number> | undefined> {
  let table: string;
  try {
    table = loadOutputs().custom.inventoryTableName;
  } catch {
    return undefined;
  }
  const levels = new Map<string, number>();
  try {
    // BatchGetItem takes at most 100 keys per call; the catalog is far smaller.
    for (let i = 0; i < skus.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = skus
        .slice(i, i + 100)
        .map((sku) => ({ [INVENTORY_TABLE.partitionKey]: sku }));
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await dynamo().send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
        );
        for (const item of result.Responses?.[table] ?? []) {
          levels.set(
            String(item[INVENTORY_TABLE.partitionKey]),
            Number(item[INVENTORY_TABLE.availableAttribute]),
          );
        }
        keys = result.UnprocessedKeys?.[table]?.Keys;
      }
    }
  } catch (error) {
    console.error('Could not read stock levels', error);
    return undefined;
  }
  return levels;
}
