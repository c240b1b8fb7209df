import pino, { type Logger } from 'pino';
import { redactUrl } from '../auth';
import { LineSink } from '../line-sink';
import type { Exchange } from './exchange';

/** Logs one answered request: what was asked, how it ended, how long it took. */
export type RequestLog = (x: Exchange) => void;

/** The fields of a request's line, after `level`, `time` and the logger's bindings. */
export function requestFields(x: Exchange): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    reqId: x.id,
    method: x.req.method,
    url: redactUrl(x.req.url ?? '/'),
    status: x.status,
    ms: elapsedMs(x),
  };
  if (x.fault !== undefined) fields.fault = x.fault;
  if (x.delayMs !== undefined) fields.delayMs = x.delayMs;
  return fields;
}

/**
 * The request log of `log`. On the mock's own JSON log (the one whose lines
 * go to a LineSink, made by `createMockLogger` with pino's default format)
 * the line is built in one template, the same line pino would write for
 * `requestFields`: a busy mock logs tens of thousands a second, and pino's
 * generic path (an object per line, its keys walked and each value
 * serialised) cost about 2 µs of a 20 µs request. Any other logger
 * (pretty output on a terminal, one passed in) gets the fields through pino.
 */
export function createRequestLog(log: Logger): RequestLog {
  const stream: unknown = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (!(stream instanceof LineSink)) {
    return (x) => {
      if (log.isLevelEnabled('info')) log.info(requestFields(x), 'request');
    };
  }

  const bindings = JSON.stringify(log.bindings()).slice(1, -1);
  const head = `{"level":${log.levels.values.info},"time":`;
  const afterTime = bindings === '' ? ',' : `,${bindings},`;
  return (x) => {
    if (!log.isLevelEnabled('info')) return;
    const url = JSON.stringify(redactUrl(x.req.url ?? '/'));
    let line = `${head}${Date.now()}${afterTime}"reqId":${x.id},"method":${JSON.stringify(x.req.method)},"url":${url},"status":${x.status},"ms":${elapsedMs(x)}`;
    if (x.fault !== undefined) line += `,"fault":${JSON.stringify(x.fault)}`;
    if (x.delayMs !== undefined) line += `,"delayMs":${x.delayMs}`;
    stream.write(`${line},"msg":"request"}\n`);
  };
}

/** Milliseconds since the request came in, to two decimals. */
function elapsedMs(x: Exchange): number {
  return Math.round((performance.now() - x.started) * 100) / 100;
}
