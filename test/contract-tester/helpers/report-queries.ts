import type {
  CheckResult,
  ContractDiagnostic,
  ContractReport,
} from '@running-tasks/contract-tester';

/** The route names a report groups its checks under. */
export const V1 = 'GET /api/tasks/running';
export const V2 = 'GET /api/v2/tasks/running';
export const WS1 = 'WS /api/tasks/running/realtime';
export const WS2 = 'WS /api/v2/tasks/ws/running';

/** `route check-id` of every check that failed or errored, in report order. */
export function failingChecks(report: ContractReport): string[] {
  return report.routes.flatMap((r) =>
    r.checks
      .filter((c) => c.status === 'failed' || c.status === 'errored')
      .map((c) => `${r.route} ${c.id}`),
  );
}

export function checkOf(report: ContractReport, route: string, id: string): CheckResult {
  const found = report.routes.find((r) => r.route === route)?.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} on ${route}`);
  return found;
}

/** Every diagnostic of the run, flattened. */
export function diagnosticsOf(report: ContractReport): ContractDiagnostic[] {
  return report.routes.flatMap((r) => r.checks.flatMap((c) => c.diagnostics));
}

/** The short identity of a diagnostic that the tests assert on. */
export function identity(d: ContractDiagnostic): string {
  return `${d.route} ${d.check} ${d.path} ${d.keyword}`;
}
