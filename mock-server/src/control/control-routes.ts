import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import {
  BadControlRequestError,
  ControlError,
  ControlMediaTypeError,
  ControlMethodError,
  ControlNotFoundError,
  isScenarioError,
  isSettingError,
} from '../errors';
import { sendProblem } from '../http/problem';
import { latencySettingsFrom } from '../latency/latency-policy';
import type { ApiVersion } from '../scenario/scenario';
import { checkControlAccess, CONTROL_PREFIX, type ControlAccessOptions } from './control-access';
import type { MockController } from './mock-controller';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ControlRoutesOptions {
  controller: MockController;
  access: ControlAccessOptions;
  /** The control API's own OpenAPI document, served at /__mock/openapi.yaml. */
  documentFile: string;
  log: Logger;
}

interface Answer {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  /** As the index and the OpenAPI document write it: `/tasks/{api}/{id}`. */
  path: string;
  pattern: RegExp;
  /** Whether the route reads a JSON body. */
  body: boolean;
  run(params: string[], body: unknown): Promise<Answer> | Answer;
}

/**
 * The control API under /__mock: the same operations as MockController,
 * over HTTP, answered with JSON, refused with problem+json (RFC 7807) that
 * carries a stable `code`. See openapi/mock-control.yaml.
 */
export function createControlRoutes(
  options: ControlRoutesOptions,
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const routes = buildRoutes(options);

  return async (req, res, url) => {
    try {
      checkControlAccess(req, options.access);
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0)
        throw new ControlNotFoundError(`no control route ${url.pathname} (see ${CONTROL_PREFIX})`);

      const route = matching.find((r) => r.method === req.method);
      if (route === undefined)
        throw new ControlMethodError(
          url.pathname,
          matching.map((r) => r.method),
        );

      const body = route.body ? await readJson(req) : undefined;
      const params = route.pattern.exec(url.pathname)?.slice(1) ?? [];
      sendAnswer(res, await route.run(params, body));
    } catch (err) {
      sendControlError(res, err, options.log);
    }
  };
}

/** Path parameters, as the patterns match them. */
const PARAMETERS: Record<string, string> = { '{api}': '(v1|v2)', '{id}': '([\\w-]+)' };

function route(
  method: string,
  path: string,
  run: Route['run'],
  options: { body?: boolean } = {},
): Route {
  const source = path.replace(/\{\w+\}/g, (name) => PARAMETERS[name] ?? name);
  const pattern = new RegExp(`^${CONTROL_PREFIX}${source}$`);
  return { method, path, pattern, body: options.body ?? false, run };
}

function buildRoutes({ controller, documentFile }: ControlRoutesOptions): Route[] {
  const ok = (body: unknown): Answer => ({ status: 200, body });
  const none = (act: () => void): Answer => {
    act();
    return { status: 204 };
  };
  const withBody = { body: true };

  const routes: Route[] = [
    route('GET', '/openapi.yaml', async () => ({
      status: 200,
      body: new YamlText(await readFile(documentFile, 'utf8')),
    })),
    route('GET', '/state', () => ok(controller.state())),
    route('GET', '/clock', () => ok(controller.clock())),
    route('POST', '/clock/pause', () => ok(controller.pause())),
    route('POST', '/clock/resume', () => ok(controller.resume())),
    route('POST', '/clock/step', () => ok(controller.step())),
    route('POST', '/clock/seek', (_, b) => ok(controller.seek(timeField(b, 'to'))), withBody),
    route(
      'POST',
      '/clock/speed',
      (_, b) => ok(controller.setSpeed(numberField(b, 'speed'))),
      withBody,
    ),
    route('POST', '/reset', () => ok(controller.reset())),
    route('GET', '/scenarios', () => controller.scenarios().then(ok)),
    route('GET', '/scenario', () => ok(controller.scenarioView())),
    route(
      'PUT',
      '/scenario',
      async (_, b) => ok(await controller.switchScenario(stringField(b, 'scenario'))),
      withBody,
    ),
    route('GET', '/tasks/{api}', ([api]) => ok(controller.list(api as ApiVersion))),
    route(
      'POST',
      '/tasks/{api}',
      ([api], b) => ({ status: 201, body: controller.tasks.add(api as ApiVersion, b) }),
      withBody,
    ),
    route(
      'PATCH',
      '/tasks/{api}/{id}',
      ([api, id], b) =>
        ok(controller.tasks.patch(api as ApiVersion, taskId(api, id), objectField(b, 'set'))),
      withBody,
    ),
    route('DELETE', '/tasks/{api}/{id}', ([api, id]) =>
      none(() => controller.tasks.remove(api as ApiVersion, taskId(api, id))),
    ),
    route('DELETE', '/overlay', () => none(() => controller.tasks.clear())),
    route('GET', '/latency', () => ok(controller.latency())),
    route('PUT', '/latency', (_, b) => ok(controller.setLatency(latencySettingsFrom(b))), withBody),
    route('GET', '/faults', () => ok(controller.faults())),
    route('POST', '/faults', (_, b) => ({ status: 201, body: controller.addFault(b) }), withBody),
    route('DELETE', '/faults', () => none(() => controller.clearFaults())),
    route('DELETE', '/faults/{id}', ([id]) => none(() => controller.removeFault(id ?? ''))),
    route('GET', '/reload', () => ok(controller.reloadStatus())),
    route('POST', '/reload', async () => {
      const status = await controller.reload();
      if (status.last?.ok === false) return { status: 422, body: new ReloadFailed(status) };
      return ok(status);
    }),
  ];

  const index = {
    description: 'Control API of the running-tasks mock; its OpenAPI document is at `document`.',
    document: `${CONTROL_PREFIX}/openapi.yaml`,
    routes: routes.map((r) => `${r.method} ${CONTROL_PREFIX}${r.path}`),
  };
  return [route('GET', '/?', () => ok(index)), ...routes];
}

