import { performance } from 'node:perf_hooks';
import { toCheckResult, type CheckOutcome, type CheckResult, type FailOn } from '../check-result';
import { CHECK_KEYWORDS, diagnostic } from '../contract-diagnostic';
import { isTransportError } from '../errors';

export interface CheckHead {
  id: string;
  route: string;
  title: string;
}

/**
 * Runs one check and times it. A request that fails below HTTP (a reset, a
 * timeout) is a finding about the backend, so it becomes a `transport`
 * diagnostic; any other exception is a bug in the check and becomes an
 * `errored` result, which JUnit reports as an error rather than a failure.
 */
export async function runCheck(
  head: CheckHead,
  failOn: FailOn,
  check: () => Promise<CheckOutcome> | CheckOutcome,
): Promise<CheckResult> {
  const started = performance.now();
  try {
    const outcome = await check();
    return toCheckResult(head, outcome, performance.now() - started, failOn);
  } catch (err) {
    const elapsed = performance.now() - started;
    if (!isTransportError(err)) return erroredResult(head, err, elapsed);

    const found = diagnostic(
      { route: head.route, check: head.id, location: 'connection' },
      {
        keyword: CHECK_KEYWORDS.TRANSPORT,
        message: err.message,
        expected: 'an HTTP answer',
        actual: err.syscall,
      },
    );
    return toCheckResult(head, { diagnostics: [found] }, elapsed, failOn);
  }
}

export function erroredResult(head: CheckHead, err: unknown, elapsedMs: number): CheckResult {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return {
    ...head,
    status: 'errored',
    durationMs: Math.round(elapsedMs),
    diagnostics: [],
    notes: [`the check itself failed (a bug in the contract tester): ${message}`],
  };
}
