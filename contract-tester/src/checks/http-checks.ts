import { observed, skipped, type CheckResult } from '../check-result';
import type { HttpRouteModel } from '../contract-model';
import { CHECK_KEYWORDS, diagnostic, type ContractDiagnostic } from '../contract-diagnostic';
import { routeUrl } from '../contracts';
import { applyCredentials, wrongCredentials, type Credentials } from '../credentials';
import { httpExchange, type HttpExchange } from '../http-exchange';
import type { RunContext } from '../run-context';
import { checkCors } from './cors-check';
import { checkResponse, errorEnvelopeOf, type ResponseVerdict } from './response-check';
import { runCheck } from './run-check';

export const HTTP_CHECKS = {
  STATUS: 'http.status',
  CONTENT_TYPE: 'http.content-type',
  BODY: 'http.body',
  ERROR_ENVELOPE: 'http.error-envelope',
  AUTH: 'http.auth',
  CORS: 'http.cors',
} as const;

const CHECK_IDS = {
  status: HTTP_CHECKS.STATUS,
  contentType: HTTP_CHECKS.CONTENT_TYPE,
  body: HTTP_CHECKS.BODY,
};

/** Every HTTP check of one route, in report order. */
export async function checkHttpRoute(
  ctx: RunContext,
  route: HttpRouteModel,
): Promise<CheckResult[]> {
  const main = await checkAuthorisedGet(ctx, route);
  const envelope = await checkErrorEnvelope(ctx, route);
  const auth = await checkAuth(ctx, route);
  const cors = await checkCors(ctx, route);
  return [...main, envelope, auth, cors];
}

/** GET the route with a given set of credentials and extra headers. */
export function getRoute(
  ctx: RunContext,
  route: HttpRouteModel,
  credentials: Credentials | undefined,
  extraHeaders: Record<string, string> = {},
): Promise<HttpExchange> {
  const target = applyCredentials(routeUrl(ctx.baseUrl, route.path), credentials);
  return httpExchange(target.url, {
    headers: { accept: 'application/json', ...target.headers, ...extraHeaders },
    timeoutMs: ctx.options.requestTimeoutMs,
  });
}

/**
 * The authorised GET, judged three ways (status, Content-Type, body) from
 * one exchange, so that a wrong status and a wrong body show as two cases.
 */
async function checkAuthorisedGet(ctx: RunContext, route: HttpRouteModel): Promise<CheckResult[]> {
  const { failOn } = ctx.options;
  const success = route.success;
  let exchange: HttpExchange | undefined;
  let verdict: ResponseVerdict | undefined;

  const status = await runCheck(
    {
      id: HTTP_CHECKS.STATUS,
      route: route.label,
      title: `answers ${success.status} to an authorised GET`,
    },
    failOn,
    async () => {
      exchange = await getRoute(ctx, route, ctx.credentials);
      verdict = checkResponse(
        facts(exchange),
        { route, checks: CHECK_IDS, allowedStatuses: [success.status] },
        ctx.contracts.validators,
      );
      return observed(
        verdict.status,
        `${exchange.status} in ${Math.round(exchange.durationMs)} ms`,
      );
    },
  );

  const noAnswer = 'the GET got no answer';
  const contentType = await runCheck(
    {
      id: HTTP_CHECKS.CONTENT_TYPE,
      route: route.label,
      title: `Content-Type is ${success.mediaTypes.join(' or ')}`,
    },
    failOn,
    () => {
      if (!verdict || !exchange) return skipped(noAnswer);
      if (!verdict.contentType) return skipped(verdict.contentTypeSkip ?? noAnswer);
      return observed(
        verdict.contentType,
        `Content-Type: ${exchange.headers['content-type'] ?? '(none)'}`,
      );
    },
  );

  const body = await runCheck(
    {
      id: HTTP_CHECKS.BODY,
      route: route.label,
      title: `body is a valid ${success.schemaTitle ?? 'document'}`,
    },
    failOn,
    () => {
      if (!verdict || !exchange) return skipped(noAnswer);
      const notes = Array.isArray(verdict.json) ? [plural(verdict.json.length, 'task')] : [];
      return observed(verdict.body, ...notes);
    },
  );
  return [status, contentType, body];
}

