import type { CheckResult } from '../check-result';
import { failsCheck } from '../check-result';
import type { ContractReport, RouteReport } from '../run-contract';
import { formatDiagnostic } from './human-report';
import { attrs, xmlText } from './xml';

/**
 * The report as JUnit XML, in the shape Jenkins, GitLab, GitHub test
 * reporters and Azure read (the Ant JUnit format): `testsuites` >
 * `testsuite` per route > `testcase` per check, with `failure` for a
 * contract violation, `error` for a check that could not run, and
 * `skipped`. Warnings that do not fail a check go to its `system-out`, so
 * they stay visible.
 */
export function formatJunitReport(report: ContractReport): string {
  const timestamp = report.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '');
  const hostname = new URL(report.baseUrl).host;
  const suites =
    report.outcome === 'unreachable'
      ? [unreachableSuite(report, timestamp, hostname)]
      : report.routes.map((r) => routeSuite(r, report, timestamp, hostname));

  const t = report.totals;
  const unreachable = report.outcome === 'unreachable' ? 1 : 0;
  const head = attrs({
    name: 'running-tasks contract',
    tests: t.checks + unreachable,
    failures: t.failed,
    errors: t.errored + unreachable,
    skipped: t.skipped,
    time: seconds(report.durationMs),
    timestamp,
  });

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${head}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function routeSuite(
  route: RouteReport,
  report: ContractReport,
  timestamp: string,
  hostname: string,
): string {
  const count = (status: CheckResult['status']) =>
    route.checks.filter((c) => c.status === status).length;
  const time = route.checks.reduce((sum, c) => sum + c.durationMs, 0);
  const head = attrs({
    name: route.route,
    tests: route.checks.length,
    failures: count('failed'),
    errors: count('errored'),
    skipped: count('skipped'),
    time: seconds(time),
    timestamp,
    hostname,
  });

  const properties = [
    '    <properties>',
    `      <property${attrs({ name: 'base-url', value: report.baseUrl })}/>`,
    `      <property${attrs({ name: 'api', value: route.api })}/>`,
    `      <property${attrs({ name: 'fail-on', value: report.options.failOn })}/>`,
    '    </properties>',
  ];
  const cases = route.checks.map((c) => testCase(c, report));
  return [`  <testsuite${head}>`, ...properties, ...cases, '  </testsuite>'].join('\n');
}

function testCase(check: CheckResult, report: ContractReport): string {
  const head = `    <testcase${attrs({ name: `${check.id}: ${check.title}`, classname: check.route, time: seconds(check.durationMs) })}`;
  const failOn = report.options.failOn;
  const failing = check.diagnostics.filter((d) => failsCheck(d, failOn));
  const other = check.diagnostics.filter((d) => !failsCheck(d, failOn));

  const body: string[] = [];
  if (check.status === 'failed') {
    const first = failing[0];
    const message = `${failing.length} violation${failing.length === 1 ? '' : 's'}: ${first ? `${first.path} ${first.message}` : ''}`;
    const text = failing.flatMap((d) => formatDiagnostic(d, '')).join('\n');
    body.push(
      `      <failure${attrs({ message, type: first?.keyword })}>${xmlText(text)}</failure>`,
    );
  }
  if (check.status === 'errored') {
    body.push(
      `      <error${attrs({ message: 'the check could not run', type: 'internal' })}>${xmlText(check.notes.join('\n'))}</error>`,
    );
  }
  if (check.status === 'skipped')
    body.push(`      <skipped${attrs({ message: check.skipReason })}/>`);

  const out = [
    ...check.notes.filter(() => check.status !== 'errored'),
    ...other.flatMap((d) => formatDiagnostic(d, '')),
  ];
  if (out.length > 0) body.push(`      <system-out>${xmlText(out.join('\n'))}</system-out>`);

  return body.length === 0 ? `${head}/>` : [`${head}>`, ...body, '    </testcase>'].join('\n');
}

function unreachableSuite(report: ContractReport, timestamp: string, hostname: string): string {
  const head = attrs({
    name: 'backend',
    tests: 1,
    failures: 0,
    errors: 1,
    skipped: 0,
    time: seconds(report.durationMs),
    timestamp,
    hostname,
  });
  const reason = report.unreachable ?? 'the backend did not answer';
  return [
    `  <testsuite${head}>`,
    `    <testcase${attrs({ name: 'backend is reachable', classname: 'backend', time: seconds(report.durationMs) })}>`,
    `      <error${attrs({ message: reason, type: 'unreachable' })}>${xmlText(reason)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
