import { STEPS } from '@/amplify/functions/shared/order-status';
import { z } from 'zod';
import { EXECUTION_STATUSES } from '@/lib/ops/executions';
import { orderRequestSchema } from '@/lib/orders/order-request';

/**
 * The REST API as an OpenAPI 3.1 document, for clients that do not use the storefront's
 * browser code (scripts, partner systems, older apps). Served at `/api/openapi.json`;
 * `tests/api/openapi.test.ts` compares it with the route files and the problem types the code
 * returns, so a new route or problem type cannot ship undocumented.
 * Spec: https://spec.openapis.org/oas/v3.1.0 — problem details: RFC 9457.
 */

/** Every problem `type` the API documents, with the status it is sent with. */
export const PROBLEM_TYPES = {
  '/problems/validation-error': { status: 422, title: 'The order has invalid fields' },
  '/problems/idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key already used for a different order',
  },
  '/problems/idempotency-key-expired': { status: 422, title: 'Idempotency-Key expired' },
  '/problems/unknown-members': { status: 422, title: 'The order has unknown members' },
  '/problems/too-many-orders': { status: 429, title: 'Too many orders' },
  '/problems/invalid-query': { status: 400, title: 'Invalid query parameters' },
  '/problems/poll-too-early': { status: 429, title: 'Polled before nextPollAt' },
  '/problems/unknown-execution': { status: 404, title: 'No such execution' },
  '/problems/execution-state-conflict': {
    status: 409,
    title: 'Not possible in the execution’s current state',
  },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

type Schema = Record<string, unknown>;

interface MediaType {
  schema: Schema;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, { $ref: string } | { description: string; schema: Schema }>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: (
    | { $ref: string }
    | { name: string; in: 'query' | 'header' | 'path'; required?: boolean; schema: Schema }
  )[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<HttpMethod, Operation>>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, unknown>;
    headers: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

const PROBLEM_JSON = 'application/problem+json';

/** A problem response; typed ones name their `type` so clients can branch on it. */
function problemResponse(description: string, types: ProblemType[] = []): ResponseObject {
  const schema: Schema =
    types.length === 0
      ? { $ref: '#/components/schemas/Problem' }
      : {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            {
              properties: { type: { enum: ['about:blank', ...types] } },
            },
          ],
        };
  return { description, content: { [PROBLEM_JSON]: { schema } } };
}

function withRetryAfter(response: ResponseObject): ResponseObject {
  return { ...response, headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } };
}

