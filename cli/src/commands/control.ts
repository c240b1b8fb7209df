import { readFile } from 'node:fs/promises';
import { EXIT, type Command } from '../command';
import { UsageError, type OptionValues } from '../options';
import { ControlClient, ControlRefused, type Call } from './control-client';

export const controlCommand: Command = {
  name: 'control',
  summary: 'Drive a running mock: scenario, clock, ad hoc tasks, latency, faults, reload.',
  description:
    'Talks to the control API (/__mock) of a mock started with `running-tasks mock`.\n' +
    'Several actions may be given at once; they run in this order: --scenario, --reset,\n' +
    '--pause, --speed, --seek, --resume, --step, --remove-task, --add-task, --patch-task,\n' +
    '--latency, --clear-faults, --remove-fault, --fault, --reload; then it prints the\n' +
    'clock (or with --state everything, with --scenarios the scenarios).\n' +
    'Examples:\n' +
    '  running-tasks control --pause --seek 30s\n' +
    '  running-tasks control --patch-task 39 --api v1 --set \'{"build_task.status":"failed"}\'\n' +
    '  running-tasks control --fault 500 --route /api/tasks/running --count 3\n' +
    '  running-tasks control --fault drop --target open',
  options: [
    {
      name: 'url',
      type: 'string',
      default: 'http://127.0.0.1:4010',
      env: 'RUNNING_TASKS_URL',
      placeholder: 'url',
      help: 'The mock to drive.',
    },
    {
      name: 'control-token',
      type: 'string',
      env: 'RUNNING_TASKS_CONTROL_TOKEN',
      placeholder: 'token',
      help: 'The control token the mock was started with, if any.',
    },
    {
      name: 'state',
      type: 'boolean',
      help: 'Print the whole state: scenario, clock, lists, edits, latency, faults.',
    },
    {
      name: 'scenarios',
      type: 'boolean',
      help: 'List the built-in scenarios and the one being served.',
    },
    {
      name: 'scenario',
      type: 'string',
      placeholder: 'name|path',
      help: 'Switch to this scenario, from its start.',
    },
    {
      name: 'reset',
      type: 'boolean',
      help: 'Back to how the mock started: clock, speed, no edits, faults or extra latency.',
    },
    {
      name: 'speed',
      type: 'number',
      placeholder: 'x',
      min: 0.001,
      max: 10_000,
      help: 'Scenario seconds per real second.',
    },
    {
      name: 'seek',
      type: 'duration',
      placeholder: 'time',
      min: 0,
      help: 'Jump to this scenario time (30s, 1m, 1500ms).',
    },
    { name: 'pause', type: 'boolean', help: 'Stop the scenario clock.' },
    { name: 'resume', type: 'boolean', help: 'Start the scenario clock again.' },
    {
      name: 'step',
      type: 'boolean',
      help: 'Jump to the next change on the timeline and stay paused.',
    },
    {
      name: 'api',
      type: 'string',
      choices: ['v1', 'v2'],
      placeholder: 'v1|v2',
      help: 'The list a task action works on.',
    },
    {
      name: 'add-task',
      type: 'string',
      placeholder: 'file.json',
      help: 'Add the task in this file (wire format) to the list.',
    },
    {
      name: 'patch-task',
      type: 'integer',
      placeholder: 'id',
      help: 'Change fields of this running task; give them with --set.',
    },
    {
      name: 'set',
      type: 'string',
      placeholder: 'json',
      help: 'For --patch-task: {"build_task.status":"failed","updated":"$now"}.',
    },
    {
      name: 'remove-task',
      type: 'integer',
      placeholder: 'id',
      help: 'Take this task out of the list.',
    },
    {
      name: 'latency',
      type: 'string',
      placeholder: 'delay|off',
      help: 'Delay every route (or --route): 200ms, 100ms-1s, longtail:80ms-2s, off.',
    },
    {
      name: 'route',
      type: 'string',
      placeholder: 'path',
      help: 'The route --latency or --fault applies to (default: every route).',
    },
    {
      name: 'fault',
      type: 'string',
      placeholder: 'kind',
      help: 'Inject a fault: 6808, 401, 500, empty, truncated (HTTP); close, drop, stall, malformed, non-json (websocket).',
    },
    {
      name: 'count',
      type: 'integer',
      min: 1,
      placeholder: 'n',
      help: 'For --fault: hit the next n requests (or connections) only.',
    },
    {
      name: 'share',
      type: 'number',
      min: 0.0001,
      max: 1,
      placeholder: 'x',
      help: 'For --fault: hit this share of requests (0.1 = one in ten).',
    },
    {
      name: 'target',
      type: 'string',
      choices: ['next', 'all', 'open'],
      placeholder: 'which',
      help: 'For a websocket --fault: the next connections, all, or those open now.',
    },
    {
      name: 'after',
      type: 'integer',
      min: 0,
      placeholder: 'n',
      help: 'For a websocket --fault: fire once the connection got n messages.',
    },
    {
      name: 'close-code',
      type: 'integer',
      min: 1000,
      max: 4999,
      placeholder: 'code',
      help: 'For --fault close: the close code (default 1011).',
    },
    {
      name: 'reason',
      type: 'string',
      placeholder: 'text',
      help: 'For --fault close: the close reason.',
    },
    { name: 'clear-faults', type: 'boolean', help: 'Remove every fault rule.' },
    {
      name: 'remove-fault',
      type: 'string',
      placeholder: 'id',
      help: 'Remove one fault rule (ids are shown when added).',
    },
    {
      name: 'reload',
      type: 'boolean',
      help: 'Reload contracts and scenario now (also with --no-watch).',
    },
  ],

  async run(values) {
    const client = new ControlClient(String(values.url), optional(values['control-token']));
    try {
      for (const step of await plan(values)) {
        const result =
          typeof step.call === 'function' ? await step.call(client) : await client.call(step.call);
        if (step.print !== undefined) console.log(step.print(result));
      }
      return EXIT.OK;
    } catch (err) {
      if (err instanceof ControlRefused) {
        console.error(`running-tasks control: ${err.message}`);
        // A value the mock refuses is bad input, as a bad flag is; no mock at all is exit 3.
        if (err.status === undefined) return EXIT.UNREACHABLE;
        return err.status === 400 || err.status === 422 ? EXIT.USAGE : EXIT.FAILURE;
      }
      throw err;
    }
  },
};

