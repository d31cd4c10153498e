/**
 * Test cards understood by the simulated payment step. The storefront imports the same table
 * so checkout and workflow agree on what each number does.
 */
export type TestCardBehaviour = 'success' | 'declined' | 'transient';

export interface TestCard {
  number: string;
  behaviour: TestCardBehaviour;
  description: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', behaviour: 'success', description: 'Payment succeeds' },
  { number: '4000000000000002', behaviour: 'declined', description: 'Payment is declined' },
  {
    number: '4000000000000119',
    behaviour: 'transient',
    description: 'Fails twice with a transient error, succeeds on the third attempt',
  },
];

/** A transient card fails this many attempts before the charge goes through. */
export const TRANSIENT_FAILURES_BEFORE_SUCCESS = 2;

export function findTestCard(cardNumber: string): TestCard | undefined {
  const digits = cardNumber.replace(/[\s-]/g, '');
  return TEST_CARDS.find((card) => card.number === digits);
}

export type ChargeDecision = 'charge' | 'decline' | 'transient-failure';

/** `attempt` is `$$.State.RetryCount`: 0 on the first try. */
export function decideCharge(behaviour: TestCardBehaviour, attempt: number): ChargeDecision {
  if (behaviour === 'declined') return 'decline';
  if (behaviour === 'transient' && attempt < TRANSIENT_FAILURES_BEFORE_SUCCESS) {
    return 'transient-failure';
  }
  return 'charge';
}
