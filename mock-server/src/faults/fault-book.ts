import { EventEmitter } from 'node:events';
import { SettingError } from '../errors';
import {
  faultRuleFrom,
  isHttpFaultKind,
  type FaultRule,
  type HttpFaultKind,
  type HttpFaultRule,
  type WsFaultRule,
} from './fault-rule';

export interface FaultBookEvents {
  /** A websocket rule that also hits connections open now (`target` all or open). */
  'ws-rule': [rule: WsFaultRule];
}

/**
 * The fault rules in force. HTTP requests and new websocket connections ask
 * it for a fault; a rule with a count is used up hit by hit and then goes.
 * Rules that also hit open websocket connections are announced to the
 * websocket emitter, which holds the connections.
 */
export class FaultBook extends EventEmitter<FaultBookEvents> {
  private rules: FaultRule[] = [];
  private nextId = 0;

  constructor(private readonly random: () => number = Math.random) {
    super();
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Adds a rule from a control request; throws SettingError when it cannot be read. */
  add(input: unknown): FaultRule {
    const rule = faultRuleFrom(input, `f${++this.nextId}`);
    // A rule for the connections open now has nothing left to do afterwards.
    if (rule.transport === 'http' || rule.target !== 'open') this.rules.push(rule);
    if (rule.transport === 'ws' && rule.target !== 'next') this.emit('ws-rule', { ...rule });
    return { ...rule };
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The fault for one HTTP request on `route`, using up one hit of its rule; undefined for none.
   */
  takeHttp(route: string): HttpFaultRule | undefined {
    return this.take(route, (r): r is HttpFaultRule => r.transport === 'http');
  }

  /** The fault for a websocket connection opening on `route`; undefined for none. */
  takeWs(route: string): WsFaultRule | undefined {
    return this.take(route, (r): r is WsFaultRule => r.transport === 'ws');
  }

  /** Whether a rule that hits open connections picks one of them (its share). */
  picks(rule: WsFaultRule, route: string): boolean {
    if (rule.route !== undefined && rule.route !== route) return false;
    return rule.share >= 1 || this.random() < rule.share;
  }

  private take<T extends FaultRule>(route: string, is: (r: FaultRule) => r is T): T | undefined {
    for (const rule of this.rules) {
      if (!is(rule) || (rule.route !== undefined && rule.route !== route)) continue;
      if (rule.share < 1 && this.random() >= rule.share) continue;

      if (rule.remaining !== undefined) {
        rule.remaining--;
        if (rule.remaining <= 0) this.remove(rule.id);
      }
      return { ...rule };
    }
    return undefined;
  }
}

/** The fault a single HTTP request asks for (`Prefer: fault=500` or `?__fault=500`). */
export function requestedHttpFault(kind: string | undefined): HttpFaultKind | undefined {
  if (kind === undefined || kind === '') return undefined;
  if (!isHttpFaultKind(kind))
    throw new SettingError(
      `unknown HTTP fault "${kind}" (one of 6808, 401, 500, empty, truncated)`,
    );
  return kind;
}

/**
 * The fault a single websocket connection asks for in its URL:
 * `?__fault=close&__fault_code=4000&__fault_after=3`. Browsers cannot set
 * headers on a websocket, so there is no `Prefer` form.
 */
export function requestedWsFault(query: URLSearchParams): WsFaultRule | undefined {
  const kind = query.get('__fault');
  if (kind === null || kind === '') return undefined;

  const number = (name: string): number | undefined => {
    const text = query.get(name);
    return text === null ? undefined : Number(text);
  };
  const input = {
    kind,
    code: number('__fault_code'),
    afterMessages: number('__fault_after'),
  };
  const rule = faultRuleFrom(stripUndefined(input), 'request');
  if (rule.transport !== 'ws')
    throw new SettingError(
      `"${kind}" is an HTTP fault; a websocket takes close, drop, stall, malformed or non-json`,
    );
  return rule;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
