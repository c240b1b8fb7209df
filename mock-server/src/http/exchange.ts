import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { MockPreferences } from '../control/request-preferences';
import type { HttpFaultKind } from '../faults/fault-rule';

const BASE = 'http://mock.invalid';

// Paths made only of these characters come out of WHATWG URL parsing
// unchanged, so they need no parse: no percent-escapes, dots, backslashes or
// characters the parser would encode.
const PLAIN_PATH = /^\/[A-Za-z0-9\-_~/]*$/;

/**
 * One request on its way through the pipeline's stages. A class rather than
 * an object literal per request: the hot path allocates as little as it can,
 * and the URL and abort signal are made only when a stage asks for them.
 */
export class Exchange {
  /** For the request log. */
  fault?: HttpFaultKind;
  delayMs?: number;
  /** The request's shape, when the fast path may learn from Prism's answer to it. */
  shape?: string;
  preferences?: MockPreferences;
  readonly started = performance.now();

  private parsedUrl?: URL;
  private path?: string;
  private abort?: AbortController;

  constructor(
    readonly id: number,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  get url(): URL {
    this.parsedUrl ??= new URL(this.req.url ?? '/', BASE);
    return this.parsedUrl;
  }

  /** The URL's path as the WHATWG parser gives it. */
  get pathname(): string {
    if (this.path === undefined) {
      const raw = this.req.url ?? '/';
      const q = raw.indexOf('?');
      const path = q === -1 ? raw : raw.slice(0, q);
      this.path = PLAIN_PATH.test(path) ? path : this.url.pathname;
    }
    return this.path;
  }

  /** The raw query string with its `?`, or ''. */
  get search(): string {
    const raw = this.req.url ?? '';
    const q = raw.indexOf('?');
    return q === -1 ? '' : raw.slice(q);
  }

  /** Aborts when the client goes away before the answer is written. */
  get signal(): AbortSignal {
    if (this.abort === undefined) {
      const controller = new AbortController();
      const res = this.res;
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      this.abort = controller;
    }
    return this.abort.signal;
  }

  /**
   * Writes the answer. Every stage that answers with the API's data writes
   * through it, so a body fault (empty, truncated) reaches any of them.
   */
  send(status: number, headers: OutgoingHttpHeaders, body: Buffer | string): void {
    this.res.setHeader('Content-Length', Buffer.byteLength(body));
    this.res.writeHead(status, headers);
    this.res.end(body);
  }
}
