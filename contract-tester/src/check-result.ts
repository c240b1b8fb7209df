import type { Severity } from '@running-tasks/contracts';
import type { ContractDiagnostic } from './contract-diagnostic';

/** `errored`: the check itself broke (a bug in the tester), so nothing is known about the route. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'errored';

/** The severity from which a diagnostic fails its check (`--fail-on`). */
export type FailOn = Severity;

/** The outcome of one check on one route: one JUnit test case. */
export interface CheckResult {
  /** Stable id of the kind of check: `http.status`, `ws.close`, … */
  id: string;
  /** The route label: `GET /api/tasks/running`, `WS /api/v2/tasks/ws/running`. */
  route: string;
  /** What the check expects, as a sentence fragment: `answers 200`. */
  title: string;
  status: CheckStatus;
  durationMs: number;
  diagnostics: ContractDiagnostic[];
  /** Why the check did not run, when `status` is `skipped`. */
  skipReason?: string;
  /** What was observed, for the reader: `12 messages in 3004 ms`. */
  notes: string[];
}

/** What a check function returns before the run decides its status. */
export interface CheckOutcome {
  diagnostics: ContractDiagnostic[];
  notes?: string[];
  skipReason?: string;
}

/** A diagnostic fails its check when its severity is at least `failOn`. */
export function failsCheck(d: ContractDiagnostic, failOn: FailOn): boolean {
  return d.severity === 'error' || failOn === 'warning';
}

export function toCheckResult(
  head: { id: string; route: string; title: string },
  outcome: CheckOutcome,
  durationMs: number,
  failOn: FailOn,
): CheckResult {
  const failed = outcome.diagnostics.some((d) => failsCheck(d, failOn));
  const skipped = outcome.skipReason !== undefined && outcome.diagnostics.length === 0;
  const status: CheckStatus = failed ? 'failed' : skipped ? 'skipped' : 'passed';

  return {
    ...head,
    status,
    durationMs: Math.round(durationMs),
    diagnostics: outcome.diagnostics,
    ...(skipped ? { skipReason: outcome.skipReason } : {}),
    notes: outcome.notes ?? [],
  };
}

export function skipped(reason: string, notes: string[] = []): CheckOutcome {
  return { diagnostics: [], skipReason: reason, notes };
}

export function observed(diagnostics: ContractDiagnostic[], ...notes: string[]): CheckOutcome {
  return { diagnostics, notes };
}
