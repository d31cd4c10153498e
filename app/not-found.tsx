import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="flex flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-stone-600">The page you asked for does not exist.</p>
      <Link href="/" className="rounded-lg bg-brand-700 px-4 py-2 text-white">
        Back to the shop
      </Link>
    </div>
  );
}
