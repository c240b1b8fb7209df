import { createLogger, type IPrismDiagnostic } from '@stoplight/prism-core';
import {
  createInstance,
  getHttpOperationsFromSpec,
  type IHttpConfig,
  type IHttpRequest,
  type IHttpResponse,
  type PrismHttpComponents,
} from '@stoplight/prism-http';
import { getHttpConfigFromRequest } from '@stoplight/prism-http-server/dist/getHttpConfigFromRequest';
import defaultMock from '@stoplight/prism-http/dist/mocker';
import { validateMediaType, validateOutput } from '@stoplight/prism-http/dist/validator';
import type { IHttpOperation } from '@stoplight/types';
import type { Logger } from 'pino';
import { isNonEmpty } from 'fp-ts/Array';
import * as E from 'fp-ts/Either';
import { LIVE_OPERATIONS } from '../routes';
import type { ApiVersion } from '../scenario/scenario';

/**
 * Stands in for a response body that is the live running list. The HTTP
 * adapter writes the snapshot store's bytes in its place, so the list is
 * serialised once per change instead of once per request.
 */
export class LiveBody {
  constructor(readonly api: ApiVersion) {}
}

/** Prism's answer, and where it breaks the contract (nothing, when the document is sound). */
export interface PrismAnswer {
  output: IHttpResponse;
  violations: readonly IPrismDiagnostic[];
}

/** The mock answers of Prism with the live lists swapped in, and what it needs per request. */
export interface PrismEngine {
  operations: IHttpOperation[];
  request(input: IHttpRequest): Promise<E.Either<Error, PrismAnswer>>;
}

// Prism CLI's `mock` defaults: check security, validate requests and responses.
const BASE_CONFIG: IHttpConfig = {
  mock: { dynamic: false },
  checkSecurity: true,
  validateRequest: true,
  validateResponse: true,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
};

/**
 * Builds a Prism instance over the OpenAPI document. Prism routes, checks
 * security and the request, negotiates content and honours `Prefer`; when it
 * settles on the 200 of a running-list operation with no explicit example,
 * the live list replaces the static example.
 */
export async function createPrismEngine(openapiFile: string, log?: Logger): Promise<PrismEngine> {
  const operations = await getHttpOperationsFromSpec(openapiFile);
  // Prism's components need a logger with a `success` level: plain pino fails.
  // What it says goes into the mock's own log, through `log`.
  const logger = createLogger('prism', { level: 'error' }, prismLogInto(log));

  const mock: PrismHttpComponents['mock'] = (opts) => (log) => {
    const result = defaultMock(opts)(log);
    const api = LIVE_OPERATIONS[opts.resource.iid ?? ''];
    if (E.isLeft(result) || api === undefined) return result;
    if (result.right.statusCode !== 200 || opts.config.exampleKey || opts.config.dynamic)
      return result;
    return E.right({ ...result.right, body: new LiveBody(api) });
  };

  // The live list was checked against the contract when it was published, so
  // only its media type is checked here; anything else is checked as Prism
  // does, once per distinct answer.
  const outputChecks = new OutputChecks();
  const checkOutput: PrismHttpComponents['validateOutput'] = (arg) =>
    arg.element.body instanceof LiveBody ? checkLiveMediaType(arg) : outputChecks.check(arg);

  const prism = createInstance(BASE_CONFIG, { logger, mock, validateOutput: checkOutput });

  return {
    operations,
    async request(input) {
      const preferences = getHttpConfigFromRequest(input);
      if (E.isLeft(preferences)) return preferences;

      // A fresh mock config per request: Prism's mocker writes the Accept
      // header's media types into it, which would leak into later requests.
      const config = {
        ...BASE_CONFIG,
        mock: { ...BASE_CONFIG.mock, ...stripUndefined(preferences.right) },
      };
      const result = await prism.request(input, operations, config)();
      return E.map((r: { output: IHttpResponse; validations: { output: IPrismDiagnostic[] } }) => ({
        output: r.output,
        violations: r.validations.output,
      }))(result);
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type OutputCheck = PrismHttpComponents['validateOutput'];
type OutputCheckResult = ReturnType<OutputCheck>;

/** Most answers the mock repeats: the same example, status and headers, again and again. */
const MAX_CHECKS_PER_BODY = 64;

/**
 * Prism's check of an answer against its operation, remembered per answer.
 * Prism serves an example as the same object every time, so an answer is
 * known by its operation, status, headers and body object; its check gives
 * the same diagnostics every time and is not repeated. A body Prism builds
 * afresh (dynamic mode) is a new object and is checked each time.
 */
class OutputChecks {
  private readonly byBody = new WeakMap<object, Map<string, OutputCheckResult>>();

  check: OutputCheck = (arg) => {
    const body: unknown = arg.element.body;
    if (typeof body !== 'object' || body === null) return validateOutput(arg);
    const { statusCode, headers } = arg.element;
    const key = `${arg.resource.id}\n${statusCode}\n${JSON.stringify(headers ?? {})}`;
    let checks = this.byBody.get(body);
    const known = checks?.get(key);
    if (known !== undefined) return E.isLeft(known) ? known : E.right(arg.element);
    const result = validateOutput(arg);
    if (checks === undefined)
      this.byBody.set(body, (checks = new Map<string, OutputCheckResult>()));
    // Headers Prism makes up (dynamic mode) differ each time: keep a bounded few.
    if (checks.size >= MAX_CHECKS_PER_BODY) checks.clear();
    checks.set(key, result);
    return result;
  };
}

/** The media type of an answer whose body is the live list, against the response's contents. */
const checkLiveMediaType: OutputCheck = ({ resource, element }) => {
  const contents = resource.responses.find((r) => r.code === String(element.statusCode))?.contents;
  if (contents === undefined || !isNonEmpty(contents)) return E.right(element);
  const header = Object.entries(element.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'content-type',
  );
  // Typed as a string, but Prism's own output check passes undefined when there is no header.
  const mediaType = header === undefined ? undefined : String(header[1]);
  return E.map(() => element)(validateMediaType(contents, mediaType as string));
};

/**
 * Where Prism's own logger writes: each of its lines (errors only: a request
 * it refused, and why) becomes a warning in the mock's log, with the time and
 * component every other line has. Prism's lines carry no time and repeat the
 * `name` key once per nested component (`prism`, `NEGOTIATOR`, `VALIDATOR`);
 * the innermost is kept, as `part`. Without `log` they are dropped.
 */
function prismLogInto(log: Logger | undefined): { write(line: string): void } {
  const out = log?.child({ component: 'prism' });
  return {
    write(line) {
      if (out === undefined) return;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.warn({ line: line.trimEnd() }, 'a line from Prism that is not JSON');
        return;
      }
      const { name, msg, ...rest } = entry;
      delete rest.level;
      out.warn({ part: name, ...rest }, typeof msg === 'string' ? msg : 'Prism says');
    },
  };
}
