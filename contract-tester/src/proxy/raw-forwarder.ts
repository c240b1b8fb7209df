import http from 'node:http';
import https from 'node:https';
import type { PrismHttpComponents, IHttpRequest, IHttpResponse } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { ContractTesterError, ERROR_CODES, InternalError } from '../errors';
import { toTransportError } from '../http-exchange';
import { endToEnd, toHeaderMap } from './hop-by-hop';

/** What Prism's request model loses and the proxy must keep: the raw target, headers and body. */
export interface RawRequest {
  /** The request target as received (`/api/tasks/running?token=…`). */
  target: string;
  rawHeaders: string[];
  body: Buffer;
}

/** The upstream's answer as received, and the operation Prism routed it to. */
export interface RawResponse {
  status: number;
  rawHeaders: string[];
  body: Buffer;
  operation?: IHttpOperation;
}

export const VIA = '1.1 running-tasks-proxy';

/**
 * A Prism `forward` component that keeps bytes. Prism's own forwarder
 * parses JSON bodies and re-serialises them, and rebuilds the query from a
 * parsed map, so what reaches the client is not what the upstream sent.
 * This one sends the original target and headers upstream and files the
 * raw answer under the response object Prism passes back, so the proxy can
 * write it out unchanged. Prism still routes the request to its operation.
 */
export function createRawForwarder(timeoutMs: number): {
  forward: PrismHttpComponents['forward'];
  requests: WeakMap<IHttpRequest, RawRequest>;
  responses: WeakMap<IHttpResponse, RawResponse>;
  /** Closes the kept-alive upstream connections. */
  destroy: () => void;
} {
  const requests = new WeakMap<IHttpRequest, RawRequest>();
  const responses = new WeakMap<IHttpResponse, RawResponse>();
  // Upstream connections are reused: a new TCP (and TLS) handshake per request would dominate the
  // overhead.
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  const forward: PrismHttpComponents['forward'] =
    (input, baseUrl, _upstreamProxy, operation) => () =>
      TE.tryCatch(async () => {
        const raw = requests.get(input.data);
        if (!raw) throw new InternalError('the proxy lost the raw request');

        const answer = await send(
          new URL(baseUrl),
          input.data.method.toUpperCase(),
          raw,
          timeoutMs,
          agents,
        );
        const output: IHttpResponse = {
          statusCode: answer.status,
          headers: toHeaderMap(endToEnd(answer.rawHeaders)),
          body: answer.body.toString('utf8'),
        };
        responses.set(output, { ...answer, ...(operation ? { operation } : {}) });
        return output;
      }, E.toError);

  const destroy = () => {
    agents.http.destroy();
    agents.https.destroy();
  };
  return { forward, requests, responses, destroy };
}

function send(
  upstream: URL,
  method: string,
  raw: RawRequest,
  timeoutMs: number,
  agents: { http: http.Agent; https: https.Agent },
): Promise<RawResponse> {
  const url = new URL(upstream);
  const target = new URL(raw.target, 'http://placeholder');
  url.pathname = `${upstream.pathname.replace(/\/+$/, '')}${target.pathname}`;
  url.search = target.search;

  // RFC 9110 §7.6.3: a proxy adds itself to Via on the messages it forwards.
  // Node adds no Host when headers are given as a list; HTTP/1.1 requires one (RFC 9112 §3.2).
  const headers = [
    'Host',
    url.host,
    ...endToEnd(raw.rawHeaders, { dropHost: true }).flat(),
    'Via',
    VIA,
  ];
  const secure = url.protocol === 'https:';
  const client = secure ? https : http;

  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method,
      headers,
      agent: secure ? agents.https : agents.http,
      timeout: timeoutMs,
    });
    req.on('timeout', () =>
      req.destroy(
        new ContractTesterError(
          ERROR_CODES.UPSTREAM_UNREACHABLE,
          `the upstream did not answer within ${timeoutMs} ms`,
        ),
      ),
    );
    req.on('error', (err) =>
      reject(err instanceof ContractTesterError ? err : toTransportError(err, false)),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => reject(toTransportError(err, true)));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 502,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.end(raw.body.length > 0 ? raw.body : undefined);
  });
}
