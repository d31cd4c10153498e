'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { SignedInUser } from '@/lib/amplify/session';
import { useAmplifyOutputs } from './amplify-outputs';

/**
 * The header's account slot. It renders a plain "Sign in" link first and loads Amplify only
 * after hydration (a dynamic import), so the catalog's first load stays free of the auth SDK.
 */
export function AccountMenu() {
  const outputs = useAmplifyOutputs();
  const pathname = usePathname();
  const router = useRouter();
  const [user, setUser] = useState<SignedInUser>();

  useEffect(() => {
    if (!outputs) return;
    let cancelled = false;
    let unsubscribe = () => {};
    void import('@/lib/amplify/session').then((session) => {
      if (cancelled) return;
      const refresh = () =>
        session.currentUser(outputs).then((next) => {
          if (!cancelled) setUser(next);
        });
      unsubscribe = session.onAuthChange(() => void refresh());
      void refresh();
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [outputs]);

  if (!user) {
    const next = pathname && pathname !== '/sign-in' ? `?next=${encodeURIComponent(pathname)}` : '';
    return (
      <Link
        href={`/sign-in${next}`}
        className="inline-block py-1 text-sm text-stone-700 hover:text-brand-700"
      >
        Sign in
      </Link>
    );
  }

  return (
    <div className="flex items-center gap-3 text-sm">
      <Link href="/orders" className="inline-block py-1 text-stone-700 hover:text-brand-700">
        My orders
      </Link>
      {user.groups.includes('Warehouse') && (
        <Link href="/warehouse" className="inline-block py-1 text-stone-700 hover:text-brand-700">
          Warehouse
        </Link>
      )}
      <span className="hidden text-stone-500 sm:inline" data-testid="signed-in-as">
        {user.email}
      </span>
      <button
        type="button"
        className="py-1 text-stone-700 underline hover:text-brand-700"
        onClick={async () => {
          const { signOutUser } = await import('@/lib/amplify/session');
          await signOutUser(outputs!);
          setUser(undefined);
          router.push('/');
        }}
      >
        Sign out
      </button>
    </div>
  );
}
