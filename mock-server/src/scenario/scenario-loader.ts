import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  explainDiagnostic,
  formatJsonPath,
  locate,
  toDiagnostics,
  type ContractValidators,
  type JsonPathSegments,
  type V1Task,
  type V2Task,
} from '@running-tasks/contracts';
import { parseDocument, LineCounter } from 'yaml';
import { ScenarioError, type ScenarioIssue } from '../errors';
import { materialize } from '../replay/replay-state';
import { assignmentPathProblem, parseAssignmentPath } from './assignment-path';
import {
  API_VERSIONS,
  type ApiVersion,
  type Scenario,
  type TaskChange,
  type TaskTrack,
} from './scenario';
import { SCENARIO_FILE_SCHEMA, type ScenarioFile, type TrackFile } from './scenario-file-schema';

/** The folder of the scenarios that ship with the mock, each `<name>/scenario.yaml`. */
export const BUILTIN_SCENARIOS_DIR = path.resolve(__dirname, '../../scenarios');

const checkScenarioFile = new Ajv2020({ allErrors: true }).compile<ScenarioFile>(
  SCENARIO_FILE_SCHEMA,
);

/**
 * Finds the scenario.yaml for a name (a built-in scenario), a folder holding
 * a scenario.yaml, or the path of the file itself.
 */
export async function resolveScenarioFile(ref: string): Promise<string> {
  const looksLikePath = ref.includes('/') || ref.includes(path.sep) || /\.ya?ml$/.test(ref);
  const candidate = looksLikePath ? path.resolve(ref) : path.join(BUILTIN_SCENARIOS_DIR, ref);

  const info = await stat(candidate).catch(() => undefined);
  if (info?.isDirectory()) return path.join(candidate, 'scenario.yaml');
  if (info?.isFile()) return candidate;

  const local = looksLikePath ? undefined : await stat(path.resolve(ref)).catch(() => undefined);
  const hint = looksLikePath
    ? ''
    : local
      ? ` among the built-in scenarios; to use the folder here, write ./${ref}`
      : ` (built-in scenarios live in ${BUILTIN_SCENARIOS_DIR})`;
  throw new ScenarioError([{ file: candidate, path: '$', message: `no such scenario${hint}` }]);
}

/**
 * Reads and validates a scenario and every fixture it names. Every fixture
 * task, and every state a timeline change puts a task in, is checked against
 * the contract; all problems are collected and thrown together as a
 * ScenarioError, each with its file, line and JSON path.
 */
export async function loadScenario(ref: string, validators: ContractValidators): Promise<Scenario> {
  const file = await resolveScenarioFile(ref);
  const text = await readText(file);
  const doc = parseYaml(file, text);

  if (!checkScenarioFile(doc)) {
    const issues = toDiagnostics(checkScenarioFile.errors ?? [], doc).map((d) =>
      issueAt(file, text, pointerFromPath(d.path), d.path, d.message),
    );
    throw new ScenarioError(issues);
  }

  const issues: ScenarioIssue[] = [];
  const files = new Set([file]);
  const tracks: { v1: TaskTrack<V1Task>[]; v2: TaskTrack<V2Task>[] } = { v1: [], v2: [] };
  for (const version of API_VERSIONS) {
    const entries = doc[version] ?? [];
    const placed: { track: TaskTrack<unknown>; index: number }[] = [];
    for (const [index, entry] of entries.entries()) {
      const context = { file, text, version, index, validators, issues, files };
      const loaded = await loadTrack(entry, context);
      tracks[version].push(...(loaded as TaskTrack<never>[]));
      placed.push(...loaded.map((track) => ({ track, index })));
    }
    const report = (index: number, message: string): void => {
      const at = [version, index];
      issues.push(issueAt(file, text, at, formatJsonPath(at), message));
    };
    checkUniqueIds(placed, version === 'v1' ? 'id' : 'task_id', doc.duration * 1000, report);
  }

  if (issues.length > 0) throw new ScenarioError(issues);
  return {
    name: doc.name,
    description: doc.description ?? '',
    file,
    files: [...files],
    duration: doc.duration * 1000,
    loop: doc.loop ?? true,
    renumber: doc.renumber ?? 0,
    ...tracks,
  };
}

/**
 * Two tasks with the same id in the running list at once would break every
 * client that keys tasks by id (the extension's tree does), so a scenario
 * may reuse an id only for tasks whose times in the list do not overlap.
 */
function checkUniqueIds(
  placed: { track: TaskTrack<unknown>; index: number }[],
  idField: string,
  duration: number,
  report: (index: number, message: string) => void,
): void {
  for (const [i, a] of placed.entries()) {
    for (const b of placed.slice(i + 1)) {
      const idA = (a.track.task as Record<string, unknown>)[idField];
      if (idA !== (b.track.task as Record<string, unknown>)[idField]) continue;
      const endA = a.track.leave ?? duration;
      const endB = b.track.leave ?? duration;
      if (a.track.enter >= endB || b.track.enter >= endA) continue;
      report(
        b.index,
        `${b.track.origin} has ${idField} ${String(idA)}, as ${a.track.origin} does, and both are in the list at ${Math.max(a.track.enter, b.track.enter) / 1000} s`,
      );
    }
  }
}

interface TrackContext {
  file: string;
  text: string;
  version: ApiVersion;
  index: number;
  validators: ContractValidators;
  issues: ScenarioIssue[];
  files: Set<string>;
}

