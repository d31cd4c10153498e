/**
 * Loading UI for the catalog, which reads live stock. Deliberately not at the app root: a
 * loading boundary above a page starts streaming before the page runs, so a `notFound()` from
 * the product page would then answer 200 instead of a real 404.
 */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 text-stone-600">
      <span
        className="h-5 w-5 animate-spin rounded-full border-2 border-stone-300 border-t-brand-600"
        aria-hidden="true"
      />
      Loading…
    </div>
  );
}
