import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockPreferences } from '../control/request-preferences';
import type { HttpFaultKind } from '../faults/fault-rule';

const BASE = 'http://mock.invalid';

// Paths made only of these characters come out of WHATWG URL parsing
// unchanged, so they need no parse: no percent-escapes, dots, backslashes or
// characters the parser would encode.
const PLAIN_PATH = /^\/[A-Za-z0-9\-_~/]*$/;

const NONE: readonly string[] = [];

/**
 * One request on its way through the pipeline's stages. A class rather than
 * an object literal per request: the hot path allocates as little as it can,
 * and the URL and abort signal are made only when a stage asks for them.
 *
 * Headers that every answer carries (CORS) are held here, not set on the
 * response: `send` hands them to `writeHead` together with the answer's own,
 * in one list. Once a header is set on a response, Node merges every later
 * one into it name by name, which cost about 1.5 µs of a fast-path request's
 * 20. A stage that writes its answer itself takes `response`, which sets
 * them first.
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
  /** Headers for every answer, as name, value, name, value. */
  private carried = NONE;
  /** Whether `carried` is already set on the response. */
  private carriedSet = false;

  constructor(
    readonly id: number,
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  /** Adds headers (name, value, name, value) to every answer to this request. */
  carry(headers: readonly string[]): void {
    if (headers.length === 0) return;
    if (this.carriedSet) {
      for (let i = 0; i < headers.length; i += 2) this.res.setHeader(headers[i], headers[i + 1]);
    } else {
      this.carried = this.carried.length === 0 ? headers : [...this.carried, ...headers];
    }
  }

  /** The response, for a stage that writes its answer itself: carried headers are set on it. */
  get response(): ServerResponse {
    if (!this.carriedSet) {
      this.carriedSet = true;
      const res = this.res;
      const carried = this.carried;
      if (!res.headersSent)
        for (let i = 0; i < carried.length; i += 2) res.setHeader(carried[i], carried[i + 1]);
    }
    return this.res;
  }

  /** The status sent, or to be sent. */
  get status(): number {
    return this.res.statusCode;
  }

  /** Whether the whole answer has been handed to the socket. */
  get ended(): boolean {
    return this.res.writableEnded;
  }

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
   * Writes the answer, with the carried headers and a Content-Length of its
   * own (any in `headers` is dropped: a body fault changes the length).
   * Every stage that answers with the API's data writes through it, so a
   * body fault (empty, truncated) reaches any of them.
   */
  send(status: number, headers: Readonly<Record<string, string>>, body: Buffer | string): void {
    const all: (string | number)[] = this.carriedSet ? [] : this.carried.slice();
    for (const name in headers) {
      if (name.length === 14 && name.toLowerCase() === 'content-length') continue;
      all.push(name, headers[name]);
    }
    all.push('Content-Length', Buffer.byteLength(body));
    // A flat list goes to the socket as it is; headers already set on the
    // response (`response` was taken) are merged with it by Node.
    this.res.writeHead(status, all);
    this.res.end(body);
  }
}
