import { createLogger } from '@stoplight/prism-core';
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
import { validateOutput } from '@stoplight/prism-http/dist/validator';
import type { IHttpOperation } from '@stoplight/types';
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

/** The mock answers of Prism with the live lists swapped in, and what it needs per request. */
export interface PrismEngine {
  operations: IHttpOperation[];
  request(input: IHttpRequest): Promise<E.Either<Error, IHttpResponse>>;
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
export async function createPrismEngine(openapiFile: string): Promise<PrismEngine> {
  const operations = await getHttpOperationsFromSpec(openapiFile);
  // Prism's components need a logger with a `success` level: plain pino fails.
  const logger = createLogger('prism', { level: 'error' });

  const mock: PrismHttpComponents['mock'] = (opts) => (log) => {
    const result = defaultMock(opts)(log);
    const api = LIVE_OPERATIONS[opts.resource.iid ?? ''];
    if (E.isLeft(result) || api === undefined) return result;
    if (result.right.statusCode !== 200 || opts.config.exampleKey || opts.config.dynamic)
      return result;
    return E.right({ ...result.right, body: new LiveBody(api) });
  };

  // The live list was checked against the contract when it was published.
  const checkOutput: PrismHttpComponents['validateOutput'] = (arg) =>
    arg.element.body instanceof LiveBody ? E.right(arg.element) : validateOutput(arg);

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
      return E.map((r: { output: IHttpResponse }) => r.output)(result);
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
