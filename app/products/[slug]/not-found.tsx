import Link from 'next/link';

export default function ProductNotFound() {
  return (
    <div className="flex flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold">We can’t find that product</h1>
      <p className="text-stone-600">It may have been renamed or sold out for good.</p>
      <Link href="/" className="rounded-lg bg-brand-700 px-4 py-2 text-white">
        Browse the shop
      </Link>
    </div>
  );
}
