import type { ServerResponse } from 'node:http';
import { AUTH_FAILED_BODY } from '../auth';
import type { HttpFaultKind } from './fault-rule';

/**
 * The API page's documented error, application code 6808, exactly as the
 * page shows it. The real system sends application errors with HTTP 400.
 */
export const ERROR_6808_BODY = Buffer.from(
  JSON.stringify({
    message: 'List Running Tasks Error',
    code: '6808',
    description: 'error details',
  }),
);

/**
 * A backend failure the API does not document. Its body is plain text, as a
 * crashed backend or a proxy in front of it tends to send: a client must not
 * count on JSON from a 500.
 */
const SERVER_ERROR_BODY = Buffer.from('Internal Server Error\n');

/** Faults that replace the answer outright; the others mangle the body of the real answer. */
export function isStatusFault(kind: HttpFaultKind): boolean {
  return kind === '6808' || kind === '401' || kind === '500';
}

/** Writes the answer of a status fault (6808, 401, 500). */
export function sendStatusFault(res: ServerResponse, kind: HttpFaultKind): void {
  const [status, type, body, extra] =
    kind === '6808'
      ? [400, 'application/json', ERROR_6808_BODY, {}]
      : kind === '401'
        ? [
            401,
            'application/json',
            AUTH_FAILED_BODY,
            { 'WWW-Authenticate': 'Bearer realm="running-tasks"' },
          ]
        : [500, 'text/plain; charset=utf-8', SERVER_ERROR_BODY, {}];
  res.writeHead(status, { ...extra, 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}

/**
 * The body a body fault sends instead of `body`: nothing at all, or its
 * first half. Either way the HTTP message itself is well formed (its
 * Content-Length matches), so what the client meets is a JSON error, not a
 * network error.
 */
export function mangleBody(kind: HttpFaultKind, body: Buffer): Buffer {
  if (kind === 'empty') return Buffer.alloc(0);
  if (kind === 'truncated') return body.subarray(0, Math.floor(body.length / 2));
  return body;
}
