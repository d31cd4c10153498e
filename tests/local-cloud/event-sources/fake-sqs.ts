/**
 * A unit-test edge, not an SQS: an in-memory stand-in answering the three calls the pollers
 * make (ReceiveMessage with long polling, DeleteMessageBatch, GetQueueAttributes), so the
 * pollers' concurrency, batching and shutdown can be checked without the timing of a server.
 * The behaviour against the real local SQS is covered by poller.sqs.test.ts.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

interface Stored {
  message: Message;
  receiveCount: number;
  invisible: boolean;
}

export class FakeSqs {
  readonly stored: Stored[] = [];
  readonly calls: string[] = [];
  /** Long polls parked now (no message was visible). */
  parked = 0;
  private waiters = new Set<() => void>();
  private seq = 0;

  send(body: string, attributes: Message['MessageAttributes'] = {}): string {
    const id = `m-${++this.seq}`;
    this.stored.push({
      message: {
        MessageId: id,
        Body: body,
        MD5OfBody: 'md5',
        MessageAttributes: attributes,
        Attributes: { SentTimestamp: String(Date.now()), SenderId: '000000000000' },
      },
      receiveCount: 0,
      invisible: false,
    });
    for (const wake of this.waiters) wake();
    return id;
  }

  /** Messages not deleted, visible or in flight. */
  get remaining(): number {
    return this.stored.length;
  }

  /** Makes every in-flight message visible again (a visibility timeout running out). */
  expireVisibility(): void {
    for (const s of this.stored) s.invisible = false;
    for (const wake of this.waiters) wake();
  }

  client(): SQSClient {
    return {
      send: (command: unknown, options?: { abortSignal?: AbortSignal }) =>
        this.handle(command, options?.abortSignal),
    } as unknown as SQSClient;
  }

  private take(max: number): Message[] {
    const out: Message[] = [];
    for (const s of this.stored) {
      if (out.length >= max) break;
      if (s.invisible) continue;
      s.invisible = true;
      s.receiveCount++;
      out.push({
        ...s.message,
        ReceiptHandle: `${s.message.MessageId}#${s.receiveCount}`,
        Attributes: { ...s.message.Attributes, ApproximateReceiveCount: String(s.receiveCount) },
      });
    }
    return out;
  }

  private async handle(command: unknown, signal?: AbortSignal): Promise<unknown> {
    if (command instanceof GetQueueAttributesCommand) {
      this.calls.push('GetQueueAttributes');
      return { Attributes: { VisibilityTimeout: '30' } };
    }
    if (command instanceof DeleteMessageBatchCommand) {
      this.calls.push('DeleteMessageBatch');
      const entries = command.input.Entries ?? [];
      const handles = new Set(entries.map((e) => e.ReceiptHandle!.split('#')[0]));
      for (let i = this.stored.length - 1; i >= 0; i--) {
        if (handles.has(this.stored[i]!.message.MessageId!)) this.stored.splice(i, 1);
      }
      return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
    }
    if (command instanceof ReceiveMessageCommand) {
      this.calls.push('ReceiveMessage');
      const max = command.input.MaxNumberOfMessages ?? 1;
      const now = this.take(max);
      if (now.length > 0 || !command.input.WaitTimeSeconds) return { Messages: now };
      return new Promise((resolve, reject) => {
        this.parked++;
        const done = () => {
          this.parked--;
          this.waiters.delete(wake);
          signal?.removeEventListener('abort', aborted);
        };
        const wake = () => {
          const got = this.take(max);
          if (got.length === 0) return;
          done();
          resolve({ Messages: got });
        };
        const aborted = () => {
          done();
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        };
        if (signal?.aborted) return aborted();
        signal?.addEventListener('abort', aborted, { once: true });
        this.waiters.add(wake);
      });
    }
    throw new Error(`FakeSqs does not answer ${String(command)}`);
  }
}
