import type { CodeInfo } from '../cognito';
import { sendJson } from '../core/protocols/http';
import type { LocalService } from '../core/service';

/**
 * Where the local Cognito "delivers" its emails: every confirmation and reset code is printed
 * by `npm run dev` and kept here, readable at `GET /_local/inbox?email=<address>` (newest
 * first). A stand-in for a mail catcher, so browser tests can confirm a sign-up as a person
 * would, with the code from their inbox. Local only; AWS has no such endpoint.
 */
export interface InboxService extends LocalService {
  readonly name: 'inbox';
  deliver(info: CodeInfo): void;
}

const INBOX_PATH = '/_local/inbox';
const KEPT = 200;

export function createInboxService(): InboxService {
  const messages: (CodeInfo & { receivedAt: string })[] = [];
  return {
    name: 'inbox',
    accepts: (req) => req.method === 'GET' && req.url.split('?')[0] === INBOX_PATH,
    handle(req, res) {
      const email = new URL(req.url, 'http://local').searchParams.get('email')?.toLowerCase();
      sendJson(res, 200, {
        messages: messages
          .filter((message) => !email || message.email?.toLowerCase() === email)
          .map(({ email: to, code, purpose, receivedAt }) => ({ to, code, purpose, receivedAt })),
      });
    },
    deliver(info) {
      messages.unshift({ ...info, receivedAt: new Date().toISOString() });
      messages.length = Math.min(messages.length, KEPT);
    },
    health: () => ({ ok: true, detail: `${messages.length} message(s)` }),
    close: () => {},
  };
}
