import { isDeepStrictEqual } from 'node:util';
import { Document } from 'yaml';
import { ID_FIELD } from '../control/task-overlay';
import { API_VERSIONS, NOW_TOKEN, type ApiVersion } from '../scenario/scenario';

/** One list as recorded: scenario ms since the recording's start, and the tasks. */
export interface RecordedSnapshot {
  at: number;
  tasks: unknown[];
}

export interface Recording {
  /** Where it came from, for the scenario's description (credentials already removed). */
  upstream: string;
  /** Wall-clock Unix ms of scenario time 0. */
  startedAt: number;
  durationMs: number;
  lists: Partial<Record<ApiVersion, RecordedSnapshot[]>>;
}

export interface BuiltScenario {
  /** The text of scenario.yaml. */
  yaml: string;
  /** Fixture files by path relative to scenario.yaml. */
  fixtures: Map<string, unknown>;
  tracks: Record<ApiVersion, number>;
  /**
   * False when the upstream listed the same tasks in orders no single
   * scenario order reproduces; the replay then differs in order only.
   */
  orderExact: boolean;
}

interface Change {
  at: number;
  set: Record<string, unknown>;
}

interface Track {
  /** The id that names the fixture file. */
  label: string;
  fixture: Record<string, unknown>;
  /** The task as last seen, to diff the next one against. */
  last: Record<string, unknown>;
  enter: number;
  leave?: number;
  changes: Change[];
  /** Position in the first list it appeared in, to break ties when ordering. */
  firstIndex: number;
}

/**
 * Turns recorded lists into a scenario that replays them. Each task becomes
 * a track: its first sighting is the fixture, each later difference a
 * change (`set` of the fields that moved), its disappearance the `leave`.
 * A change a `set` cannot say (a field that vanished) starts a new track for
 * the same id at that moment. Tracks are ordered so that every recorded list
 * keeps its order.
 */
export function buildScenario(recording: Recording, meta: { name: string }): BuiltScenario {
  const fixtures = new Map<string, unknown>();
  const tracks = { v1: 0, v2: 0 };
  const entries: Partial<Record<ApiVersion, unknown[]>> = {};
  let orderExact = true;

  for (const api of API_VERSIONS) {
    const snapshots = recording.lists[api];
    if (snapshots === undefined) continue;
    const built = tracksOf(api, snapshots);
    orderExact &&= built.orderExact;
    tracks[api] = built.tracks.length;

    const names = new Map<string, number>();
    entries[api] = built.tracks.map((track) => {
      const seen = (names.get(track.label) ?? 0) + 1;
      names.set(track.label, seen);
      const file = `${api}/task-${track.label}${seen > 1 ? `-${seen}` : ''}.json`;
      fixtures.set(file, track.fixture);
      return {
        fixture: file,
        enter: seconds(track.enter),
        ...(track.leave === undefined ? {} : { leave: seconds(track.leave) }),
        ...(track.changes.length === 0
          ? {}
          : { changes: track.changes.map((c) => ({ at: seconds(c.at), set: c.set })) }),
      };
    });
  }

  const lastMoment = Math.max(
    0,
    ...API_VERSIONS.flatMap((api) => (recording.lists[api] ?? []).map((s) => s.at)),
  );
  const doc = new Document({
    name: meta.name,
    description: `Recorded from ${recording.upstream} at ${new Date(recording.startedAt).toISOString()}.`,
    duration: seconds(Math.max(recording.durationMs, lastMoment + 1)),
    loop: true,
    renumber: 0,
    ...entries,
  });
  doc.commentBefore =
    ' Written by `running-tasks record`: every list the upstream sent, with its timing.\n' +
    ' Values that looked like credentials were replaced by "[scrubbed]".\n' +
    ' The scenario loops; set `loop: false` to hold the last list instead.';
  return { yaml: doc.toString({ lineWidth: 100 }), fixtures, tracks, orderExact };
}

