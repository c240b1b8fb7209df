import type { IncomingHttpHeaders } from 'node:http';

/** What a single request asks of the mock itself, beside Prism's own `code` and `example`. */
export interface MockPreferences {
  /** A delay as text (`300`, `100-400`, `longtail:50-900`); a bare number is ms. */
  delay?: string;
  /** A fault kind (`500`, `empty`, ...) for HTTP, or (`close`, `drop`, ...) for a websocket. */
  fault?: string;
}

/**
 * Reads `delay` and `fault` the way Prism reads its own preferences: from
 * the `Prefer` header (RFC 7240, `Prefer: code=400, delay=300`), else from
 * the `__delay` and `__fault` query parameters. A preference missing from
 * the header still falls back to the query, so `?__delay=` works beside
 * `Prefer: code=400`.
 */
export function mockPreferences(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): MockPreferences {
  const prefer = parsePrefer(headers.prefer);
  return {
    delay: prefer.get('delay') ?? query.get('__delay') ?? undefined,
    fault: prefer.get('fault') ?? query.get('__fault') ?? undefined,
  };
}

/**
 * `Prefer` preferences by lower-case name (RFC 7240 section 2): a
 * comma-separated list of `token [= token / quoted-string]`, each maybe with
 * `;` parameters, which are not used here. Repeated headers arrive joined by
 * commas, which the same split handles.
 */
export function parsePrefer(header: string | string[] | undefined): Map<string, string> {
  const preferences = new Map<string, string>();
  if (header === undefined) return preferences;

  const text = Array.isArray(header) ? header.join(',') : header;
  const re = /\s*([^\s=,;]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s,;]*))?[^,]*(?:,|$)/gy;
  for (const match of text.matchAll(re)) {
    const name = match[1]?.toLowerCase();
    if (name === undefined) continue;
    const raw = match[2] ?? '';
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    // RFC 7240 section 2: the first occurrence of a preference wins.
    if (!preferences.has(name)) preferences.set(name, value);
  }
  return preferences;
}
