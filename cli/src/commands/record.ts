import type { RecordResult } from '@running-tasks/mock-server';
import { EXIT, type Command } from '../command';
import { UsageError } from '../options';

export const recordCommand: Command = {
  name: 'record',
  summary:
    "Record a backend's running lists into a scenario the mock replays with the same timing.",
  description:
    'Listens to the websocket routes (or polls the HTTP routes) of --upstream until --duration\n' +
    'is over or Ctrl-C, then writes scenario.yaml and one fixture per task. Values that look\n' +
    'like tokens or credentials are replaced by "[scrubbed]". The written scenario is loaded\n' +
    'back and checked against the contract, and replayed against what was recorded.\n' +
    'Exit code 0: written and replays exactly; 1: written, with the problems listed; 2: bad flags.\n' +
    'Example:\n' +
    '  running-tasks record --upstream http://ci.example:8080 --out recorded/ --duration 5m',
  options: [
    {
      name: 'upstream',
      type: 'string',
      env: 'RUNNING_TASKS_UPSTREAM',
      placeholder: 'url',
      help: "The backend's base URL, or the URL of one running-list route (records that one).",
    },
    {
      name: 'out',
      type: 'string',
      placeholder: 'path',
      help: 'The scenario.yaml to write, or a folder to write it in.',
    },
    {
      name: 'api',
      type: 'string',
      default: 'both',
      choices: ['v1', 'v2', 'both'],
      placeholder: 'v1|v2|both',
      help: 'Which lists to record.',
    },
    {
      name: 'mode',
      type: 'string',
      default: 'ws',
      choices: ['ws', 'poll'],
      placeholder: 'ws|poll',
      help: 'Listen to the websocket routes, or poll the HTTP routes.',
    },
    {
      name: 'interval',
      type: 'duration',
      default: '1s',
      min: 50,
      placeholder: 'time',
      help: 'Polling period (with --mode poll).',
    },
    {
      name: 'duration',
      type: 'duration',
      default: '0',
      min: 0,
      placeholder: 'time',
      help: 'Stop after this long (30s, 5m); 0 records until Ctrl-C.',
    },
    {
      name: 'token',
      type: 'string',
      env: 'RUNNING_TASKS_UPSTREAM_TOKEN',
      placeholder: 'token',
      help: "The upstream's token; it never reaches the written files.",
    },
    {
      name: 'auth',
      type: 'string',
      default: 'bearer',
      choices: ['bearer', 'x-api-key', 'query'],
      placeholder: 'form',
      help: 'How to send the token: Authorization: Bearer, Authorization: X-API-KEY, or ?token=.',
    },
    {
      name: 'name',
      type: 'string',
      placeholder: 'name',
      help: "The scenario's name (default: the output folder's name).",
    },
    {
      name: 'force',
      type: 'boolean',
      default: false,
      help: 'Overwrite an existing scenario.yaml.',
    },
  ],

  async run(values) {
    const upstream = required(values.upstream, '--upstream');
    const out = required(values.out, '--out');
    const api = String(values.api);
    // Loaded here: the other commands and `--help` start without the mock server.
    const mock = await import('@running-tasks/mock-server');
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    try {
      console.error(
        Number(values.duration) > 0
          ? `recording ${upstream} for ${Number(values.duration) / 1000} s...`
          : `recording ${upstream}; Ctrl-C to stop and write the scenario...`,
      );
      const result = await mock.recordScenario({
        upstream,
        out,
        apis: api === 'both' ? ['v1', 'v2'] : [api as 'v1' | 'v2'],
        mode: values.mode === 'poll' ? 'poll' : 'ws',
        intervalMs: Number(values.interval),
        durationMs: Number(values.duration),
        token: typeof values.token === 'string' ? values.token : undefined,
        auth: values.auth as 'bearer' | 'x-api-key' | 'query',
        name: typeof values.name === 'string' ? values.name : undefined,
        force: values.force === true,
        signal: stop.signal,
        onEvent: (event) =>
          console.error(
            event.kind === 'snapshot'
              ? `  ${event.api} list changed at ${(event.at / 1000).toFixed(3)} s: ${event.count} task${event.count === 1 ? '' : 's'}`
              : `  ${event.message}`,
          ),
      });
      return report(result);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'RT_RECORD_FAILED') {
        console.error(`running-tasks record: ${(err as Error).message}`);
        return EXIT.FAILURE;
      }
      if (mock.isSettingError(err)) throw new UsageError(err.message);
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

function report(result: RecordResult): number {
  const lists = `${result.snapshots.v1} V1 and ${result.snapshots.v2} V2 lists`;
  const tracks = `${result.tracks.v1 + result.tracks.v2} tasks`;
  console.log(
    `wrote ${result.file}: ${lists}, ${tracks} over ${(result.durationMs / 1000).toFixed(1)} s` +
      (result.scrubbed > 0 ? `; ${result.scrubbed} credentials-looking values scrubbed` : ''),
  );
  for (const issue of result.issues) {
    const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
    console.log(`  contract: ${where}: ${issue.path}: ${issue.message}`);
  }
  for (const mismatch of result.mismatches) console.log(`  replay: ${mismatch}`);
  if (result.issues.length > 0 || result.mismatches.length > 0) return EXIT.FAILURE;
  console.log(`serve it with: running-tasks mock --scenario ${result.file}`);
  return EXIT.OK;
}

function required(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}
