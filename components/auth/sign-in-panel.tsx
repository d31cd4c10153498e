'use client';

import { Authenticator, useAuthenticator } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { configureAmplify } from '@/lib/amplify/configure';
import { safeNextPath } from '@/lib/auth/next-path';
import { useAmplifyOutputs } from './amplify-outputs';

function RedirectWhenSignedIn({ next }: { next: string }) {
  const { authStatus } = useAuthenticator((context) => [context.authStatus]);
  const router = useRouter();
  useEffect(() => {
    if (authStatus === 'authenticated') router.replace(next);
  }, [authStatus, next, router]);
  return authStatus === 'authenticated' ? (
    <p role="status" className="text-center text-stone-600">
      Signed in. Taking you back…
    </p>
  ) : null;
}

export function SignInPanel({ next }: { next?: string }) {
  const outputs = useAmplifyOutputs();
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (outputs) void configureAmplify(outputs).then(() => setReady(true));
  }, [outputs]);

  if (outputs === undefined) return <p className="text-stone-600">Loading sign-in…</p>;
  if (outputs === null) {
    return (
      <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
        Sign-in is not available: the backend is not configured. Start the app with{' '}
        <code>npm run dev</code> (offline) or deploy it with <code>npm run sandbox</code>.
      </p>
    );
  }
  if (!ready) return <p className="text-stone-600">Loading sign-in…</p>;

  return (
    <Authenticator.Provider>
      <Authenticator loginMechanisms={['email']} signUpAttributes={['email']} />
      <RedirectWhenSignedIn next={safeNextPath(next)} />
    </Authenticator.Provider>
  );
}