/**
 * Asks for the documented error with `Prefer: code=400` (RFC 7240), which
 * Prism-based mocks honour. A real backend ignores the header and answers
 * 200; then the envelope is only checked when another check meets an error.
 */
function checkErrorEnvelope(ctx: RunContext, route: HttpRouteModel): Promise<CheckResult> {
  const envelope = errorEnvelopeOf(route);
  const title = `an error answer has the ${envelope?.schemaTitle ?? 'error'} envelope`;

  return runCheck(
    { id: HTTP_CHECKS.ERROR_ENVELOPE, route: route.label, title },
    ctx.options.failOn,
    async () => {
      if (!envelope) return skipped('the operation documents no error envelope');

      const exchange = await getRoute(ctx, route, ctx.credentials, {
        prefer: `code=${envelope.status}`,
      });
      if (exchange.status >= 200 && exchange.status < 300) {
        return skipped(
          `the backend ignored "Prefer: code=${envelope.status}" and answered ${exchange.status}`,
        );
      }

      const verdict = checkResponse(
        facts(exchange),
        { route, checks: idsFor(HTTP_CHECKS.ERROR_ENVELOPE), allowedStatuses: [envelope.status] },
        ctx.contracts.validators,
      );
      return observed(allOf(verdict), `${exchange.status} for "Prefer: code=${envelope.status}"`);
    },
  );
}

/**
 * With a token configured the backend is taken to require one: a GET
 * without it, and one with a wrong token, must both get the documented 401
 * with its body.
 */
function checkAuth(ctx: RunContext, route: HttpRouteModel): Promise<CheckResult> {
  const unauthorised = route.responses.find((r) => r.status === 401);
  const title = `answers 401 with its ${unauthorised?.schemaTitle ?? ''} body without a token or with a wrong one`;

  return runCheck(
    { id: HTTP_CHECKS.AUTH, route: route.label, title },
    ctx.options.failOn,
    async () => {
      if (!ctx.credentials)
        return skipped('no --token given, so no way to tell whether one is required');
      if (!unauthorised) return skipped('the operation documents no 401');

      const found: ContractDiagnostic[] = [];
      const notes: string[] = [];
      const probes: [string, Credentials | undefined][] = [
        ['without a token', undefined],
        ['with a wrong token', wrongCredentials(ctx.credentials)],
      ];

      for (const [how, credentials] of probes) {
        const exchange = await getRoute(ctx, route, credentials);
        const verdict = checkResponse(
          facts(exchange),
          { route, checks: idsFor(HTTP_CHECKS.AUTH), allowedStatuses: [401] },
          ctx.contracts.validators,
        );
        notes.push(`${exchange.status} ${how}`);
        found.push(...allOf(verdict).map((d) => relabel(d, how)));
      }
      return observed(found, ...notes);
    },
  );
}

function relabel(d: ContractDiagnostic, how: string): ContractDiagnostic {
  if (d.keyword !== CHECK_KEYWORDS.STATUS) return { ...d, location: `${d.location} (${how})` };
  return diagnostic(
    { route: d.route, check: d.check, location: `status (${how})` },
    {
      keyword: CHECK_KEYWORDS.AUTH,
      message: `${how}: ${d.message}`,
      expected: 401,
      actual: d.actual,
      schemaPath: d.schemaPath,
    },
  );
}

function allOf(verdict: ResponseVerdict): ContractDiagnostic[] {
  return [...verdict.status, ...(verdict.contentType ?? []), ...verdict.body];
}

function idsFor(check: string): { status: string; contentType: string; body: string } {
  return { status: check, contentType: check, body: check };
}

export function facts(exchange: HttpExchange): {
  status: number;
  contentType: string | undefined;
  body: Buffer;
} {
  return {
    status: exchange.status,
    contentType: exchange.headers['content-type'],
    body: exchange.body,
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
