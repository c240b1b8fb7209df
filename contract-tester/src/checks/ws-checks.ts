import { observed, skipped, type CheckOutcome, type CheckResult } from '../check-result';
import type { WsRouteModel } from '../contract-model';
import { CHECK_KEYWORDS, diagnostic, type ContractDiagnostic } from '../contract-diagnostic';
import { routeUrl } from '../contracts';
import { applyCredentials } from '../credentials';
import type { RunContext } from '../run-context';
import { idsOf, SnapshotSampler } from '../snapshot-sampler';
import { tryHandshake, watchStream, type StreamRecord } from '../ws-watch';
import { getRoute } from './http-checks';
import { checkMessages } from './message-check';
import { judgeSnapshots } from './snapshot-check';
import { runCheck } from './run-check';
import { parseJson } from './response-check';

export const WS_CHECKS = {
  AUTH: 'ws.auth',
  HANDSHAKE: 'ws.handshake',
  FIRST_MESSAGE: 'ws.first-message',
  MESSAGES: 'ws.messages',
  SNAPSHOTS: 'ws.snapshots',
  PING: 'ws.ping',
  CLOSE: 'ws.close',
} as const;

/**
 * Codes a server may send in a close frame (RFC 6455 §7.4.1, §7.4.2 and
 * the IANA registry): 1004, 1005, 1006 and 1015 are reserved and never
 * appear on the wire.
 */
const PROPER_CLOSE_CODES = new Set([
  1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
]);

/** Every websocket check of one channel, in report order. */
export async function checkWsRoute(ctx: RunContext, route: WsRouteModel): Promise<CheckResult[]> {
  const auth = await checkWsAuth(ctx, route);
  const { record, sampler } = await watch(ctx, route);
  const { failOn } = ctx.options;
  const head = (id: string, title: string) => ({ id, route: route.label, title });
  const connected = record.handshake.ok;
  const noConnection = 'the handshake failed';

  const checks: [id: string, title: string, judge: () => CheckOutcome][] = [
    [WS_CHECKS.HANDSHAKE, handshakeTitle(ctx), () => judgeHandshake(route, record)],
    [
      WS_CHECKS.FIRST_MESSAGE,
      `sends a first message within ${ctx.options.firstMessageTimeoutMs} ms`,
      () => judgeFirstMessage(ctx, route, record),
    ],
    [
      WS_CHECKS.MESSAGES,
      `every message is JSON text valid against ${route.schemaTitle}`,
      () => checkMessages(route, record, ctx.contracts.validators),
    ],
    [
      WS_CHECKS.SNAPSHOTS,
      `every message is the full list that ${route.http.label} returns`,
      () => judgeSnapshots(route, record, sampler.samples, ctx.options.consistencyWindowMs),
    ],
    [WS_CHECKS.PING, 'answers a ping with a pong', () => judgePing(ctx, route, record)],
    [
      WS_CHECKS.CLOSE,
      'closes with a close frame and a proper code, not a reset',
      () => judgeClose(ctx, route, record),
    ],
  ];

  // Without a connection only the handshake can be judged.
  const results = [auth];
  for (const [id, title, judge] of checks) {
    const guarded = connected || id === WS_CHECKS.HANDSHAKE ? judge : () => skipped(noConnection);
    results.push(await runCheck(head(id, title), failOn, guarded));
  }
  return results;
}

async function watch(
  ctx: RunContext,
  route: WsRouteModel,
): Promise<{ record: StreamRecord; sampler: SnapshotSampler }> {
  const sampler = new SnapshotSampler(async () => {
    const exchange = await getRoute(ctx, route.http, ctx.credentials);
    if (exchange.status !== route.http.success.status)
      throw new Error(`GET answered ${exchange.status}`);

    const parsed = parseJson(exchange.body);
    const ids = parsed.ok ? idsOf(parsed.value, route.idProperty) : undefined;
    if (!ids) throw new Error('the GET body is not a list of tasks');
    return ids;
  });

  // A GET before connecting: the snapshot sent on connect may show a list
  // that changes again before the first GET taken after a message.
  await sampler.prime();

  const target = applyCredentials(routeUrl(ctx.baseUrl, route.address, 'ws'), ctx.credentials);
  const record = await watchStream({
    url: target.url,
    headers: target.headers,
    ...(ctx.options.origin !== undefined ? { origin: ctx.options.origin } : {}),
    protocols: ctx.options.wsProtocols,
    durationMs: ctx.options.wsDurationMs,
    firstMessageTimeoutMs: ctx.options.firstMessageTimeoutMs,
    handshakeTimeoutMs: ctx.options.requestTimeoutMs,
    pingTimeoutMs: ctx.options.pingTimeoutMs,
    closeTimeoutMs: ctx.options.closeTimeoutMs,
    onMessage: () => sampler.request(),
  });

  await sampler.finish();
  return { record, sampler };
}

function handshakeTitle(ctx: RunContext): string {
  const parts = ['upgrades to a websocket (101)'];
  if (ctx.options.wsProtocols.length > 0)
    parts.push(`agreeing on one of ${ctx.options.wsProtocols.join(', ')}`);
  if (ctx.options.origin !== undefined) parts.push(`for Origin ${ctx.options.origin}`);
  return parts.join(' ');
}

