import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS headers as Prism's own server sets them: the caller's origin
 * reflected, credentials allowed. A reflected origin (never `*`) is what lets
 * a browser send credentials (Fetch standard, CORS protocol).
 */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', '*');
  res.setHeader('Vary', 'Origin');
}

/** Answers a preflight (an OPTIONS with Origin and Access-Control-Request-Method); false if it is not one. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || req.headers.origin === undefined || method === undefined)
    return false;

  applyCors(req, res);
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ?? '*',
  );
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204, { 'Content-Length': '0' });
  res.end();
  return true;
}
