import type { ServerResponse } from 'node:http';

/**
 * Sends an error of the mock's own as problem+json (RFC 7807). The API's
 * documented errors (6808, 401) keep their own envelope and do not come here.
 */
export function sendProblem(
  res: ServerResponse,
  status: number,
  problem: { type: string; title: string; detail: string; [extra: string]: unknown },
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ ...problem, status });
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
