import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CONTRACTS_ROOT } from '@running-tasks/contracts';
import type { CheckResult, FailOn } from './check-result';
import { checkHttpRoute } from './checks/http-checks';
import { checkWsRoute } from './checks/ws-checks';
import { selectApi, type ApiVersion } from './contract-model';
import { countBySeverity } from './contract-diagnostic';
import {
  resolveContractOptions,
  type AuthScheme,
  type ContractRunOptions,
} from './contract-options';
import { loadContracts, routeUrl, type Contracts } from './contracts';
import { applyCredentials, redactUrl } from './credentials';
import { BackendUnreachableError, isTransportError } from './errors';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { httpExchange } from './http-exchange';
import type { RunContext } from './run-context';

export const REPORT_SCHEMA_VERSION = 1;

export interface RouteReport {
  route: string;
  kind: 'http' | 'ws';
  api: ApiVersion;
  checks: CheckResult[];
}

export interface ReportTotals {
  checks: number;
  passed: number;
  failed: number;
  skipped: number;
  errored: number;
  errors: number;
  warnings: number;
}

/** The whole run, as the JSON report writes it; no token appears anywhere in it. */
export interface ContractReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  baseUrl: string;
  startedAt: string;
  durationMs: number;
  options: {
    api: ApiVersion | 'all';
    failOn: FailOn;
    wsDurationMs: number;
    firstMessageTimeoutMs: number;
    consistencyWindowMs: number;
    authScheme: AuthScheme;
    token: boolean;
    origin?: string;
    wsProtocols: string[];
  };
  contracts: { openapi: string; asyncapi: string };
  outcome: 'passed' | 'failed' | 'unreachable';
  exitCode: ExitCode;
  /** Why the backend could not be reached, when `outcome` is `unreachable`. */
  unreachable?: string;
  totals: ReportTotals;
  routes: RouteReport[];
}

export interface RunContractDeps {
  /** Contracts loaded once by the caller (the benchmark and the tests run many times). */
  contracts?: Contracts;
}

/**
 * Checks a live backend against both contracts and returns the report.
 * Violations are in the report, not thrown; a backend that cannot be
 * reached at all gives `outcome: 'unreachable'` and exit code 3. Throws only
 * for bad options or unreadable contract documents.
 */
export async function runContract(
  input: Partial<ContractRunOptions> & { baseUrl: string },
  deps: RunContractDeps = {},
): Promise<ContractReport> {
  const options = resolveContractOptions(input);
  const contracts = deps.contracts ?? (await loadContracts());
  const model = selectApi(contracts.model, options.api);
  const startedAt = new Date();
  const started = performance.now();

  const ctx: RunContext = {
    options,
    baseUrl: new URL(options.baseUrl),
    contracts: { ...contracts, model },
    ...(options.token !== undefined
      ? { credentials: { token: options.token, scheme: options.authScheme } }
      : {}),
  };
  const head = reportHead(ctx, startedAt);

  try {
    await assertReachable(ctx);
  } catch (err) {
    if (!(err instanceof BackendUnreachableError)) throw err;
    return finish(head, [], performance.now() - started, err.message);
  }

  const [http, ws] = await Promise.all([
    Promise.all(model.http.map((route) => checkHttpRoute(ctx, route))),
    Promise.all(model.ws.map((route) => checkWsRoute(ctx, route))),
  ]);

  const routes: RouteReport[] = [
    ...model.http.map((r, i) => ({
      route: r.label,
      kind: 'http' as const,
      api: r.api,
      checks: http[i] ?? [],
    })),
    ...model.ws.map((r, i) => ({
      route: r.label,
      kind: 'ws' as const,
      api: r.api,
      checks: ws[i] ?? [],
    })),
  ].sort((a, b) => a.api.localeCompare(b.api));
  return finish(head, routes, performance.now() - started);
}

/**
 * One GET before the checks, so that a backend that is not there (nothing
 * listening, no such host) gives one clear answer and exit code 3 instead
 * of a page of transport failures.
 */
async function assertReachable(ctx: RunContext): Promise<void> {
  const route = ctx.contracts.model.http[0];
  if (!route) return;

  const target = applyCredentials(routeUrl(ctx.baseUrl, route.path), ctx.credentials);
  try {
    await httpExchange(target.url, {
      headers: target.headers,
      timeoutMs: ctx.options.requestTimeoutMs,
    });
  } catch (err) {
    if (!isTransportError(err) || !err.beforeConnect) return;
    throw new BackendUnreachableError(redactUrl(ctx.baseUrl), err.message, { cause: err });
  }
}

type ReportHead = Omit<ContractReport, 'durationMs' | 'outcome' | 'exitCode' | 'totals' | 'routes'>;

function reportHead(ctx: RunContext, startedAt: Date): ReportHead {
  const { options } = ctx;
  const relative = (file: string) => path.relative(CONTRACTS_ROOT, file).split(path.sep).join('/');
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    baseUrl: redactUrl(ctx.baseUrl),
    startedAt: startedAt.toISOString(),
    options: {
      api: options.api,
      failOn: options.failOn,
      wsDurationMs: options.wsDurationMs,
      firstMessageTimeoutMs: options.firstMessageTimeoutMs,
      consistencyWindowMs: options.consistencyWindowMs,
      authScheme: options.authScheme,
      token: options.token !== undefined,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      wsProtocols: options.wsProtocols,
    },
    contracts: {
      openapi: relative(ctx.contracts.model.openapiFile),
      asyncapi: relative(ctx.contracts.model.asyncapiFile),
    },
  };
}

function finish(
  head: ReportHead,
  routes: RouteReport[],
  durationMs: number,
  unreachable?: string,
): ContractReport {
  const totals = totalsOf(routes);
  const outcome =
    unreachable !== undefined
      ? 'unreachable'
      : totals.failed > 0 || totals.errored > 0
        ? 'failed'
        : 'passed';
  return {
    ...head,
    durationMs: Math.round(durationMs),
    outcome,
    exitCode: exitCodeOf(outcome, totals),
    ...(unreachable !== undefined ? { unreachable } : {}),
    totals,
    routes,
  };
}

function exitCodeOf(outcome: ContractReport['outcome'], totals: ReportTotals): ExitCode {
  if (outcome === 'unreachable') return EXIT_CODES.UNREACHABLE;
  if (totals.failed > 0) return EXIT_CODES.VIOLATIONS;
  if (totals.errored > 0) return EXIT_CODES.INTERNAL;
  return EXIT_CODES.PASSED;
}

export function totalsOf(routes: readonly RouteReport[]): ReportTotals {
  const checks = routes.flatMap((r) => r.checks);
  const severities = countBySeverity(checks.flatMap((c) => c.diagnostics));
  return {
    checks: checks.length,
    passed: checks.filter((c) => c.status === 'passed').length,
    failed: checks.filter((c) => c.status === 'failed').length,
    skipped: checks.filter((c) => c.status === 'skipped').length,
    errored: checks.filter((c) => c.status === 'errored').length,
    errors: severities.error,
    warnings: severities.warning,
  };
}
