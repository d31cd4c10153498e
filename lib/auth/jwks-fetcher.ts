import type { Fetcher } from 'aws-jwt-verify/https';

/**
 * aws-jwt-verify's default Node fetcher uses `https.request` and refuses the local cloud's
 * `http://` JWKS; WHATWG fetch serves both, so cloud and offline share one verification path.
 */
export const fetchJwksFetcher: Fetcher = {
  fetch: async (uri) => {
    const response = await fetch(uri);
    if (!response.ok) throw new Error(`JWKS fetch from ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};
