import type { Diagnostic, Severity } from '@running-tasks/contracts';

/**
 * Keywords of the checks that are not JSON Schema keywords. Schema
 * violations keep Ajv's keyword (`required`, `type`, `anyOf`, …), so one
 * field answers "what rule was broken" for both kinds.
 */
export const CHECK_KEYWORDS = {
  STATUS: 'status',
  CONTENT_TYPE: 'content-type',
  JSON: 'json',
  TRANSPORT: 'transport',
  HANDSHAKE: 'handshake',
  FIRST_MESSAGE: 'first-message',
  FRAME_TYPE: 'frame-type',
  SNAPSHOT: 'snapshot',
  PING: 'ping',
  CLOSE: 'close',
  AUTH: 'auth',
  CORS: 'cors',
} as const;

/**
 * A contract diagnostic placed in the run: which route, which check, which part of the exchange.
 */
export interface ContractDiagnostic extends Diagnostic {
  /** `GET /api/tasks/running` or `WS /api/tasks/running/realtime`. */
  route: string;
  /** The id of the check that found it (`http.body`, `ws.messages`, …). */
  check: string;
  /** Which part of the exchange: `status`, `header Content-Type`, `body`, `message #3`, `close`. */
  location: string;
  /**
   * For a diagnostic that repeats across websocket messages: every message index it occurred in.
   */
  messages?: number[];
}

export interface DiagnosticInput {
  severity?: Severity;
  path?: string;
  keyword: string;
  message: string;
  expected?: unknown;
  actual?: unknown;
  schemaPath?: string;
}

/** Builds a diagnostic for a check that is not a schema check. */
export function diagnostic(
  where: { route: string; check: string; location: string },
  input: DiagnosticInput,
): ContractDiagnostic {
  return {
    severity: input.severity ?? 'error',
    path: input.path ?? '$',
    keyword: input.keyword,
    message: input.message,
    expected: input.expected,
    actual: input.actual,
    schemaPath: input.schemaPath ?? '',
    ...where,
  };
}

/** Places schema diagnostics (from the contracts validators) in the run. */
export function placeDiagnostics(
  where: { route: string; check: string; location: string },
  found: readonly Diagnostic[],
): ContractDiagnostic[] {
  return found.map((d) => ({ ...d, ...where }));
}

/**
 * Folds diagnostics that repeat across websocket messages into one, with the
 * list of messages it occurred in. A broken stream repeats the same fault in
 * every heartbeat; listing it once with its message indexes keeps the report
 * readable without dropping anything.
 */
export function foldAcrossMessages(
  perMessage: readonly { index: number; diagnostics: readonly ContractDiagnostic[] }[],
): ContractDiagnostic[] {
  const folded = new Map<string, ContractDiagnostic>();

  for (const { index, diagnostics } of perMessage) {
    for (const d of diagnostics) {
      const key = foldKey(d);
      const seen = folded.get(key);
      if (seen) seen.messages = [...(seen.messages ?? []), index];
      else folded.set(key, { ...d, location: `message #${index}`, messages: [index] });
    }
  }
  return [...folded.values()];
}

function foldKey(d: Diagnostic): string {
  return JSON.stringify([d.severity, d.path, d.keyword, d.message, d.schemaPath]);
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
