import Link from 'next/link';
import { CATEGORIES, type CategorySlug } from '@/lib/catalog';

/** Plain links, not client state: filtering works without JavaScript and is shareable. */
export function CategoryFilter({ active }: { active?: CategorySlug }) {
  const options = [{ slug: undefined, name: 'All' }, ...CATEGORIES];
  return (
    <nav aria-label="Categories">
      <ul className="flex flex-wrap gap-2">
        {options.map((option) => {
          const current = option.slug === active;
          return (
            <li key={option.slug ?? 'all'}>
              <Link
                href={option.slug ? `/?category=${option.slug}` : '/'}
                aria-current={current ? 'page' : undefined}
                className={`inline-block rounded-full border px-4 py-1.5 text-sm ${
                  current
                    ? 'border-brand-700 bg-brand-700 text-white'
                    : 'border-stone-300 text-stone-700 hover:border-brand-600'
                }`}
              >
                {option.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