const json = (schema: Schema): Record<string, MediaType> => ({ 'application/json': { schema } });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const unauthorized = problemResponse('No or invalid ID token (`WWW-Authenticate: Bearer`).');
const unavailable = withRetryAfter(problemResponse('A dependency failed; retry after a while.'));
const shopper = [{ cognitoIdToken: [] }];
const executionArnParameter = {
  name: 'executionArn',
  in: 'path' as const,
  required: true,
  schema: { type: 'string', description: 'The execution ARN, URL-encoded.' },
};
const actionDone: Schema = {
  type: 'object',
  required: ['at'],
  properties: { at: { type: 'string', format: 'date-time' } },
};

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Storefront order API',
    version: '1.0.0',
    description:
      'Place orders, follow their status, and work the warehouse queue. Every error is an ' +
      'RFC 9457 problem (`application/problem+json`); branch on `type`, show `title`/`detail`. ' +
      'Live updates are also published over AppSync; polling clients honour `Retry-After`.',
  },
  servers: [{ url: '/' }],
  paths: {
    '/api/orders': {
      get: {
        operationId: 'listOrders',
        summary: "The signed-in shopper's orders, newest first, one page at a time",
        tags: ['orders'],
        security: shopper,
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100 },
          },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string', description: '`nextCursor` of the previous page.' },
          },
        ],
        responses: {
          '200': {
            description: 'A page of orders; `nextCursor` is absent on the last page.',
            content: json({
              type: 'object',
              required: ['orders'],
              properties: {
                orders: { type: 'array', items: ref('OrderSummary') },
                nextCursor: { type: 'string' },
              },
            }),
          },
          '400': problemResponse('`limit` or `cursor` is not valid.', ['/problems/invalid-query']),
          '401': unauthorized,
          '503': unavailable,
        },
      },
      post: {
        operationId: 'placeOrder',
        summary: 'Place an order; the workflow runs on after the 202',
        tags: ['orders'],
        security: shopper,
        parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: { required: true, content: json(ref('OrderRequest')) },
        responses: {
          '202': {
            description: 'Accepted. Follow `Location`; poll no earlier than `Retry-After`.',
            headers: {
              Location: { description: 'The order status URL.', schema: { type: 'string' } },
              'Retry-After': { $ref: '#/components/headers/RetryAfter' },
            },
            content: json(ref('PlacedOrder')),
          },
          '400': problemResponse('Missing or malformed Idempotency-Key, or malformed JSON.'),
          '401': unauthorized,
          '413': problemResponse('The body is larger than 16 KiB.'),
          '415': problemResponse('The body is not `application/json`.'),
          '422': problemResponse(
            'Invalid fields (`errors`), unknown members (`unknown`), or a reused/expired ' +
              'Idempotency-Key (`orderId` names the order it was used for).',
            [
              '/problems/validation-error',
              '/problems/unknown-members',
              '/problems/idempotency-key-reused',
              '/problems/idempotency-key-expired',
            ],
          ),
          '429': withRetryAfter(
            problemResponse('Too many orders in a short time.', ['/problems/too-many-orders']),
          ),
          '503': unavailable,
        },
      },
    },
    '/api/orders/{id}': {
      get: {
        operationId: 'getOrder',
        summary: "An order's status and timeline (conditional with If-None-Match)",
        tags: ['orders'],
        security: shopper,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'If-None-Match',
            in: 'header',
            schema: { type: 'string', description: 'The ETag of the last response.' },
          },
          {
            name: 'Prefer',
            in: 'header',
            schema: {
              type: 'string',
              description:
                '`watch` when a person is looking at the order: the back-off of `nextPollAt` is then capped at 25 s (answered with `Preference-Applied: watch`).',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The order. The ETag is its update sequence number.',
            headers: {
              ETag: { description: 'Update sequence number.', schema: { type: 'string' } },
              'Retry-After': { $ref: '#/components/headers/RetryAfter' },
            },
            content: json(ref('Order')),
          },
          '304': { description: 'Unchanged since the ETag, asked at or after `nextPollAt`.' },
          '401': unauthorized,
          '404': problemResponse('No such order, or not yours.'),
          '429': withRetryAfter(
            problemResponse(
              'Asked before `nextPollAt` and the order has not changed since this caller was last answered, whatever ETag the request carries.',
              ['/problems/poll-too-early'],
            ),
          ),
          '503': unavailable,
        },
      },
    },
    '/api/warehouse/tasks': {
      get: {
        operationId: 'listWarehouseTasks',
        summary: 'Orders waiting to be packed (Warehouse group only)',
        tags: ['warehouse'],
        security: shopper,
        responses: {
          '200': {
            description: 'The open tasks.',
            content: json({
              type: 'object',
              required: ['tasks'],
              properties: { tasks: { type: 'array', items: ref('WarehouseTask') } },
            }),
          },
          '401': unauthorized,
          '403': problemResponse('Signed in, but not in the Warehouse group.'),
          '503': unavailable,
        },
      },
    },
    '/api/warehouse/tasks/{orderId}': {
      post: {
        operationId: 'decideWarehouseTask',
        summary: 'Packed, rejected (with a reason), or a heartbeat that keeps the task open',
        tags: ['warehouse'],
        security: shopper,
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: json({
            oneOf: [
              {
                type: 'object',
                required: ['decision'],
                properties: { decision: { enum: ['packed', 'heartbeat'] } },
              },
              {
                type: 'object',
                required: ['decision', 'reason'],
                properties: {
                  decision: { const: 'rejected' },
                  reason: { type: 'string', minLength: 1, maxLength: 500 },
                },
              },
            ],
          }),
        },
        responses: {
          '204': { description: 'Recorded; the workflow moves on (or keeps waiting).' },
          '401': unauthorized,
          '403': problemResponse('Signed in, but not in the Warehouse group.'),
          '404': problemResponse('No such warehouse task.'),
          '409': problemResponse('The task is over (timed out or already answered).'),
          '422': problemResponse('The body is not one of the three decisions.'),
          '503': unavailable,
        },
      },
    },
    '/api/ops/executions': {
      get: {
        operationId: 'listExecutions',
        summary: 'Operators: the order workflow’s executions, newest first',
        description:
          'Filtered by `status`, or one order’s execution by `orderId` (executions are named by order id). Page with `nextToken`.',
        tags: ['operations'],
        security: shopper,
        parameters: [
          { name: 'status', in: 'query', schema: { enum: [...EXECUTION_STATUSES] } },
          { name: 'orderId', in: 'query', schema: { type: 'string' } },
          { name: 'nextToken', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': {
            description: 'One page of executions.',
            content: json({
              type: 'object',
              required: ['executions'],
              properties: {
                executions: { type: 'array', items: ref('ExecutionRow') },
                nextToken: { type: 'string' },
              },
            }),
          },
          '400': problemResponse('A parameter is invalid or repeated.', [
            '/problems/invalid-query',
          ]),
          '401': unauthorized,
          '403': problemResponse('Signed in, but not in the Operations group.'),
          '503': unavailable,
        },
      },
    },
    '/api/ops/executions/{executionArn}': {
      get: {
        operationId: 'getExecution',
        summary: 'Operators: one execution with its definition, progress per state and history',
        description: 'Task tokens and card data are redacted from inputs, outputs and history.',
        tags: ['operations'],
        security: shopper,
        parameters: [executionArnParameter],
        responses: {
          '200': { description: 'The execution.', content: json({ type: 'object' }) },
          '401': unauthorized,
          '403': problemResponse('Signed in, but not in the Operations group.'),
          '404': problemResponse('Not an execution of the order workflow.', [
            '/problems/unknown-execution',
          ]),
          '503': unavailable,
        },
      },
    },
    '/api/ops/executions/{executionArn}/redrive': {
      post: {
        operationId: 'redriveExecution',
        summary: 'Operators: redrive a failed, timed-out or stopped execution (RedriveExecution)',
        tags: ['operations'],
        security: shopper,
        parameters: [executionArnParameter],
        responses: {
          '200': { description: 'Redriven.', content: json(actionDone) },
          '401': unauthorized,
          '403': problemResponse('Signed in, but not in the Operations group.'),
          '404': problemResponse('Not an execution of the order workflow.', [
            '/problems/unknown-execution',
          ]),
          '409': problemResponse('Running, succeeded, or otherwise not redrivable.', [
            '/problems/execution-state-conflict',
          ]),
          '503': unavailable,
        },
      },
    },
    '/api/ops/executions/{executionArn}/stop': {
      post: {
        operationId: 'stopExecution',
        summary: 'Operators: stop a running execution, with a cause (StopExecution)',
        tags: ['operations'],
        security: shopper,
        parameters: [executionArnParameter],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['cause'],
            properties: { cause: { type: 'string', minLength: 3, maxLength: 500 } },
          }),
        },
        responses: {
          '200': { description: 'Stopped.', content: json(actionDone) },
          '401': unauthorized,
          '403': problemResponse('Signed in, but not in the Operations group.'),
          '404': problemResponse('Not an execution of the order workflow.', [
            '/problems/unknown-execution',
          ]),
          '409': problemResponse('The execution is not running.', [
            '/problems/execution-state-conflict',
          ]),
          '422': problemResponse('No cause given.', ['/problems/validation-error']),
          '503': unavailable,
        },
      },
    },
    '/api/config': {
      get: {
        operationId: 'getConfig',
        summary: 'The public backend configuration (Cognito pool, AppSync URL) for clients',
        tags: ['meta'],
        responses: {
          '200': { description: 'Public parts of the Amplify outputs.', content: json({}) },
          '503': problemResponse('The backend is not configured.'),
        },
      },
    },
    '/api/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Readiness',
        tags: ['meta'],
        responses: {
          '200': {
            description: 'The server is up.',
            content: json({ type: 'object', properties: { ok: { const: true } } }),
          },
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        tags: ['meta'],
        responses: { '200': { description: 'OpenAPI 3.1.', content: json({}) } },
      },
    },
  },
  components: {
    securitySchemes: {
      cognitoIdToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A Cognito ID token of the user pool named by `/api/config`.',
      },
    },
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description: 'A UUID made once per checkout attempt; retries reuse it for 24 hours.',
        schema: { type: 'string', format: 'uuid' },
      },
    },
    headers: {
      RetryAfter: {
        description: 'Seconds to wait before asking again (delta-seconds only).',
        schema: { type: 'integer', minimum: 1 },
      },
    },
    schemas: {
      Problem: {
        type: 'object',
        description: 'RFC 9457 problem details.',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string', description: '`about:blank` or one of `/problems/*`.' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          errors: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: '`section.field` → message (validation-error).',
          },
          unknown: {
            type: 'array',
            items: { type: 'string' },
            description: 'Members the server does not know (unknown-members).',
          },
          orderId: {
            type: 'string',
            description: 'The order an Idempotency-Key was used for (idempotency-key-*).',
          },
        },
        'x-problem-types': PROBLEM_TYPES,
      },
      // From the same zod schema the server validates with, so the two cannot drift.
      OrderRequest: z.toJSONSchema(orderRequestSchema, { io: 'input', unrepresentable: 'any' }),
      PlacedOrder: {
        type: 'object',
        required: ['orderId', 'executionArn', 'status', 'nextPollAt'],
        properties: {
          orderId: { type: 'string' },
          executionArn: { type: 'string' },
          status: {
            enum: ['QUEUED', 'PENDING'],
            description: 'QUEUED when the backend takes orders through its intake queue.',
          },
          nextPollAt: { type: 'string', format: 'date-time' },
        },
      },
      OrderSummary: {
        type: 'object',
        required: ['orderId', 'status', 'createdAt', 'totalCents', 'currency', 'itemCount'],
        properties: {
          orderId: { type: 'string' },
          status: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          totalCents: { type: 'integer' },
          currency: { type: 'string' },
          itemCount: { type: 'integer' },
        },
      },
      Order: {
        type: 'object',
        required: ['orderId', 'status', 'seq', 'lines', 'steps', 'updates', 'nextPollAt'],
        properties: {
          orderId: { type: 'string' },
          status: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          seq: { type: 'integer' },
          lines: { type: 'array', items: { type: 'object' } },
          totalCents: { type: 'integer' },
          currency: { type: 'string' },
          shippingAddress: { type: 'object' },
          cardLast4: { type: 'string' },
          executionArn: { type: 'string' },
          trackingNumber: { type: 'string' },
          steps: { type: 'array', items: { type: 'object' } },
          updates: { type: 'array', items: { $ref: '#/components/schemas/OrderUpdate' } },
          nextPollAt: {
            type: ['string', 'null'],
            format: 'date-time',
            description: 'Null once the order is final.',
          },
        },
      },
      OrderUpdate: {
        type: 'object',
        description:
          'One recorded step change, as the AppSync subscription `onOrderUpdate` also delivers it. `message` is operator text; the facts (`reason`, `until`, `carrier`, `trackingNumber`) are data for clients to word.',
        required: ['orderId', 'seq', 'step', 'status', 'attempt', 'orderStatus', 'timestamp'],
        properties: {
          orderId: { type: 'string' },
          seq: { type: 'integer', description: 'Per order, from 1; apply updates in this order.' },
          step: { type: 'string', enum: [...STEPS] },
          status: {
            type: 'string',
            enum: ['STARTED', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED'],
          },
          attempt: { type: 'integer', description: '0 for the first attempt of the step.' },
          orderStatus: { type: 'string' },
          message: { type: ['string', 'null'] },
          nextPollAt: { type: ['string', 'null'], format: 'date-time' },
          timestamp: { type: 'string', format: 'date-time' },
          reason: {
            type: 'string',
            description:
              'FAILED: the error the workflow matched, e.g. `PaymentDeclined`, `States.Timeout`.',
          },
          until: {
            type: 'string',
            format: 'date-time',
            description: 'WAITING: when the step gives up (the packing deadline).',
          },
          carrier: { type: 'string', description: 'ShipOrder SUCCEEDED.' },
          trackingNumber: { type: 'string', description: 'ShipOrder SUCCEEDED.' },
        },
      },
      ExecutionRow: {
        type: 'object',
        required: ['executionArn', 'orderId', 'status', 'startDate', 'redriveCount'],
        properties: {
          executionArn: { type: 'string' },
          orderId: { type: 'string', description: 'The execution’s name.' },
          status: { enum: [...EXECUTION_STATUSES] },
          startDate: { type: 'string', format: 'date-time' },
          stopDate: { type: 'string', format: 'date-time' },
          redriveCount: { type: 'integer' },
        },
      },
      WarehouseTask: {
        type: 'object',
        required: ['orderId', 'awaitingSince', 'deadline', 'heartbeatDeadline', 'lines', 'shipTo'],
        properties: {
          orderId: { type: 'string' },
          awaitingSince: { type: 'string', format: 'date-time' },
          deadline: { type: 'string', format: 'date-time' },
          heartbeatDeadline: { type: 'string', format: 'date-time' },
          heartbeatSeconds: { type: 'integer' },
          lines: { type: 'array', items: { type: 'object' } },
          shipTo: { type: 'object' },
        },
      },
    },
  },
};
