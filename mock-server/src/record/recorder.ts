import { mkdir, stat, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { SCHEMAS_DIR, type ContractValidators } from '@running-tasks/contracts';
import { RecordError, isScenarioError, type ScenarioIssue } from '../errors';
import { loadValidators } from '../reload/contract-loader';
import { stateAt } from '../replay/replay-state';
import { loadScenario } from '../scenario/scenario-loader';
import { API_VERSIONS, type ApiVersion, type Scenario } from '../scenario/scenario';
import { buildScenario, type Recording, type RecordedSnapshot } from './scenario-builder';
import { scrub, scrubText } from './scrub';
import { watchUpstream, type UpstreamOptions } from './upstream-source';

export interface RecordOptions extends UpstreamOptions {
  /** The scenario.yaml to write, or a folder to write it in. */
  out: string;
  /** Stop after this many ms; absent or 0: when `signal` aborts. */
  durationMs?: number;
  signal?: AbortSignal;
  /** The scenario's name; default the output folder's name. */
  name?: string;
  /** Overwrite an existing scenario.yaml. */
  force?: boolean;
  /** The validators to check the result with; default the repository's contracts. */
  validators?: ContractValidators;
  /** Told about each list that changed and each problem, as it happens. */
  onEvent?: (
    event:
      | { kind: 'snapshot'; api: ApiVersion; at: number; count: number }
      | { kind: 'problem'; message: string },
  ) => void;
}

export interface RecordResult {
  /** The scenario.yaml written. */
  file: string;
  fixtures: string[];
  snapshots: Record<ApiVersion, number>;
  tracks: Record<ApiVersion, number>;
  durationMs: number;
  /** How many values looked like credentials and were replaced. */
  scrubbed: number;
  /** Contract problems of the written scenario; empty when the mock can serve it. */
  issues: ScenarioIssue[];
  /** Recorded lists the scenario does not replay exactly (with why); empty when it does. */
  mismatches: string[];
  recording: Recording;
}

/** A snapshot of one API arriving within this long of the first counts as present from time 0. */
const START_GRACE_MS = 1000;

/**
 * Records a backend's running lists and writes a scenario that replays them
 * with their timing: watches the websocket routes (or polls the HTTP ones)
 * until the duration is over or `signal` aborts, scrubs credentials, writes
 * scenario.yaml and one fixture per task, then loads the result back as the
 * mock would (checking it against the contract) and replays it against
 * what was recorded.
 */
export async function recordScenario(options: RecordOptions): Promise<RecordResult> {
  const file = scenarioFileOf(options.out);
  if (!options.force && (await stat(file).catch(() => undefined)) !== undefined)
    throw new RecordError(`${file} exists; choose another --out or pass --force`);

  const recording = await record(options);
  let scrubbed = 0;
  for (const api of API_VERSIONS) {
    for (const snapshot of recording.lists[api] ?? []) {
      const clean = scrub(snapshot.tasks);
      snapshot.tasks = clean.value as unknown[];
      scrubbed += clean.count;
    }
  }

  const name = options.name ?? path.basename(path.dirname(file));
  const built = buildScenario(recording, { name });
  await mkdir(path.dirname(file), { recursive: true });
  const fixtures: string[] = [];
  for (const [relative, task] of built.fixtures) {
    const target = path.join(path.dirname(file), relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(task, null, 2)}\n`);
    fixtures.push(target);
  }
  await writeFile(file, built.yaml);

  const validators = options.validators ?? (await loadValidators(SCHEMAS_DIR));
  const loaded = await loadScenario(file, validators).catch((err: unknown) => {
    if (isScenarioError(err)) return err.issues;
    throw err;
  });
  const issues = Array.isArray(loaded) ? loaded : [];
  const mismatches = Array.isArray(loaded) ? [] : replayMismatches(loaded, recording);
  if (!built.orderExact)
    mismatches.unshift(
      'the upstream listed tasks in orders no single order reproduces; the replay keeps one',
    );

  return {
    file,
    fixtures,
    snapshots: { v1: recording.lists.v1?.length ?? 0, v2: recording.lists.v2?.length ?? 0 },
    tracks: built.tracks,
    durationMs: recording.durationMs,
    scrubbed,
    issues,
    mismatches,
    recording,
  };
}

/** Which recorded lists the scenario does not give back at their moment. */
export function replayMismatches(scenario: Scenario, recording: Recording): string[] {
  const mismatches: string[] = [];
  for (const api of API_VERSIONS) {
    const snapshots = recording.lists[api] ?? [];
    for (const [i, snapshot] of snapshots.entries()) {
      // Half-way to the next list: the moment is inside the recorded one's span whatever the
      // rounding.
      const next = snapshots[i + 1]?.at ?? snapshot.at + 1;
      const replayed = stateAt(scenario, (snapshot.at + next) / 2, recording.startedAt)[api];
      if (!isDeepStrictEqual(replayed, snapshot.tasks))
        mismatches.push(`${api} list #${i + 1} (at ${snapshot.at} ms) replays differently`);
    }
  }
  return mismatches;
}

/** Receives lists until the duration is over or the signal aborts; keeps each list that changed. */
async function record(options: RecordOptions): Promise<Recording> {
  const stop = new AbortController();
  const signals = [stop.signal, ...(options.signal ? [options.signal] : [])];
  const timer =
    options.durationMs !== undefined && options.durationMs > 0
      ? setTimeout(() => stop.abort(), options.durationMs)
      : undefined;

  const raw: { api: ApiVersion; tasks: unknown[]; receivedAt: number }[] = [];
  const last = new Map<ApiVersion, string>();
  const started = Date.now();
  try {
    await watchUpstream(
      options,
      (api, tasks, receivedAt) => {
        const text = JSON.stringify(tasks);
        if (last.get(api) === text) return;
        last.set(api, text);
        raw.push({ api, tasks, receivedAt });
        options.onEvent?.({ kind: 'snapshot', api, at: receivedAt - started, count: tasks.length });
      },
      (message) => options.onEvent?.({ kind: 'problem', message }),
      AbortSignal.any(signals),
    );
  } finally {
    clearTimeout(timer);
  }
  const ended = Date.now();
  if (raw.length === 0)
    throw new RecordError('the upstream sent no list before the recording ended');

  // Time 0 is the first list received; each API's first list counts from 0.
  const t0 = Math.min(...raw.map((r) => r.receivedAt));
  const lists: Partial<Record<ApiVersion, RecordedSnapshot[]>> = {};
  for (const { api, tasks, receivedAt } of raw) {
    const list = (lists[api] ??= []);
    const previous = list.at(-1)?.at;
    let at = previous === undefined && receivedAt - t0 < START_GRACE_MS ? 0 : receivedAt - t0;
    // Two lists in the same millisecond still need distinct moments.
    if (previous !== undefined && at <= previous) at = previous + 1;
    list.push({ at, tasks });
  }
  return { upstream: scrubText(options.upstream), startedAt: t0, durationMs: ended - t0, lists };
}

function scenarioFileOf(out: string): string {
  const resolved = path.resolve(out);
  return /\.ya?ml$/i.test(resolved) ? resolved : path.join(resolved, 'scenario.yaml');
}
