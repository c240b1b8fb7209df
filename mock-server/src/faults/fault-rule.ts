import { SettingError } from '../errors';

/**
 * HTTP faults: the API's 6808 error (HTTP 400), a 401, a 500, a 200 with an
 * empty body, or a 200 whose JSON is cut in half.
 */
export const HTTP_FAULT_KINDS = ['6808', '401', '500', 'empty', 'truncated'] as const;

/**
 * Websocket faults: a close frame with a chosen code, a TCP drop with no
 * close frame, a stall (the socket stays open and silent), a frame that
 * breaks RFC 6455 framing, or a text message that is not JSON.
 */
export const WS_FAULT_KINDS = ['close', 'drop', 'stall', 'malformed', 'non-json'] as const;

export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];
export type WsFaultKind = (typeof WS_FAULT_KINDS)[number];

/**
 * Which websocket connections a rule hits: the next `count` that open, every
 * one (open now and later) while the rule stands, or only those open now.
 */
export type WsFaultTarget = 'next' | 'all' | 'open';

interface RuleBase {
  id: string;
  /** A path (`/api/tasks/running`); absent means every route. */
  route?: string;
  /** The share of requests (or connections) hit, from 0 (exclusive) to 1. */
  share: number;
  /** How many more requests (or connections) it hits; absent means no limit. */
  remaining?: number;
}

export interface HttpFaultRule extends RuleBase {
  transport: 'http';
  kind: HttpFaultKind;
}

export interface WsFaultRule extends RuleBase {
  transport: 'ws';
  kind: WsFaultKind;
  target: WsFaultTarget;
  /** Fires once the connection has been sent this many messages (0: before the first). */
  afterMessages: number;
  /** For `close`: the close code and reason. */
  code?: number;
  reason?: string;
}

export type FaultRule = HttpFaultRule | WsFaultRule;

/**
 * The close code a `close` fault sends when none is given: 1011, an unexpected server condition.
 */
export const DEFAULT_CLOSE_CODE = 1011;

export function isHttpFaultKind(kind: string): kind is HttpFaultKind {
  return (HTTP_FAULT_KINDS as readonly string[]).includes(kind);
}

export function isWsFaultKind(kind: string): kind is WsFaultKind {
  return (WS_FAULT_KINDS as readonly string[]).includes(kind);
}

/**
 * Close codes a server may put in a close frame (RFC 6455 section 7.4):
 * 1005, 1006 and 1015 only describe what a peer saw and must never be sent;
 * 1004 is reserved; 3000-4999 are for libraries and applications.
 */
export function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code);
}

const FIELDS = new Set([
  'kind',
  'route',
  'share',
  'count',
  'target',
  'afterMessages',
  'code',
  'reason',
]);

/**
 * A fault rule from a control request:
 * `{ "kind": "500", "route": "/api/tasks/running", "count": 3, "share": 0.5 }` or
 * `{ "kind": "close", "code": 4000, "target": "next", "afterMessages": 2 }`.
 * The transport follows from the kind.
 */
export function faultRuleFrom(value: unknown, id: string): FaultRule {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SettingError('a fault is an object with at least "kind"');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!FIELDS.has(key)) throw new SettingError(`a fault has no field "${key}"`);
  }

  const kind = String(v.kind);
  const base = {
    id,
    route: optionalRoute(v.route),
    share: optionalShare(v.share),
    remaining: optionalCount(v.count, 'count'),
  };
  if (isHttpFaultKind(kind)) {
    for (const key of ['target', 'afterMessages', 'code', 'reason']) {
      if (v[key] !== undefined)
        throw new SettingError(`"${key}" applies to websocket faults, not to ${kind}`);
    }
    return stripUndefined({ ...base, transport: 'http', kind });
  }
  if (!isWsFaultKind(kind)) {
    const all = [...HTTP_FAULT_KINDS, ...WS_FAULT_KINDS].join(', ');
    throw new SettingError(`unknown fault kind "${kind}" (one of ${all})`);
  }
  return stripUndefined({ ...base, transport: 'ws', kind, ...wsFields(v, kind, base.remaining) });
}

function wsFields(
  v: Record<string, unknown>,
  kind: WsFaultKind,
  count: number | undefined,
): Pick<WsFaultRule, 'target' | 'afterMessages' | 'code' | 'reason' | 'remaining'> {
  const target = (v.target ?? 'next') as WsFaultTarget;
  if (!['next', 'all', 'open'].includes(target))
    throw new SettingError('"target" is one of next, all, open');
  if (target !== 'next' && count !== undefined)
    throw new SettingError(`"count" applies to target "next" only, not "${target}"`);
  if (kind !== 'close' && (v.code !== undefined || v.reason !== undefined))
    throw new SettingError('"code" and "reason" apply to close faults only');

  const code = v.code === undefined ? undefined : Number(v.code);
  if (code !== undefined && !isSendableCloseCode(code))
    throw new SettingError(
      `${String(v.code)} is not a close code a server may send (1000-1003, 1007-1014, 3000-4999)`,
    );
  if (v.reason !== undefined && (typeof v.reason !== 'string' || Buffer.byteLength(v.reason) > 123))
    // RFC 6455 section 5.5: a control frame's payload is at most 125 bytes, 2 of them the code.
    throw new SettingError('"reason" is a string of at most 123 bytes');

  return {
    target,
    afterMessages: optionalCount(v.afterMessages, 'afterMessages', 0) ?? 1,
    code: kind === 'close' ? (code ?? DEFAULT_CLOSE_CODE) : undefined,
    reason:
      kind === 'close'
        ? typeof v.reason === 'string'
          ? v.reason
          : 'fault injected by the mock'
        : undefined,
    remaining: target === 'next' ? (count ?? 1) : undefined,
  };
}

function optionalRoute(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.startsWith('/'))
    throw new SettingError('"route" is a path that starts with /');
  return value;
}

function optionalShare(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !(value > 0 && value <= 1))
    throw new SettingError('"share" is a number above 0 and at most 1');
  return value;
}

function optionalCount(value: unknown, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new SettingError(`"${name}" is an integer of at least ${min}`);
  return value;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
