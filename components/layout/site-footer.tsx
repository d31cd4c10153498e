import { SITE } from '@/lib/site';

export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-stone-200 bg-stone-50">
      <div className="mx-auto max-w-6xl px-4 py-8 text-sm text-stone-600">
        <p className="font-medium text-stone-800">{SITE.name}</p>
        <p>{SITE.tagline}</p>
        <p className="mt-2">
          A demo shop: no real payments are taken. Use the test cards shown at checkout.
        </p>
      </div>
    </footer>
  );
}