function tracksOf(
  api: ApiVersion,
  snapshots: readonly RecordedSnapshot[],
): { tracks: Track[]; orderExact: boolean } {
  const all: Track[] = [];
  let open = new Map<string, Track>();
  const edges: [Track, Track][] = [];

  for (const snapshot of snapshots) {
    const next = new Map<string, Track>();
    const listed: Track[] = [];
    const occurrences = new Map<string, number>();

    for (const [index, raw] of snapshot.tasks.entries()) {
      const task = (raw !== null && typeof raw === 'object' ? raw : { value: raw }) as Record<
        string,
        unknown
      >;
      const id = task[ID_FIELD[api]];
      const label =
        typeof id === 'number' || typeof id === 'string' ? String(id) : `unknown-${index}`;
      const n = (occurrences.get(label) ?? 0) + 1;
      occurrences.set(label, n);
      const key = `${label}#${n}`;

      let track = open.get(key);
      if (track !== undefined && !isDeepStrictEqual(track.last, task)) {
        const set = changesBetween(track.last, task);
        if (set === undefined) {
          track.leave = snapshot.at;
          track = undefined;
        } else {
          track.changes.push({ at: snapshot.at, set });
          track.last = structuredClone(task);
        }
      }
      if (track === undefined) {
        track = {
          label,
          fixture: structuredClone(task),
          last: structuredClone(task),
          enter: snapshot.at,
          changes: [],
          firstIndex: index,
        };
        all.push(track);
      }
      next.set(key, track);
      listed.push(track);
    }

    for (const [key, track] of open) {
      if (!next.has(key)) track.leave = snapshot.at;
    }
    for (let i = 1; i < listed.length; i++) edges.push([listed[i - 1], listed[i]]);
    open = next;
  }
  return orderTracks(all, edges);
}

/**
 * Orders tracks so each recorded list keeps its order (a topological sort
 * of "listed right before"); ties go to the earlier and the first-listed.
 */
function orderTracks(
  tracks: Track[],
  edges: [Track, Track][],
): { tracks: Track[]; orderExact: boolean } {
  const after = new Map<Track, Set<Track>>(tracks.map((t) => [t, new Set()]));
  const blockers = new Map<Track, number>(tracks.map((t) => [t, 0]));
  for (const [a, b] of edges) {
    const set = after.get(a);
    if (set === undefined || set.has(b)) continue;
    set.add(b);
    blockers.set(b, (blockers.get(b) ?? 0) + 1);
  }

  const byTime = (a: Track, b: Track): number => a.enter - b.enter || a.firstIndex - b.firstIndex;
  const ordered: Track[] = [];
  const ready = tracks.filter((t) => blockers.get(t) === 0);
  while (ready.length > 0) {
    ready.sort(byTime);
    const track = ready.shift() as Track;
    ordered.push(track);
    for (const b of after.get(track) ?? []) {
      const left = (blockers.get(b) ?? 0) - 1;
      blockers.set(b, left);
      if (left === 0) ready.push(b);
    }
  }

  if (ordered.length === tracks.length) return { tracks: ordered, orderExact: true };
  const rest = tracks.filter((t) => !ordered.includes(t)).sort(byTime);
  return { tracks: [...ordered, ...rest], orderExact: false };
}

/**
 * The `set` that turns `before` into `after`, or undefined when a `set`
 * cannot say it (a top-level field vanished, or a top-level value is the
 * literal text `$now`, which a `set` would read as the time).
 */
export function changesBetween(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (Object.keys(before).some((k) => !(k in after))) return undefined;

  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (key in before && isDeepStrictEqual(before[key], value)) continue;
    if (!isPlainKey(key)) return undefined;
    const inner = key in before ? diffValue(before[key], value, key) : undefined;
    if (inner !== undefined) Object.assign(set, inner);
    else if (value === NOW_TOKEN) return undefined;
    else set[key] = value;
  }
  return set;
}

/** Leaf assignments from `a` to `b` under `path`, or undefined to set `b` whole. */
function diffValue(a: unknown, b: unknown, path: string): Record<string, unknown> | undefined {
  const set: Record<string, unknown> = {};
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return undefined;
    for (const [i, item] of b.entries()) {
      if (!isDeepStrictEqual(a[i], item) && !assign(set, a[i], item, `${path}[${i}]`))
        return undefined;
    }
    return set;
  }
  if (isRecord(a) && isRecord(b) && !Array.isArray(a) && !Array.isArray(b)) {
    if (Object.keys(a).some((k) => !(k in b))) return undefined;
    for (const [key, item] of Object.entries(b)) {
      if (key in a && isDeepStrictEqual(a[key], item)) continue;
      if (!isPlainKey(key) || !assign(set, a[key], item, `${path}.${key}`)) return undefined;
    }
    return set;
  }
  return undefined;
}

/** Adds the assignments for one differing value; false when only its parent can be set. */
function assign(set: Record<string, unknown>, a: unknown, b: unknown, path: string): boolean {
  const inner = a === undefined ? undefined : diffValue(a, b, path);
  if (inner !== undefined) {
    Object.assign(set, inner);
    return true;
  }
  if (b === NOW_TOKEN) return false;
  set[path] = b;
  return true;
}

/** A key a `set` path can name (see scenario/assignment-path.ts). */
function isPlainKey(key: string): boolean {
  return /^[^.[\]]+$/.test(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** Scenario files count in seconds; keep millisecond precision. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
