import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { ControlForbiddenError } from '../errors';
import { allowedOrigin, type CorsPolicy } from '../http/cors';

/** The prefix of every control route; the API itself has no path under it. */
export const CONTROL_PREFIX = '/__mock';

export function isControlPath(pathname: string): boolean {
  return pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`);
}

export interface ControlAccessOptions {
  /** When set, every control request must carry `Authorization: Bearer <token>`, from anywhere. */
  controlToken?: string;
  cors: CorsPolicy;
}

/**
 * Throws ControlForbiddenError unless the request may use the control API.
 *
 * Without a control token, "only on loopback" has three parts: the peer is a
 * loopback address; the Host header names loopback (a DNS-rebinding page
 * reaches 127.0.0.1 under its own host name); and a browser Origin, if any,
 * is loopback or one the CORS list trusts (any page may send a simple
 * cross-origin POST to 127.0.0.1 without a preflight).
 */
export function checkControlAccess(req: IncomingMessage, options: ControlAccessOptions): void {
  if (options.controlToken !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '');
    if (match?.[1] !== options.controlToken)
      throw new ControlForbiddenError(
        'the control API needs the control token: send Authorization: Bearer <control token>',
      );
    return;
  }

  if (!isLoopbackAddress(req.socket.remoteAddress))
    throw new ControlForbiddenError(
      'the control API answers only on loopback; start the mock with --control-token to reach it from elsewhere',
    );
  if (!isLoopbackHost(req.headers.host))
    throw new ControlForbiddenError(
      `the control API answers only to a loopback Host, not "${req.headers.host ?? ''}"`,
    );
  if (!isTrustedControlOrigin(req.headers.origin, options.cors))
    throw new ControlForbiddenError(
      `pages from ${req.headers.origin ?? ''} may not use the control API; list the origin with --cors-origins or use --control-token`,
    );
}

/** Whether a browser page from `origin` may drive the control API without a token. */
export function isTrustedControlOrigin(origin: string | undefined, cors: CorsPolicy): boolean {
  if (origin === undefined) return true;
  if (cors.mode === 'list' && allowedOrigin(cors, origin) !== undefined) return true;
  try {
    return isLoopbackHostname(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

/** A Host header (`127.0.0.1:4010`, `localhost:4010`, `[::1]:4010`) that names loopback. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0];
  return isLoopbackHostname(hostname ?? '');
}

function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || isLoopbackAddress(bare);
}
