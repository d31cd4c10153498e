import Link from 'next/link';
import { SITE } from '@/lib/site';
import { AccountMenu } from '@/components/auth/account-menu';
import { CartBadge } from '@/components/cart/cart-badge';

export function SiteHeader() {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="py-1 text-lg font-semibold tracking-tight text-brand-900">
          {SITE.name}
        </Link>
        <nav aria-label="Main" className="flex flex-1 items-center gap-4 text-sm">
          <Link href="/" className="inline-block py-1 text-stone-700 hover:text-brand-700">
            Shop
          </Link>
        </nav>
        <div className="flex items-center gap-4">
          <AccountMenu />
          <CartBadge />
        </div>
      </div>
    </header>
  );
}