interface Step {
  /** One call, or a function making several (an edit that needs the current settings). */
  call: Call | ((client: ControlClient) => Promise<unknown>);
  print?: (result: unknown) => string;
}

/** The calls the flags ask for, in the documented order. */
async function plan(values: OptionValues): Promise<Step[]> {
  const steps: Step[] = [];
  const clock = (result: unknown): string => describeClock(result as ClockLike);
  const json = (result: unknown): string => JSON.stringify(result, null, 2);
  const done = (what: string) => (): string => what;

  const scenario = optional(values.scenario);
  if (scenario !== undefined)
    steps.push({
      call: { method: 'PUT', path: '/scenario', body: { scenario } },
      print: (r) => `serving scenario ${(r as { name: string }).name}`,
    });
  if (values.reset === true) steps.push({ call: { method: 'POST', path: '/reset' } });
  if (values.pause === true && values.resume === true)
    throw new UsageError('--pause and --resume: choose one');
  // Pause before a seek, resume after it: `--pause --seek 30s` stops at 30 s exactly.
  if (values.pause === true) steps.push({ call: { method: 'POST', path: '/clock/pause' } });
  if (values.speed !== undefined)
    steps.push({ call: { method: 'POST', path: '/clock/speed', body: { speed: values.speed } } });
  if (values.seek !== undefined)
    steps.push({ call: { method: 'POST', path: '/clock/seek', body: { to: values.seek } } });
  if (values.resume === true) steps.push({ call: { method: 'POST', path: '/clock/resume' } });
  if (values.step === true) steps.push({ call: { method: 'POST', path: '/clock/step' } });

  steps.push(...(await taskSteps(values, done)));
  steps.push(...latencySteps(values));

  if (values['clear-faults'] === true)
    steps.push({ call: { method: 'DELETE', path: '/faults' }, print: done('faults cleared') });
  const removeFault = optional(values['remove-fault']);
  if (removeFault !== undefined)
    steps.push({
      call: { method: 'DELETE', path: `/faults/${encodeURIComponent(removeFault)}` },
      print: done(`fault ${removeFault} removed`),
    });
  const fault = faultBody(values);
  if (fault !== undefined)
    steps.push({
      call: { method: 'POST', path: '/faults', body: fault },
      print: (r) => `fault added: ${JSON.stringify(r)}`,
    });
  if (values.reload === true)
    steps.push({ call: { method: 'POST', path: '/reload' }, print: describeReload });

  if (values.state === true) steps.push({ call: { method: 'GET', path: '/state' }, print: json });
  else if (values.scenarios === true)
    steps.push({ call: { method: 'GET', path: '/scenarios' }, print: json });
  else steps.push({ call: { method: 'GET', path: '/clock' }, print: clock });
  return steps;
}

