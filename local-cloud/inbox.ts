import type { CodeInfo } from './cognito';
import type { LocalService } from './core/service';

/**
 * Where the local Cognito "delivers" its emails: every confirmation and reset code is printed
 * by `npm run dev` and kept here, readable at `GET /_local/inbox?email=<address>` (newest
 * first). A stand-in for a mail catcher, so browser tests can confirm a sign-up as a person
 * would, with the code from their inbox. Local only; AWS has no such endpoint.
 */
export class LocalInbox {
  private readonly messages: (CodeInfo & { receivedAt: string })[] = [];

  deliver = (info: CodeInfo): void => {
    this.messages.unshift({ ...info, receivedAt: new Date().toISOString() });
    this.messages.length = Math.min(this.messages.length, 200);
  };

  service(): LocalService {
    return {
      name: 'inbox',
      accepts: (req) => req.method === 'GET' && req.url.split('?')[0] === '/_local/inbox',
      handle: (req, res) => {
        const email = new URL(req.url, 'http://local').searchParams.get('email')?.toLowerCase();
        const messages = this.messages
          .filter((message) => !email || message.email?.toLowerCase() === email)
          .map(({ email: to, code, purpose, receivedAt }) => ({ to, code, purpose, receivedAt }));
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ messages }));
      },
      health: () => ({ ok: true, detail: `${this.messages.length} message(s)` }),
      close: () => {},
    };
  }
}
