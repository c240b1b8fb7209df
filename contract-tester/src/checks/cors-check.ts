import type { IncomingHttpHeaders } from 'node:http';
import { observed, skipped, type CheckResult } from '../check-result';
import type { HttpRouteModel } from '../contract-model';
import { CHECK_KEYWORDS, diagnostic, type ContractDiagnostic } from '../contract-diagnostic';
import { routeUrl } from '../contracts';
import { applyCredentials } from '../credentials';
import { httpExchange } from '../http-exchange';
import type { RunContext } from '../run-context';
import { runCheck } from './run-check';

export const CORS_CHECK = 'http.cors';

/**
 * A browser frontend on `--origin` must be able to call the route: the
 * preflight (Fetch standard, "CORS-preflight fetch") must get an ok status
 * and allow the origin and the `Authorization` header, and the GET itself
 * must allow the origin.
 */
export function checkCors(ctx: RunContext, route: HttpRouteModel): Promise<CheckResult> {
  const origin = ctx.options.origin;
  const title = origin
    ? `answers a CORS preflight and GET from ${origin}`
    : 'answers CORS requests';

  return runCheck({ id: CORS_CHECK, route: route.label, title }, ctx.options.failOn, async () => {
    if (origin === undefined) return skipped('no --origin given');

    const sendsAuthorization = ctx.credentials !== undefined && ctx.credentials.scheme !== 'query';
    const target = applyCredentials(routeUrl(ctx.baseUrl, route.path), ctx.credentials);
    const where = (location: string) => ({ route: route.label, check: CORS_CHECK, location });
    const found: ContractDiagnostic[] = [];

    const preflight = await httpExchange(target.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        ...(sendsAuthorization ? { 'access-control-request-headers': 'authorization' } : {}),
      },
      timeoutMs: ctx.options.requestTimeoutMs,
    });

    if (preflight.status < 200 || preflight.status > 299) {
      found.push(
        diagnostic(where('status (preflight)'), {
          keyword: CHECK_KEYWORDS.CORS,
          message: `the preflight got ${preflight.status}; a browser needs an ok status (200–299)`,
          expected: '200-299',
          actual: preflight.status,
        }),
      );
    }
    found.push(
      ...allowsOrigin(
        preflight.headers,
        origin,
        where('header Access-Control-Allow-Origin (preflight)'),
      ),
    );
    if (sendsAuthorization) {
      found.push(
        ...allowsAuthorization(
          preflight.headers,
          where('header Access-Control-Allow-Headers (preflight)'),
        ),
      );
    }

    const get = await httpExchange(target.url, {
      headers: { origin, accept: 'application/json', ...target.headers },
      timeoutMs: ctx.options.requestTimeoutMs,
    });
    found.push(
      ...allowsOrigin(get.headers, origin, where('header Access-Control-Allow-Origin (GET)')),
    );

    return observed(found, `preflight ${preflight.status}, GET ${get.status}`);
  });
}

function allowsOrigin(
  headers: IncomingHttpHeaders,
  origin: string,
  where: { route: string; check: string; location: string },
): ContractDiagnostic[] {
  const allowed = headers['access-control-allow-origin'];
  if (allowed === origin || allowed === '*') return [];

  return [
    diagnostic(where, {
      keyword: CHECK_KEYWORDS.CORS,
      message:
        allowed === undefined
          ? `no Access-Control-Allow-Origin; a browser on ${origin} cannot read the answer`
          : `Access-Control-Allow-Origin is ${allowed}, not ${origin}`,
      expected: origin,
      actual: allowed ?? null,
    }),
  ];
}

/**
 * `Authorization` must be listed by name: the `*` wildcard of
 * Access-Control-Allow-Headers does not cover it (Fetch standard, CORS
 * protocol, "Access-Control-Allow-Headers").
 */
function allowsAuthorization(
  headers: IncomingHttpHeaders,
  where: { route: string; check: string; location: string },
): ContractDiagnostic[] {
  const raw = headers['access-control-allow-headers'] ?? '';
  const names = raw.split(',').map((n) => n.trim().toLowerCase());
  if (names.includes('authorization')) return [];

  return [
    diagnostic(where, {
      keyword: CHECK_KEYWORDS.CORS,
      message: `Access-Control-Allow-Headers (${raw || 'absent'}) does not name Authorization`,
      expected: 'authorization',
      actual: raw || null,
    }),
  ];
}
