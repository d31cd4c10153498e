import { a, defineData, type ClientSchema } from '@aws-amplify/backend';
import { statusPublisher } from '../functions/status-publisher/resource';

/** A group that is never created in the user pool; see publishOrderUpdate. */
export const IAM_ONLY_PLACEHOLDER_GROUP = 'IamOnlyPlaceholder';

/** Name under which backend.ts registers the Orders table as an AppSync data source. */
export const ORDERS_DATA_SOURCE = 'OrdersTableDataSource';

const orderUpdateFields = {
  orderId: a.id().required(),
  seq: a.integer().required(),
  step: a.string().required(),
  status: a.string().required(),
  attempt: a.integer().required(),
  message: a.string(),
  orderStatus: a.string().required(),
  nextPollAt: a.datetime(),
  timestamp: a.datetime().required(),
  // UpdateFacts (amplify/functions/shared/order-status.ts): data the page words for a shopper.
  reason: a.string(),
  until: a.datetime(),
  carrier: a.string(),
  trackingNumber: a.string(),
};

const schema = a
  .schema({
    OrderUpdate: a.customType(orderUpdateFields),

    // Only the status publisher may call this (IAM, via the schema-level allow.resource). It
    // stores nothing: the NONE data source echoes the arguments so AppSync can fan them out.
    publishOrderUpdate: a
      .mutation()
      .arguments(orderUpdateFields)
      .returns(a.ref('OrderUpdate'))
      .handler(a.handler.custom({ entry: './resolvers/publish-order-update.js' }))
      // Placeholder: Gen 2 has no IAM-only rule for JS-handler operations. backend.ts rewrites
      // this field to `@aws_iam` alone (see iam-only-fields.ts); the group does not exist, so
      // no user could pass it even without the rewrite.
      .authorization((allow) => [allow.group(IAM_ONLY_PLACEHOLDER_GROUP)]),

    // Custom subscriptions cannot use owner auth, so the resolver looks the order up and
    // refuses callers who neither own it nor belong to Warehouse, then filters on orderId.
    onOrderUpdate: a
      .subscription()
      .for(a.ref('publishOrderUpdate'))
      .arguments({ orderId: a.id().required() })
      .handler(
        a.handler.custom({
          dataSource: ORDERS_DATA_SOURCE,
          entry: './resolvers/on-order-update.js',
        }),
      )
      .authorization((allow) => [allow.authenticated()]),
  })
  .authorization((allow) => [allow.resource(statusPublisher)]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: { defaultAuthorizationMode: 'userPool' },
  // Request logging to CloudWatch: field errors only, without verbose content (the query with
  // its variables, headers and resolver context would copy shoppers' order details into the
  // logs). A month covers an incident review, as for the workflow's logs.
  logging: { fieldLogLevel: 'error', excludeVerboseContent: true, retention: '1 month' },
});
