import { problem } from '@/lib/http/problem';

/**
 * Placeholder until the order workflow lands: it answers honestly that ordering is not
 * available rather than pretending to accept an order.
 */
export function POST() {
  return problem({
    status: 501,
    title: 'Ordering is not available yet',
    detail:
      'The order service is not running in this build. Your cart is kept; nothing was charged.',
  });
}
