import { z } from 'zod';
import { MAX_LINES, MAX_QUANTITY_PER_LINE } from '@/lib/cart/cart';
import { findProduct } from '@/lib/catalog';
import { fieldErrors, paymentCardSchema, shippingAddressSchema } from '@/lib/checkout/schema';
import type { ProblemDetails } from '@/lib/http/problem';

/** Orders are small; anything bigger is a mistake or an attack. */
export const MAX_ORDER_BODY_BYTES = 16 * 1024;

// Strict objects throughout: a member the API does not know is a client bug (a typo, a field
// from a newer client) and silently dropping it would accept an order that is not what was meant.
const lineSchema = z.strictObject({
  sku: z
    .string('Choose a product.')
    .refine((sku) => findProduct(sku) !== undefined, 'This product is not in the catalog.'),
  quantity: z
    .int('Quantity must be a whole number.')
    .min(1, 'Quantity must be at least 1.')
    .max(MAX_QUANTITY_PER_LINE, `Quantity must be at most ${MAX_QUANTITY_PER_LINE}.`),
});

export const orderRequestSchema = z.strictObject({
  shippingAddress: z.strictObject(shippingAddressSchema.shape),
  payment: z.strictObject(paymentCardSchema.shape),
  lines: z
    .array(lineSchema, 'Add at least one product to the order.')
    .min(1, 'Add at least one product to the order.')
    .max(MAX_LINES, `An order can have at most ${MAX_LINES} lines.`)
    .refine(
      (lines) => new Set(lines.map((line) => line.sku)).size === lines.length,
      'Each product may appear on one line only.',
    ),
});

export type OrderRequest = z.output<typeof orderRequestSchema>;

export type ParsedOrderRequest =
  | { ok: true; order: OrderRequest; idempotencyKey: string; bodyText: string }
  | { ok: false; problem: ProblemDetails };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Reads and validates `POST /api/orders` without trusting anything the client sent. Returns a
 * problem (RFC 9457) for every way a request can be wrong; nothing is written before this passes.
 */
export async function parseOrderRequest(request: Request): Promise<ParsedOrderRequest> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return fail(415, 'Unsupported media type', 'Send the order as application/json.');
  }
  const declaredLength = Number(request.headers.get('content-length') ?? 0);
  if (declaredLength > MAX_ORDER_BODY_BYTES) return tooLarge();

  const bodyText = await readLimited(request, MAX_ORDER_BODY_BYTES);
  if (bodyText === undefined) return tooLarge();

  const idempotencyKey = request.headers.get('idempotency-key');
  if (!idempotencyKey || !UUID.test(idempotencyKey)) {
    return fail(
      400,
      'Idempotency-Key required',
      'Send an Idempotency-Key header holding a UUID made once per checkout attempt.',
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return fail(400, 'Malformed JSON', 'The request body is not valid JSON.');
  }

  const parsed = orderRequestSchema.safeParse(json);
  if (!parsed.success) {
    const unknown = unknownMembers(parsed.error);
    if (unknown.length > 0) {
      const errors = fieldErrors(
        new z.ZodError(parsed.error.issues.filter((issue) => issue.code !== 'unrecognized_keys')),
      );
      return {
        ok: false,
        problem: {
          type: '/problems/unknown-members',
          status: 422,
          title: 'The order has members the API does not know',
          detail: 'Remove the members listed in `unknown` (JSON paths) and try again.',
          unknown,
          // Other invalid fields too, so a client can fix everything in one round.
          ...(Object.keys(errors).length > 0 ? { errors } : {}),
        },
      };
    }
    return {
      ok: false,
      problem: {
        type: '/problems/validation-error',
        status: 422,
        title: 'The order has invalid fields',
        detail: 'Correct the fields listed in `errors` and try again.',
        errors: fieldErrors(parsed.error),
      },
    };
  }
  return { ok: true, order: parsed.data, idempotencyKey: idempotencyKey.toLowerCase(), bodyText };
}

/** The unrecognised members as JSON paths (`giftWrap`, `lines[0].colour`), in request order. */
function unknownMembers(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => jsonPath([...issue.path, key]))
      : [],
  );
}

function jsonPath(path: PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

function fail(status: number, title: string, detail: string): ParsedOrderRequest {
  return { ok: false, problem: { status, title, detail } };
}

function tooLarge(): ParsedOrderRequest {
  return fail(
    413,
    'Order too large',
    `The request body must be at most ${MAX_ORDER_BODY_BYTES} bytes.`,
  );
}

/** Reads the body, giving up (undefined) as soon as it passes `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
