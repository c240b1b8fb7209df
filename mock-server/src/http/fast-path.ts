import type { IncomingMessage } from 'node:http';
import type { IHttpResponse } from '@stoplight/prism-http';
import { LiveBody } from './prism-engine';
import type { ApiVersion } from '../scenario/scenario';

/** The headers of a live list: Prism's, and no caching, since the list changes. */
export function liveHeaders(prismHeaders: Record<string, string>): Record<string, string> {
  return { ...prismHeaders, 'Cache-Control': 'no-store' };
}

/** What Prism decided for one shape of request: answer with the live list, or not. */
export type FastDecision =
  | { kind: 'live'; api: ApiVersion; statusCode: number; headers: Record<string, string> }
  | { kind: 'prism' };

const MAX_SHAPES = 1024;
const BEARER = /^Bearer\s.+$/;

/**
 * Remembers, per request shape, what Prism answered, so the next request of
 * the same shape skips Prism and is answered from the snapshot store's bytes.
 *
 * Prism's answer to a running-list GET depends only on what the shape key
 * holds: method, path and query, the `Accept`, `Prefer` and `Content-Type`
 * headers, and the form of `Authorization` (absent, empty, `Bearer x`, or
 * anything else: Prism's security handlers look at no more than that). It
 * never depends on the replay state, which enters after Prism has decided.
 * So replaying a remembered decision answers exactly as Prism would; the
 * differential test in test/mock-server/fast-path.test.ts checks a corpus.
 * Requests with a body never take the fast path.
 */
export class FastPath {
  private readonly decisions = new Map<string, FastDecision>();
  /** Requests answered without Prism, for stats and tests. */
  hits = 0;

  constructor(private readonly routes: ReadonlySet<string>) {}

  /** The shape key of a request, or undefined when it must go through Prism every time. */
  keyOf(req: IncomingMessage, pathname: string): string | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (!this.routes.has(pathname)) return undefined;
    const h = req.headers;
    const length = h['content-length'];
    if (h['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'))
      return undefined;

    const auth = h.authorization;
    const authShape = auth === undefined ? '-' : auth === '' ? 'e' : BEARER.test(auth) ? 'b' : 'k';
    const prefer = h.prefer === undefined ? '-' : String(h.prefer);
    return `${req.method} ${req.url ?? ''}\n${h.accept ?? '-'}\n${prefer}\n${h['content-type'] ?? '-'}\n${authShape}\n${length ?? '-'}`;
  }

  lookup(key: string): FastDecision | undefined {
    return this.decisions.get(key);
  }

  /** Records what Prism answered for a shape. */
  learn(key: string, output: IHttpResponse): void {
    if (this.decisions.size >= MAX_SHAPES) this.decisions.clear();
    if (!(output.body instanceof LiveBody)) {
      this.decisions.set(key, { kind: 'prism' });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(output.headers ?? {})) headers[name] = String(value);
    this.decisions.set(key, {
      kind: 'live',
      api: output.body.api,
      statusCode: output.statusCode,
      headers: liveHeaders(headers),
    });
  }

  /** Forgets every decision: the OpenAPI document changed. */
  clear(): void {
    this.decisions.clear();
  }
}