function judgeHandshake(route: WsRouteModel, record: StreamRecord): CheckOutcome {
  const hs = record.handshake;
  if (hs.ok) {
    const protocol = hs.protocol === '' ? 'no sub-protocol' : `sub-protocol ${hs.protocol}`;
    return observed([], `101 in ${Math.round(hs.durationMs)} ms, ${protocol}`);
  }

  const where = { route: route.label, check: WS_CHECKS.HANDSHAKE, location: 'handshake' };
  const message =
    hs.status !== undefined
      ? `answered ${hs.status} instead of 101 Switching Protocols${hs.body ? `: ${hs.body}` : ''}`
      : `the handshake failed: ${hs.error?.message ?? 'unknown reason'}`;
  return observed([
    diagnostic(where, {
      keyword: CHECK_KEYWORDS.HANDSHAKE,
      message,
      expected: 101,
      actual: hs.status ?? hs.error?.code ?? null,
      schemaPath: channelPointer(route),
    }),
  ]);
}

function judgeFirstMessage(
  ctx: RunContext,
  route: WsRouteModel,
  record: StreamRecord,
): CheckOutcome {
  const bound = ctx.options.firstMessageTimeoutMs;
  const first = record.frames[0];
  if (first && first.atMs <= bound) return observed([], `after ${Math.round(first.atMs)} ms`);

  const where = { route: route.label, check: WS_CHECKS.FIRST_MESSAGE, location: 'message #0' };
  return observed([
    diagnostic(where, {
      keyword: CHECK_KEYWORDS.FIRST_MESSAGE,
      message: first
        ? `the first message came after ${Math.round(first.atMs)} ms; the contract sends the snapshot at once on connect`
        : `no message within ${bound} ms; the contract sends the snapshot at once on connect`,
      expected: `≤ ${bound} ms`,
      actual: first ? Math.round(first.atMs) : null,
      schemaPath: channelPointer(route),
    }),
  ]);
}

function judgePing(ctx: RunContext, route: WsRouteModel, record: StreamRecord): CheckOutcome {
  const ping = record.ping;
  const where = { route: route.label, check: WS_CHECKS.PING, location: 'ping' };
  if (ping?.rttMs !== undefined && ping.echoed)
    return observed([], `pong after ${Math.round(ping.rttMs)} ms`);

  const message =
    ping?.rttMs === undefined
      ? `no pong within ${ctx.options.pingTimeoutMs} ms (RFC 6455 §5.5.2: a ping must be answered with a pong)`
      : 'the pong did not carry the ping’s data (RFC 6455 §5.5.3)';
  return observed([
    diagnostic(where, {
      keyword: CHECK_KEYWORDS.PING,
      message,
      expected: 'pong',
      actual: ping?.rttMs === undefined ? null : 'pong with other data',
    }),
  ]);
}

function judgeClose(ctx: RunContext, route: WsRouteModel, record: StreamRecord): CheckOutcome {
  const close = record.close;
  const where = { route: route.label, check: WS_CHECKS.CLOSE, location: 'close' };
  const fail = (
    message: string,
    actual: unknown,
    severity: 'error' | 'warning' = 'error',
  ): CheckOutcome =>
    observed([
      diagnostic(where, {
        severity,
        keyword: CHECK_KEYWORDS.CLOSE,
        message,
        expected: 'a close frame with a proper code',
        actual,
      }),
    ]);

  if (!close) return fail('the connection did not end within the watch', null);
  if (close.timedOut) {
    return fail(
      `no close frame within ${ctx.options.closeTimeoutMs} ms of the client's (RFC 6455 §5.5.1)`,
      'timeout',
    );
  }
  if (close.error && close.error.code !== 'EUNKNOWN') {
    return fail(
      `the connection failed: ${close.error.message} (${close.error.code})`,
      close.error.code,
    );
  }
  if (close.code === 1006) {
    const when =
      close.initiator === 'client'
        ? "after the client's close frame"
        : `after ${Math.round(close.atMs)} ms`;
    return fail(
      `the connection ended without a close frame ${when} (code 1006, RFC 6455 §7.1.5)`,
      1006,
    );
  }
  if (
    close.code !== 1005 &&
    !PROPER_CLOSE_CODES.has(close.code) &&
    (close.code < 3000 || close.code > 4999)
  ) {
    return fail(
      `close code ${close.code} is not one a server may send (RFC 6455 §7.4)`,
      close.code,
    );
  }
  if (close.initiator === 'server') {
    const watchedFor = Math.round(close.atMs);
    return fail(
      `the server closed the stream after ${watchedFor} ms (code ${close.code}${close.reason ? `, ${close.reason}` : ''}), before the watch ended`,
      close.code,
      'warning',
    );
  }
  return observed([], `closed by the client, server answered ${close.code}`);
}

function channelPointer(route: WsRouteModel): string {
  return `asyncapi#/channels/${route.channelId}`;
}

/**
 * With a token configured, a handshake without one must be refused with
 * 401 (the AsyncAPI servers list bearer, apiKey and queryToken security).
 */
function checkWsAuth(ctx: RunContext, route: WsRouteModel): Promise<CheckResult> {
  const title = 'refuses the handshake with 401 without a token';

  return runCheck(
    { id: WS_CHECKS.AUTH, route: route.label, title },
    ctx.options.failOn,
    async () => {
      if (!ctx.credentials)
        return skipped('no --token given, so no way to tell whether one is required');

      const url = routeUrl(ctx.baseUrl, route.address, 'ws');
      const probe = await tryHandshake(url, {}, ctx.options.requestTimeoutMs);
      if (probe.status === 401) return observed([], '401 without a token');

      const where = {
        route: route.label,
        check: WS_CHECKS.AUTH,
        location: 'handshake (without a token)',
      };
      const found: ContractDiagnostic = diagnostic(where, {
        keyword: CHECK_KEYWORDS.AUTH,
        message: probe.upgraded
          ? 'upgraded without a token; expected 401'
          : `answered ${probe.status ?? probe.error?.code ?? 'nothing'} without a token; expected 401`,
        expected: 401,
        actual: probe.status ?? probe.error?.code ?? null,
        schemaPath: channelPointer(route),
      });
      return observed([found]);
    },
  );
}
