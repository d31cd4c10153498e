'use client';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="flex flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-stone-600">
        The page could not be shown. Try again; if it keeps happening, quote this reference:{' '}
        <code>{error.digest ?? 'n/a'}</code>.
      </p>
      <button
        type="button"
        onClick={reset}
        className="rounded-lg bg-brand-700 px-4 py-2 text-white"
      >
        Try again
      </button>
    </div>
  );
}
