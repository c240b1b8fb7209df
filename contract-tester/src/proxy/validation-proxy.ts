import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@stoplight/prism-core';
import {
  createInstance,
  getHttpOperationsFromSpec,
  type IHttpProxyConfig,
} from '@stoplight/prism-http';
import type { Logger } from 'pino';
import { loadContracts, type Contracts } from '../contracts';
import { redactUrl } from '../credentials';
import { PROXY_DEFAULTS } from '../defaults';
import { InvalidOptionError } from '../errors';
import { HttpHandler } from './http-handler';
import { createProxyLogger } from './proxy-logger';
import { createRawForwarder } from './raw-forwarder';
import { ViolationLog } from './violation-log';
import { WsRelay } from './ws-relay';

export interface ValidationProxyOptions {
  /** The backend to forward to: `http://host:port`, optionally with a path prefix. */
  upstream: string;
  /** Default 4020; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Replace an HTTP answer that breaks the contract with a problem+json 502. */
  errors?: boolean;
  /** Append every violation to this file as one JSON line. */
  reportFile?: string;
  /** A pino logger, or false for none. Default: JSON lines on stdout (pretty on a TTY). */
  logger?: Logger | false;
  /** Contracts loaded once by the caller. */
  contracts?: Contracts;
  /** How long one upstream request may take. Default 30 s. */
  upstreamTimeoutMs?: number;
}

export interface ValidationProxy {
  url: string;
  port: number;
  /** Emits `violation` for every response or frame that broke the contract. */
  violations: ViolationLog;
  close(): Promise<void>;
}

// Prism as a pure proxy: route to the operation, forward, validate nothing
// itself. Requests pass unchanged (the upstream judges them); responses are
// checked by the same code as the contract run, so both agree.
const PRISM_CONFIG: IHttpProxyConfig = {
  mock: { dynamic: false },
  checkSecurity: false,
  validateRequest: false,
  validateResponse: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: true,
  upstream: new URL('http://127.0.0.1'),
};

/**
 * Serves the API's routes on a local port and forwards them to the
 * upstream: HTTP through Prism's proxy mode, websockets relayed frame by
 * frame. Every response and every frame is checked against the contracts
 * on its way through; violations are logged, emitted and written to the
 * report file. Answers reach the client byte for byte unless `errors` is on
 * and the answer broke the contract.
 */
export async function startValidationProxy(
  options: ValidationProxyOptions,
): Promise<ValidationProxy> {
  const upstream = parseUpstream(options.upstream);
  const log =
    options.logger === false
      ? createProxyLogger('silent')
      : (options.logger ?? createProxyLogger());
  const contracts = options.contracts ?? (await loadContracts());
  const operations = await getHttpOperationsFromSpec(contracts.model.openapiFile);
  const timeoutMs = options.upstreamTimeoutMs ?? PROXY_DEFAULTS.upstreamTimeoutMs;

  const violations = new ViolationLog(options.reportFile);
  const raw = createRawForwarder(timeoutMs);
  const prism = createInstance(
    { ...PRISM_CONFIG, upstream },
    {
      logger: createLogger('prism', { level: 'silent' }),
      forward: raw.forward,
    },
  );

  const handler = new HttpHandler({
    contracts,
    operations,
    prism,
    raw,
    violations,
    errors: options.errors === true,
    log: log.child({ component: 'http' }),
  });
  const relay = new WsRelay({
    upstream,
    routes: contracts.model.ws,
    validators: contracts.validators,
    violations,
    logger: log.child({ component: 'ws' }),
    handshakeTimeoutMs: timeoutMs,
  });

  const server = http.createServer((req, res) => void handler.handle(req, res));
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) =>
    relay.handleUpgrade(req, socket, head),
  );

  await listen(server, options.port ?? PROXY_DEFAULTS.port, options.host ?? PROXY_DEFAULTS.host);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log.info(
    {
      url,
      upstream: redactUrl(upstream),
      errors: options.errors === true,
      report: options.reportFile ?? null,
    },
    'validation proxy listening',
  );

  return {
    url,
    port: address.port,
    violations,
    close: async () => {
      relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      raw.destroy();
      await violations.close();
      log.info({ violations: violations.total }, 'validation proxy stopped');
    },
  };
}

function parseUpstream(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionError('--upstream', `${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('--upstream', `must be http:// or https://, is ${url.protocol}//`);
  }
  return url;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
