import { TEST_CARDS } from '@/amplify/functions/shared/test-cards';

function groups(number: string) {
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function TestCardsNote() {
  return (
    <aside
      aria-labelledby="test-cards-heading"
      className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm"
    >
      <h2 id="test-cards-heading" className="font-semibold text-amber-900">
        Test cards
      </h2>
      <p className="text-amber-900">
        No real payment is taken. Use any future expiry date and any 3- or 4-digit security code.
      </p>
      <ul className="mt-2 flex flex-col gap-1">
        {TEST_CARDS.map((card) => (
          <li key={card.number}>
            <code className="font-mono">{groups(card.number)}</code> — {card.description}
          </li>
        ))}
      </ul>
    </aside>
  );
}
