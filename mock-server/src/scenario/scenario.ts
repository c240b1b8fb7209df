import type { JsonPathSegments, V1Task, V2Task } from '@running-tasks/contracts';

export type ApiVersion = 'v1' | 'v2';
export const API_VERSIONS: readonly ApiVersion[] = ['v1', 'v2'];

/** The placeholder a `set` value may use for "the Unix seconds of this change". */
export const NOW_TOKEN = '$now';

export interface Assignment {
  /** The path as written in the scenario, for messages. */
  source: string;
  segments: JsonPathSegments;
  value: unknown;
}

export interface TaskChange {
  /** Scenario time of the change, in milliseconds. */
  at: number;
  set: Assignment[];
}

/** One task's life in the running list: when it enters, how it changes, when it leaves. */
export interface TaskTrack<T> {
  /** Where the task came from, for messages: `v1/build.json` or `v1/build.json[2]`. */
  origin: string;
  task: T;
  enter: number;
  /** Exclusive; undefined keeps the task until the end of the scenario. */
  leave?: number;
  changes: TaskChange[];
}

/** A validated scenario: everything needed to compute the running lists at any moment. */
export interface Scenario {
  name: string;
  description: string;
  /** The scenario.yaml it was read from. */
  file: string;
  /** Every file the scenario depends on, for reload watching. */
  files: string[];
  /** Length of one pass, in milliseconds. */
  duration: number;
  loop: boolean;
  /** Added to task ids on each pass after the first, so a looping scenario keeps ids unique. */
  renumber: number;
  v1: TaskTrack<V1Task>[];
  v2: TaskTrack<V2Task>[];
}

export interface ReplayState {
  v1: V1Task[];
  v2: V2Task[];
}