async function loadTrack(entry: TrackFile, ctx: TrackContext): Promise<TaskTrack<unknown>[]> {
  const where: JsonPathSegments = [ctx.version, ctx.index];
  const before = ctx.issues.length;
  const report = (segments: JsonPathSegments, message: string): void => {
    ctx.issues.push(issueAt(ctx.file, ctx.text, segments, formatJsonPath(segments), message));
  };

  const enter = entry.enter * 1000;
  const leave = entry.leave === undefined ? undefined : entry.leave * 1000;
  if (leave !== undefined && leave <= enter) report([...where, 'leave'], 'must be after enter');

  const changes: TaskChange[] = [];
  for (const [i, change] of (entry.changes ?? []).entries()) {
    const at = change.at * 1000;
    if (at < enter || (leave !== undefined && at >= leave)) {
      report([...where, 'changes', i, 'at'], "must be within the task's enter and leave times");
    }
    const set = Object.entries(change.set).map(([source, value]) => {
      const segments = parseAssignmentPath(source);
      if (!segments) report([...where, 'changes', i, 'set', source], assignmentPathProblem(source));
      return { source, segments: segments ?? [], value };
    });
    changes.push({ at, set });
  }
  changes.sort((a, b) => a.at - b.at);

  const fixtureFile = path.resolve(path.dirname(ctx.file), entry.fixture);
  ctx.files.add(fixtureFile);
  const tasks = await readFixture(fixtureFile, ctx, [...where, 'fixture']);
  if (!tasks || ctx.issues.length > before) return [];

  const validate = ctx.version === 'v1' ? ctx.validators.v1Task : ctx.validators.v2Task;
  const idField = ctx.version === 'v1' ? 'id' : 'task_id';
  const relative = path.relative(path.dirname(ctx.file), fixtureFile);
  return tasks.tasks.flatMap((task, i) => {
    const origin = tasks.isList ? `${relative}[${i}]` : relative;
    const prefix: JsonPathSegments = tasks.isList ? [i] : [];
    const result = validate(task);
    for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
      const segments = [...prefix, ...pointerFromPath(d.path)];
      ctx.issues.push(
        issueAt(fixtureFile, tasks.text, segments, formatJsonPath(segments), explainDiagnostic(d)),
      );
    }
    if (!result.valid) return [];

    const track: TaskTrack<unknown> = { origin, task, enter, leave, changes };
    checkTimeline(track, ctx, where, idField);
    return [track];
  });
}

/** Puts the task in each state its timeline reaches and checks that state against the contract. */
function checkTimeline(
  track: TaskTrack<unknown>,
  ctx: TrackContext,
  where: JsonPathSegments,
  idField: string,
): void {
  const validate = ctx.version === 'v1' ? ctx.validators.v1Task : ctx.validators.v2Task;
  for (const [i, change] of track.changes.entries()) {
    const probe: TaskTrack<unknown> = { ...track, changes: track.changes.slice(0, i + 1) };
    for (const { source, segments } of change.set) {
      if (segments.length > 0 && !parentExists(probe, segments, i)) {
        const at = [...where, 'changes', i, 'set', source];
        ctx.issues.push(
          issueAt(
            ctx.file,
            ctx.text,
            at,
            formatJsonPath(at),
            `${track.origin} has no field to hold ${source}`,
          ),
        );
      }
    }

    const state = materialize(probe, change.at, 0, 0, idField);
    for (const d of validate(state).diagnostics.filter((x) => x.severity === 'error')) {
      const at = [...where, 'changes', i, 'set'];
      const message = `makes ${track.origin} invalid at ${d.path}: ${explainDiagnostic(d)}`;
      ctx.issues.push(issueAt(ctx.file, ctx.text, at, formatJsonPath(at), message));
    }
  }
}

function parentExists(
  track: TaskTrack<unknown>,
  segments: JsonPathSegments,
  upTo: number,
): boolean {
  const before = { ...track, changes: track.changes.slice(0, upTo) };
  let node: unknown = materialize(before, Number.MAX_SAFE_INTEGER, 0, 0, '');
  for (const segment of segments.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node !== null && typeof node === 'object';
}

async function readFixture(
  file: string,
  ctx: TrackContext,
  reference: JsonPathSegments,
): Promise<{ tasks: unknown[]; isList: boolean; text: string } | undefined> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    // Said where the fixture is named: the file itself is not there to point at.
    const message = `cannot read the fixture ${file} (${err.code ?? err.message})`;
    const issue = issueAt(ctx.file, ctx.text, reference, formatJsonPath(reference), message);
    ctx.issues.push({ ...issue, subject: file });
    return undefined;
  });
  if (text === undefined) return undefined;

  try {
    const data: unknown = JSON.parse(text);
    return Array.isArray(data)
      ? { tasks: data, isList: true, text }
      : { tasks: [data], isList: false, text };
  } catch (err) {
    ctx.issues.push({
      file,
      line: jsonErrorLine(text, err),
      path: '$',
      message: `not valid JSON: ${(err as Error).message}`,
    });
    return undefined;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ScenarioError([{ file, path: '$', message: `cannot read the scenario (${code})` }]);
  }
}

function parseYaml(file: string, text: string): ScenarioFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        path: '$',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  return doc.toJS() as ScenarioFile;
}

function issueAt(
  file: string,
  text: string,
  segments: JsonPathSegments,
  shown: string,
  message: string,
): ScenarioIssue {
  return { file, line: locate(text, segments)?.line, path: shown, message };
}

/** Turns a JSONPath of ours (`$[0].a["b c"]`) back into segments. */
function pointerFromPath(jsonPath: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of jsonPath.slice(1).matchAll(re)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push(JSON.parse(m[3]) as string);
  }
  return segments;
}

function jsonErrorLine(text: string, err: unknown): number | undefined {
  const position = /position (\d+)/.exec(String((err as Error).message))?.[1];
  if (position === undefined) return undefined;
  return text.slice(0, Number(position)).split('\n').length;
}
