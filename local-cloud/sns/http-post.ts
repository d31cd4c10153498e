import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  statusCode: number;
}

/**
 * One POST to an endpoint, answered within `timeoutMs` or failed. The body of the answer is read
 * and discarded (SNS only looks at the status). No connection reuse: each attempt stands alone,
 * so a receiver's close is never held up by a pooled socket.
 *
 * The timeout is a wall-clock timer, not the service Clock: it bounds a real socket's wait,
 * which a scaled or manual clock says nothing about.
 */
export function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; signal: AbortSignal; ca?: string[] },
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        agent: false,
        signal: options.signal,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body, 'utf8')) },
        ...(url.protocol === 'https:' && options.ca ? { ca: options.ca } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`No response within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body, 'utf8');
  });
}
