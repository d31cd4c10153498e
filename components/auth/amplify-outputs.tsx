'use client';

import { useEffect, useState } from 'react';
import type { AmplifyOutputsJson } from '@/lib/amplify/configure';

/**
 * The backend configuration (`amplify_outputs.json`), fetched once per page load from
 * `/api/config`. Reading it at run time keeps static pages static and lets one build serve the
 * local cloud or a deployed sandbox. `undefined` while loading, `null` when the backend is not
 * set up (the shop still browses; sign-in and ordering explain what is missing).
 */
let request: Promise<AmplifyOutputsJson | null> | undefined;
let settled: AmplifyOutputsJson | null | undefined;

function loadOutputs(): Promise<AmplifyOutputsJson | null> {
  request ??= fetch('/api/config')
    .then((response) => (response.ok ? (response.json() as Promise<AmplifyOutputsJson>) : null))
    .catch(() => null)
    .then((outputs) => (settled = outputs));
  return request;
}

export function useAmplifyOutputs(): AmplifyOutputsJson | null | undefined {
  const [outputs, setOutputs] = useState(settled);
  useEffect(() => {
    let active = true;
    void loadOutputs().then((value) => active && setOutputs(value));
    return () => {
      active = false;
    };
  }, []);
  return outputs;
}