async function taskSteps(
  values: OptionValues,
  done: (what: string) => () => string,
): Promise<Step[]> {
  const steps: Step[] = [];
  const api = optional(values.api);
  const needApi = (flag: string): string => {
    if (api === undefined) throw new UsageError(`${flag} needs --api v1 or --api v2`);
    return api;
  };

  if (values['remove-task'] !== undefined) {
    const id = Number(values['remove-task']);
    steps.push({
      call: { method: 'DELETE', path: `/tasks/${needApi('--remove-task')}/${id}` },
      print: done(`task ${id} removed`),
    });
  }

  const file = optional(values['add-task']);
  if (file !== undefined) {
    const task = await readJsonFile(file, '--add-task');
    const inferred = task !== null && typeof task === 'object' && 'task_id' in task ? 'v2' : 'v1';
    steps.push({
      call: { method: 'POST', path: `/tasks/${api ?? inferred}`, body: task },
      print: done(`task added from ${file}`),
    });
  }

  if (values['patch-task'] !== undefined) {
    const text = optional(values.set);
    if (text === undefined)
      throw new UsageError('--patch-task needs --set with a JSON object of field paths');
    const set = parseJson(text, '--set');
    const id = Number(values['patch-task']);
    steps.push({
      call: { method: 'PATCH', path: `/tasks/${needApi('--patch-task')}/${id}`, body: { set } },
      print: done(`task ${id} changed`),
    });
  } else if (values.set !== undefined) {
    throw new UsageError('--set goes with --patch-task');
  }
  return steps;
}

/** --latency changes one entry of the settings, so the current ones are read first. */
function latencySteps(values: OptionValues): Step[] {
  const latency = optional(values.latency);
  const route = optional(values.route);
  if (latency === undefined) return [];

  const delay = latency === 'off' || latency === '0' ? null : latency;
  const change = async (client: ControlClient): Promise<unknown> => {
    const current = (await client.call({ method: 'GET', path: '/latency' })) as LatencyLike;
    const routes = { ...current.routes };
    if (route !== undefined && delay === null) delete routes[route];
    else if (route !== undefined) routes[route] = delay;
    const body = route === undefined ? { ...current, default: delay } : { ...current, routes };
    return client.call({ method: 'PUT', path: '/latency', body });
  };
  return [{ call: change, print: (r) => `latency now ${JSON.stringify(r)}` }];
}

interface LatencyLike {
  default: unknown;
  routes: Record<string, unknown>;
}

function faultBody(values: OptionValues): Record<string, unknown> | undefined {
  const kind = optional(values.fault);
  const extras = ['count', 'share', 'target', 'after', 'close-code', 'reason'].filter(
    (k) => values[k] !== undefined,
  );
  if (kind === undefined) {
    if (extras.length > 0) throw new UsageError(`--${extras[0] ?? ''} goes with --fault`);
    return undefined;
  }
  const body: Record<string, unknown> = { kind };
  const route = optional(values.route);
  if (route !== undefined) body.route = route;
  if (values.count !== undefined) body.count = values.count;
  if (values.share !== undefined) body.share = values.share;
  if (values.target !== undefined) body.target = values.target;
  if (values.after !== undefined) body.afterMessages = values.after;
  if (values['close-code'] !== undefined) body.code = values['close-code'];
  if (values.reason !== undefined) body.reason = values.reason;
  return body;
}

interface ClockLike {
  elapsedMs: number;
  speed: number;
  paused: boolean;
  pass: number;
  nextChangeMs: number | null;
}

function describeClock(clock: ClockLike): string {
  const at = `${(clock.elapsedMs / 1000).toFixed(3)} s`;
  const next =
    clock.nextChangeMs === null
      ? 'nothing changes any more'
      : `next change at ${(clock.nextChangeMs / 1000).toFixed(3)} s`;
  return `${clock.paused ? 'paused' : 'running'} at ${at} (pass ${clock.pass}), speed ${clock.speed}, ${next}`;
}

function describeReload(result: unknown): string {
  const last = (result as { last?: { ok: boolean; ms: number } | null }).last;
  return last ? `reloaded in ${last.ms} ms` : 'reloaded';
}

async function readJsonFile(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  return parseJson(text, flag);
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${flag}: not valid JSON (${(err as Error).message})`);
  }
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
