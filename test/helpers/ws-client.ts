import WebSocket from 'ws';

/** A websocket client that queues every message so a test can await them in order. */
export class RecordingClient {
  readonly messages: string[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(data.toString('utf8'));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<RecordingClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new RecordingClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`handshake answered ${res.statusCode}`)),
      );
    });
  }

  /** Resolves with message number `index` (0-based), waiting at most `timeoutMs`. */
  async message(index: number, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length <= index) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no message #${index} within ${timeoutMs} ms (got ${this.messages.length})`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages[index];
  }

  /** Waits for the first message after those already received that satisfies `accept`. */
  async nextMatching(accept: (text: string) => boolean, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (let i = this.messages.length; ; i++) {
      const text = await this.message(i, Math.max(1, deadline - Date.now()));
      if (accept(text)) return text;
    }
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** The ws:// URL of a route on an http:// server. */
export function wsUrl(httpUrl: string, route: string): string {
  return httpUrl.replace(/^http/, 'ws') + route;
}
