import type { IncomingMessage, ServerResponse } from 'node:http';
import type { createInstance, IHttpRequest } from '@stoplight/prism-http';
import type { HttpMethod, IHttpOperation } from '@stoplight/types';
import * as E from 'fp-ts/Either';
import type { Logger } from 'pino';
import { checkResponse } from '../checks/response-check';
import type { HttpRouteModel } from '../contract-model';
import type { ContractDiagnostic } from '../contract-diagnostic';
import type { Contracts } from '../contracts';
import { redactTarget } from '../credentials';
import { ERROR_CODES, InternalError } from '../errors';
import { decodeContent } from '../http-exchange';
import { endToEnd } from './hop-by-hop';
import { PROBLEM_TYPES, sendProblem } from './problem';
import type { createRawForwarder, RawResponse } from './raw-forwarder';
import type { ViolationLog, ViolationRecord } from './violation-log';

export const PROXY_HTTP_CHECK = 'proxy.http';

export interface HttpHandlerDeps {
  contracts: Contracts;
  operations: IHttpOperation[];
  prism: ReturnType<typeof createInstance>;
  raw: ReturnType<typeof createRawForwarder>;
  violations: ViolationLog;
  errors: boolean;
  log: Logger;
}

/**
 * Answers one proxied HTTP request: Prism routes it to its operation and
 * forwards it, the answer is judged by the same checks as the contract run,
 * and the raw answer (or, with `errors`, a problem+json 502) goes back.
 */
export class HttpHandler {
  private requests = 0;
  private readonly routes: Map<string, HttpRouteModel>;

  constructor(private readonly deps: HttpHandlerDeps) {
    this.routes = new Map(deps.contracts.model.http.map((r) => [r.operationId, r]));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = ++this.requests;
    const log = this.deps.log.child({ req: id });
    const target = req.url ?? '/';
    const shown = redactTarget(target);

    // The mock's control API answers loopback callers only; relayed, every
    // caller of the proxy would look like loopback to it.
    if (/^\/__mock(\/|\?|$)/.test(target)) {
      sendProblem(res, {
        type: PROBLEM_TYPES.NOT_FORWARDED,
        title: 'Not Found',
        status: 404,
        detail: 'The proxy does not forward /__mock: talk to the mock directly.',
        code: ERROR_CODES.CONTROL_NOT_FORWARDED,
      });
      return;
    }

    try {
      const body = await readBody(req);
      const input = toPrismInput(req, target);
      this.deps.raw.requests.set(input, { target, rawHeaders: req.rawHeaders, body });

      const result = await this.deps.prism.request(input, this.deps.operations)();
      if (E.isLeft(result)) return this.upstreamFailed(res, log, shown, result.left);

      const answer = this.deps.raw.responses.get(result.right.output);
      if (!answer) throw new InternalError('Prism returned an answer the forwarder did not make');

      const found = this.judge(answer);
      const replace = this.deps.errors && found.some((d) => d.severity === 'error');
      if (found.length > 0) this.report(answer, found, shown, replace, log);

      if (replace) return this.sendViolation(res, answer, found);
      log.debug({ method: req.method, target: shown, status: answer.status }, 'forwarded');
      writeRaw(res, req.method ?? 'GET', answer);
    } catch (err) {
      log.error({ err }, 'the proxy failed to answer (a bug)');
      if (!res.headersSent) {
        sendProblem(res, {
          type: PROBLEM_TYPES.INTERNAL,
          title: 'Internal Server Error',
          status: 500,
          detail: 'The validation proxy failed; see its log.',
          code: ERROR_CODES.INTERNAL,
        });
      } else res.destroy();
    }
  }

  /** The contract verdict on an answer of a documented operation; other routes pass unchecked. */
  private judge(answer: RawResponse): ContractDiagnostic[] {
    const route = this.routes.get(answer.operation?.iid ?? '');
    if (!route) return [];

    const headers = Object.fromEntries(
      endToEnd(answer.rawHeaders).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const facts = {
      status: answer.status,
      contentType: headers['content-type'],
      body: decodeContent(answer.body, headers['content-encoding']),
    };
    const checks = {
      status: PROXY_HTTP_CHECK,
      contentType: PROXY_HTTP_CHECK,
      body: PROXY_HTTP_CHECK,
    };
    const verdict = checkResponse(facts, { route, checks }, this.deps.contracts.validators);
    return [...verdict.status, ...(verdict.contentType ?? []), ...verdict.body];
  }

  private report(
    answer: RawResponse,
    diagnostics: ContractDiagnostic[],
    target: string,
    replaced: boolean,
    log: Logger,
  ): void {
    const route = diagnostics[0]?.route ?? target;
    const record: ViolationRecord = {
      time: new Date().toISOString(),
      kind: 'http',
      route,
      target,
      status: answer.status,
      replaced,
      diagnostics,
    };
    this.deps.violations.record(record);

    const first = diagnostics[0];
    log.warn(
      {
        route,
        status: answer.status,
        violations: diagnostics.length,
        first: first ? `${first.path} ${first.keyword}` : null,
        replaced,
      },
      'response violates the contract',
    );
  }

  private sendViolation(
    res: ServerResponse,
    answer: RawResponse,
    diagnostics: ContractDiagnostic[],
  ): void {
    const route = diagnostics[0]?.route ?? '';
    sendProblem(res, {
      type: PROBLEM_TYPES.CONTRACT_VIOLATION,
      title: 'The upstream answer violates the contract',
      status: 502,
      detail: `${route} answered ${answer.status} with ${diagnostics.length} contract violation${diagnostics.length === 1 ? '' : 's'}`,
      code: ERROR_CODES.CONTRACT_VIOLATION,
      upstreamStatus: answer.status,
      violations: diagnostics,
    });
  }

  private upstreamFailed(res: ServerResponse, log: Logger, target: string, err: Error): void {
    log.warn({ target, err: err.message }, 'the upstream could not be reached');
    sendProblem(res, {
      type: PROBLEM_TYPES.UPSTREAM_UNREACHABLE,
      title: 'Bad Gateway',
      status: 502,
      detail: `The upstream could not be reached: ${err.message}`,
      code: ERROR_CODES.UPSTREAM_UNREACHABLE,
    });
  }
}

/**
 * Writes the upstream's answer: its status, its end-to-end headers and its body bytes as received.
 */
function writeRaw(res: ServerResponse, method: string, answer: RawResponse): void {
  const headers = endToEnd(answer.rawHeaders);
  const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length');
  const bodyless = method === 'HEAD' || answer.status === 204 || answer.status === 304;

  // An upstream answer sent chunked has no length; the whole body is here, so give it one.
  const framing = hasLength || bodyless ? [] : ['Content-Length', String(answer.body.length)];
  res.writeHead(answer.status, [...headers.flat(), ...framing]);
  res.end(bodyless ? undefined : answer.body);
}

function toPrismInput(req: IncomingMessage, target: string): IHttpRequest {
  const url = new URL(target, 'http://proxy');
  const query: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) query[key] = [...(query[key] ?? []), value];

  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toLowerCase() as HttpMethod,
    url: { path: url.pathname, query },
    headers,
  };
}

/** Request bodies are small for this API (it has only GETs); 1 MiB bounds a stray upload. */
const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error(`request body over ${MAX_BODY} bytes`));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
