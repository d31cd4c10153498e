import type { Metadata } from 'next';
import { SignInPanel } from '@/components/auth/sign-in-panel';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  return (
    <div className="mx-auto flex max-w-md flex-col gap-6">
      <h1 className="text-3xl font-semibold tracking-tight">Sign in</h1>
      <SignInPanel next={typeof next === 'string' ? next : undefined} />
    </div>
  );
}