/** A task id from the path: digits, or there is no such task. */
function taskId(api: string | undefined, id: string | undefined): number {
  if (!/^\d+$/.test(id ?? ''))
    throw new ControlNotFoundError(`no ${api ?? ''} task ${id ?? ''} is running`);
  return Number(id);
}

/** The control API's own document, sent as YAML rather than JSON. */
class YamlText {
  constructor(readonly text: string) {}
}

/** A reload that failed: answered as a problem, with the file, path and reason of each issue. */
class ReloadFailed {
  constructor(readonly status: ReturnType<MockController['reloadStatus']>) {}
}

function sendAnswer(res: ServerResponse, answer: Answer): void {
  if (answer.body instanceof YamlText) {
    res.writeHead(200, {
      'Content-Type': 'application/yaml; charset=utf-8',
      'Content-Length': Buffer.byteLength(answer.body.text),
    });
    res.end(answer.body.text);
    return;
  }
  if (answer.body instanceof ReloadFailed) {
    sendProblem(res, 422, {
      ...problem(
        'RT_RELOAD_FAILED',
        'Reload Failed',
        'the edit was refused; the last good state keeps serving',
      ),
      issues: answer.body.status.last?.issues ?? [],
      reload: answer.body.status,
    });
    return;
  }
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status, { 'Cache-Control': 'no-store' });
    res.end();
    return;
  }

  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendControlError(res: ServerResponse, err: unknown, log: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ControlMethodError) {
    const allow = (err.details.allow as string[]).join(', ');
    sendProblem(res, 405, problem(err.code, 'Method Not Allowed', err.message), { Allow: allow });
    return;
  }
  if (err instanceof ControlError) {
    sendProblem(res, err.status, {
      ...problem(err.code, titleOf(err.status), err.message),
      ...err.details,
    });
    return;
  }
  if (isSettingError(err)) {
    sendProblem(res, 400, problem(err.code, 'Bad Request', err.message));
    return;
  }
  if (isScenarioError(err)) {
    sendProblem(res, 422, {
      ...problem(err.code, 'Invalid Scenario', err.message),
      issues: err.issues,
    });
    return;
  }

  log.error({ err }, 'control request failed (a bug in the mock server)');
  sendProblem(
    res,
    500,
    problem(
      'RT_INTERNAL',
      'Internal Server Error',
      'the control request failed; see the mock server log',
    ),
  );
}

/** A problem+json body with our stable `code` as an extension member (RFC 7807 section 3.2). */
function problem(
  code: string,
  title: string,
  detail: string,
): { type: string; title: string; detail: string; code: string } {
  return { type: 'about:blank', title, detail, code };
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
  };
  return titles[status] ?? 'Error';
}

/**
 * The request's JSON body. Only `application/json` (or `+json`) is read: a
 * page can send text/plain across origins without a preflight, JSON it
 * cannot (Fetch standard, CORS-safelisted request headers).
 */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new BadControlRequestError(`bodies are limited to ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) throw new BadControlRequestError('this route needs a JSON body');
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
    throw new ControlMediaTypeError();

  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (err) {
    throw new BadControlRequestError(`the body is not valid JSON: ${(err as Error).message}`);
  }
}

function field(body: unknown, name: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new BadControlRequestError(`the body is a JSON object with "${name}"`);
  return (body as Record<string, unknown>)[name];
}

function stringField(body: unknown, name: string): string {
  const value = field(body, name);
  if (typeof value !== 'string' || value === '')
    throw new BadControlRequestError(`"${name}" is a non-empty string`);
  return value;
}

function numberField(body: unknown, name: string): number {
  const value = field(body, name);
  if (typeof value !== 'number') throw new BadControlRequestError(`"${name}" is a number`);
  return value;
}

function objectField(body: unknown, name: string): unknown {
  const value = field(body, name);
  if (value === undefined) throw new BadControlRequestError(`the body needs "${name}"`);
  return value;
}

/** A scenario time: a number of ms, or text like `30s`, `1.5m`, `500ms`. */
function timeField(body: unknown, name: string): number {
  const value = field(body, name);
  if (typeof value === 'number') return value;
  const match =
    typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value) : null;
  if (!match)
    throw new BadControlRequestError(
      `"${name}" is a time: a number of ms, or text like 30s or 1.5m`,
    );
  const n = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000;
}
