import type { CheckResult, CheckStatus } from '../check-result';
import type { ContractDiagnostic } from '../contract-diagnostic';
import type { ContractReport } from '../run-contract';
import type { Diagnostic } from '@running-tasks/contracts';
import { formatIndexes, formatValue } from './format-value';

const STATUS_WORD: Record<CheckStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  skipped: 'SKIP',
  errored: 'ERROR',
};

const ID_WIDTH = 20;
const DETAIL = ' '.repeat(8);

/**
 * The summary a person reads in a CI log: one block per route, one line per
 * check, every diagnostic under its check with where, what rule, expected
 * and actual, and the reason of each failed `anyOf`/`oneOf` branch. Plain
 * text, no colour, so it reads the same in any log viewer.
 */
export function formatHumanReport(report: ContractReport): string {
  const lines: string[] = [];
  lines.push(`running-tasks contract · ${report.baseUrl}`);
  lines.push(describeRun(report));

  for (const route of report.routes) {
    lines.push('', route.route);
    for (const check of route.checks) lines.push(...formatCheck(check));
  }

  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function describeRun(report: ContractReport): string {
  const o = report.options;
  const parts = [
    `contracts ${report.contracts.openapi}, ${report.contracts.asyncapi}`,
    `api ${o.api}`,
    `ws watch ${o.wsDurationMs} ms`,
    o.token ? `token as ${o.authScheme}` : 'no token',
    ...(o.origin ? [`origin ${o.origin}`] : []),
    `fail on ${o.failOn}`,
  ];
  return parts.join(' · ');
}

function formatCheck(check: CheckResult): string[] {
  const word = STATUS_WORD[check.status].padEnd(5);
  const extra = check.status === 'skipped' ? check.skipReason : check.notes.join('; ');
  const head = `  ${word} ${check.id.padEnd(ID_WIDTH)} ${check.title}${extra ? ` · ${extra}` : ''}`;

  const lines = [head];
  for (const d of check.diagnostics) lines.push(...formatDiagnostic(d, DETAIL));
  if (check.status === 'errored') lines.push(...check.notes.map((n) => `${DETAIL}${n}`));
  return lines;
}

/** One diagnostic: a headline, then its facts, then its branches, each level indented. */
export function formatDiagnostic(d: Diagnostic | ContractDiagnostic, indent: string): string[] {
  const location = 'location' in d ? ` in ${d.location}` : '';
  const lines = [`${indent}${d.severity} at ${d.path}${location}: ${d.message} [${d.keyword}]`];
  // anyOf/oneOf have no single expected value: their branches say what each wanted.
  const expected = d.expected === undefined ? '' : `expected ${formatValue(d.expected)}, `;
  lines.push(`${indent}  ${expected}actual ${formatValue(d.actual)}`);

  if (d.schemaPath) lines.push(`${indent}  rule ${d.schemaPath}`);
  if ('messages' in d && d.messages && d.messages.length > 1) {
    lines.push(`${indent}  in ${d.messages.length} messages: ${formatIndexes(d.messages)}`);
  }
  for (const b of d.branches ?? []) {
    lines.push(`${indent}  branch ${b.branch} failed because:`);
    for (const inner of b.diagnostics) lines.push(...formatDiagnostic(inner, `${indent}    `));
  }
  return lines;
}

function summaryLine(report: ContractReport): string {
  const t = report.totals;
  const seconds = `${(report.durationMs / 1000).toFixed(1)} s`;
  if (report.outcome === 'unreachable') {
    return `UNREACHABLE: ${report.unreachable ?? 'the backend did not answer'} · exit ${report.exitCode}`;
  }

  const counts = [
    `${t.passed} passed`,
    `${t.failed} failed`,
    `${t.skipped} skipped`,
    ...(t.errored > 0 ? [`${t.errored} errored`] : []),
  ].join(', ');
  const severities = `${t.errors} error${t.errors === 1 ? '' : 's'}, ${t.warnings} warning${t.warnings === 1 ? '' : 's'}`;
  const verdict = report.outcome === 'passed' ? 'PASSED' : 'FAILED';
  return `${verdict}: ${t.checks} checks: ${counts} · ${severities} · ${seconds} · exit ${report.exitCode}`;
}
