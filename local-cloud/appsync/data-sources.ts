import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { DataSourceConfig } from './config';
import { fromAttributeMap } from './js-runtime/dynamodb-json';

/** `ctx.result` or `ctx.error` for the response handler, as AppSync fills them. */
export type DataSourceOutcome = { result: unknown } | { error: { message: string; type: string } };

interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

type Request = Record<string, unknown> & { operation?: string };

const encodeToken = (key: Record<string, AttributeValue> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64') : null;
const decodeToken = (token: unknown) =>
  typeof token === 'string'
    ? (JSON.parse(Buffer.from(token, 'base64').toString()) as Record<string, AttributeValue>)
    : undefined;

/** AppSync merges each expression's names and values into one request. */
function merge(...parts: (Expression | undefined)[]) {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  for (const part of parts) {
    Object.assign(names, part?.expressionNames);
    Object.assign(values, part?.expressionValues);
  }
  return {
    ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
  };
}

async function dynamo(
  ds: Extract<DataSourceConfig, { type: 'AMAZON_DYNAMODB' }>,
  req: Request,
): Promise<unknown> {
  const TableName = ds.tableName;
  const key = req.key as Record<string, AttributeValue> | undefined;
  const condition = req.condition as Expression | undefined;
  const projection = req.projection as Expression | undefined;
  switch (req.operation) {
    case 'GetItem': {
      const out = await ds.client.send(
        new GetItemCommand({
          TableName,
          Key: key,
          ConsistentRead: req.consistentRead === true,
          ProjectionExpression: projection?.expression,
          ...merge(projection),
        }),
      );
      return fromAttributeMap(out.Item);
    }
    case 'PutItem': {
      const item = { ...(req.attributeValues as Record<string, AttributeValue>), ...key };
      await ds.client.send(
        new PutItemCommand({
          TableName,
          Item: item,
          ConditionExpression: condition?.expression,
          ...merge(condition),
        }),
      );
      return fromAttributeMap(item);
    }
    case 'UpdateItem': {
      const update = req.update as Expression;
      const out = await ds.client.send(
        new UpdateItemCommand({
          TableName,
          Key: key,
          UpdateExpression: update.expression,
          ConditionExpression: condition?.expression,
          ReturnValues: 'ALL_NEW',
          ...merge(update, condition),
        }),
      );
      return fromAttributeMap(out.Attributes);
    }
    case 'DeleteItem': {
      const out = await ds.client.send(
        new DeleteItemCommand({
          TableName,
          Key: key,
          ConditionExpression: condition?.expression,
          ReturnValues: 'ALL_OLD',
          ...merge(condition),
        }),
      );
      return fromAttributeMap(out.Attributes);
    }
    case 'Query':
    case 'Scan': {
      const query = req.query as Expression | undefined;
      const filter = req.filter as Expression | undefined;
      const common = {
        TableName,
        IndexName: req.index as string | undefined,
        Limit: req.limit as number | undefined,
        ExclusiveStartKey: decodeToken(req.nextToken),
        ConsistentRead: req.consistentRead === true,
        FilterExpression: filter?.expression,
        ProjectionExpression: projection?.expression,
        ...merge(query, filter, projection),
      };
      const out =
        req.operation === 'Query'
          ? await ds.client.send(
              new QueryCommand({
                ...common,
                KeyConditionExpression: query?.expression,
                ScanIndexForward: req.scanIndexForward !== false,
              }),
            )
          : await ds.client.send(new ScanCommand(common));
      return {
        items: (out.Items ?? []).map((item) => fromAttributeMap(item)),
        nextToken: encodeToken(out.LastEvaluatedKey),
        scannedCount: out.ScannedCount ?? 0,
      };
    }
    default:
      throw Object.assign(new Error(`Unsupported DynamoDB operation '${String(req.operation)}'`), {
        name: 'UnsupportedOperation',
      });
  }
}

export async function invokeDataSource(
  ds: DataSourceConfig,
  request: unknown,
): Promise<DataSourceOutcome> {
  // A NONE data source hands the request's payload straight to the response handler.
  if (ds.type === 'NONE') return { result: (request as { payload?: unknown })?.payload ?? null };
  try {
    return { result: await dynamo(ds, (request ?? {}) as Request) };
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    return {
      error: { message: String((error as Error).message ?? error), type: `DynamoDB:${name}` },
    };
  }
}
