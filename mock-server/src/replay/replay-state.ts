import type { V1Task, V2Task } from '@running-tasks/contracts';
import { assignAt } from '../scenario/assignment-path';
import { NOW_TOKEN, type ReplayState, type Scenario, type TaskTrack } from '../scenario/scenario';

/**
 * Where a moment falls in a scenario: which pass (loop iteration) and the
 * time inside that pass. Past the end of a scenario that does not loop, time
 * keeps running inside the single pass.
 */
export function locateInScenario(scenario: Scenario, elapsed: number): { pass: number; t: number } {
  const clamped = Math.max(0, elapsed);
  if (!scenario.loop || scenario.duration <= 0) return { pass: 0, t: clamped };
  const pass = Math.floor(clamped / scenario.duration);
  return { pass, t: clamped - pass * scenario.duration };
}

/**
 * The running lists at `elapsed` milliseconds of scenario time, for a replay
 * that started at `epoch` (Unix milliseconds; only `$now` values depend on
 * it). A pure function: the same arguments always give the same lists, which
 * is what lets HTTP, websocket and separate instances agree.
 */
export function stateAt(scenario: Scenario, elapsed: number, epoch: number): ReplayState {
  const { pass, t } = locateInScenario(scenario, elapsed);
  const passStart = pass * scenario.duration;
  const build = <T>(tracks: TaskTrack<T>[], idField: string): T[] =>
    tracks
      .filter((track) => isPresent(track, t))
      .map((track) => materialize(track, t, epoch + passStart, pass * scenario.renumber, idField));

  return { v1: build<V1Task>(scenario.v1, 'id'), v2: build<V2Task>(scenario.v2, 'task_id') };
}

/**
 * The first moment after `elapsed` at which the lists may change, or
 * undefined when nothing changes any more.
 */
export function nextChangeAfter(scenario: Scenario, elapsed: number): number | undefined {
  const { pass, t } = locateInScenario(scenario, elapsed);
  const moments = scenarioMoments(scenario);
  const passStart = pass * scenario.duration;

  const later = moments.find((m) => m > t);
  if (later !== undefined && (!scenario.loop || later < scenario.duration))
    return passStart + later;
  if (!scenario.loop) return undefined;
  return passStart + scenario.duration + (moments[0] ?? 0);
}

/** Every scenario time at which something enters, changes or leaves, sorted, within one pass. */
export function scenarioMoments(scenario: Scenario): number[] {
  const set = new Set<number>([0]);
  for (const track of [...scenario.v1, ...scenario.v2] as TaskTrack<unknown>[]) {
    set.add(track.enter);
    if (track.leave !== undefined) set.add(track.leave);
    for (const change of track.changes) set.add(change.at);
  }
  return [...set].sort((a, b) => a - b);
}

function isPresent(track: TaskTrack<unknown>, t: number): boolean {
  return track.enter <= t && (track.leave === undefined || t < track.leave);
}

/** The task of `track` as it is at time `t` of a pass that started at `passEpoch`. */
export function materialize<T>(
  track: TaskTrack<T>,
  t: number,
  passEpoch: number,
  idOffset: number,
  idField: string,
): T {
  const task = structuredClone(track.task) as Record<string, unknown>;
  for (const change of track.changes) {
    if (change.at > t) break;
    for (const { segments, value } of change.set) {
      const resolved = value === NOW_TOKEN ? Math.floor((passEpoch + change.at) / 1000) : value;
      assignAt(task, segments, structuredClone(resolved));
    }
  }

  if (idOffset !== 0 && typeof task[idField] === 'number') {
    task[idField] = task[idField] + idOffset;
  }
  return task as T;
}
