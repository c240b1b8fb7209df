import type { TaskStatus, V1Task, V2SubTask, V2Task } from '@running-tasks/contracts';
import type { ApiVersion } from './backend';

/** A detail a developer looks for on a stage; the tree model gives each a localized label. */
export type DetailField =
  | 'repo'
  | 'branch'
  | 'commit'
  | 'pullRequest'
  | 'image'
  | 'tag'
  | 'package'
  | 'timeout'
  | 'service'
  | 'jobs'
  | 'error';

export interface StageDetail {
  field: DetailField;
  value: string;
}

/** A V1 stage object or a V2 sub-task, reduced to what the tree shows. */
export interface StageView {
  /** Unique within its task and stable across snapshots. */
  key: string;
  /** `build`, `test`, ... for V1; the sub-task's `type` for V2. */
  name: string;
  /** Absent when a V2 sub-task carries no status. */
  status?: TaskStatus;
  details: StageDetail[];
  /** The stage object or sub-task as received, for the tooltip. */
  raw: object;
}

/**
 * One task of either API version, reduced to one shape so that the store and the tree
 * model need no version branches. `raw` keeps the full record for the tooltip.
 */
export interface TaskView {
  /** Unique within a backend: `v1:39`, `v2:1`. */
  key: string;
  id: number;
  version: ApiVersion;
  pipeline: string;
  status: TaskStatus;
  creator: string;
  /** Unix seconds the task started, 0 when the backend does not say. */
  startedAt: number;
  stages: StageView[];
  raw: V1Task | V2Task;
}

/** A V1 task: its four stage objects become the stages, in pipeline order. */
export function viewOfV1Task(task: V1Task): TaskView {
  const build = task.build_task;
  const test = task.test_task;
  const deploy = task.deploy_task;
  const distribute = task.distribute_task;

  const stages: StageView[] = [
    {
      key: 'build',
      name: 'build',
      status: build.status,
      raw: build,
      details: compact([
        ['repo', joinRepo(build.repo_owner, build.repo_name)],
        ['branch', build.branch],
        ['commit', commitText(build.commit_id, build.commit_message)],
        ['pullRequest', pullRequestOfRef(build.ref)],
        ['tag', build.image_tag],
        [
          'jobs',
          build.jobs.length ? build.jobs.map((j) => `#${j.number} ${j.status}`).join(', ') : '',
        ],
      ]),
    },
    {
      key: 'test',
      name: 'test',
      status: test.status,
      raw: test,
      details: compact([
        ['service', joinRepo(test.stack_name, test.service_name)],
        ['error', test.error],
      ]),
    },
    {
      key: 'deploy',
      name: 'deploy',
      status: deploy.status,
      raw: deploy,
      details: compact([
        ['tag', deploy.image_tag],
        ['error', deploy.error],
      ]),
    },
    {
      key: 'distribute',
      name: 'distribute',
      status: distribute.status,
      raw: distribute,
      details: compact([
        ['package', distribute.package_file],
        ['image', imageWithTag(distribute.image_name, distribute.image_tag)],
      ]),
    },
  ];

  return {
    key: `v1:${task.id}`,
    id: task.id,
    version: 'v1',
    pipeline: task.pipeline_name,
    status: task.current_status,
    creator: task.task_creator,
    startedAt: task.created,
    stages,
    raw: task,
  };
}

/** A V2 task: each `sub_tasks` entry becomes a stage. */
export function viewOfV2Task(task: V2Task): TaskView {
  return {
    key: `v2:${task.task_id}`,
    id: task.task_id,
    version: 'v2',
    pipeline: task.pipeline_name,
    status: task.status,
    creator: task.task_creator,
    // `start_time` is 0 until the task starts; the creation time is the next best start.
    startedAt: task.start_time || task.create_time,
    stages: task.sub_tasks.map(viewOfSubTask),
    raw: task,
  };
}

function viewOfSubTask(sub: V2SubTask, index: number): StageView {
  return {
    // The index keeps two sub-tasks of one type apart; the API gives sub-tasks no id.
    key: `${index}`,
    name: sub.type,
    status: sub.status,
    raw: sub,
    details: compact([
      ['repo', joinRepo(sub.repo_owner, sub.repo_name)],
      ['branch', sub.branch],
      ['commit', commitText(sub.commit_id, sub.commit_message)],
      ['pullRequest', sub.pull_request_id ? `#${sub.pull_request_id}` : ''],
      ['image', sub.image],
      ['package', sub.package_file],
      ['service', sub.service_name],
      ['timeout', sub.timeout ? formatSeconds(sub.timeout) : ''],
    ]),
  };
}

/** `0c4f215 Test`: the short commit id and the first line of the message. */
export function commitText(id: string | undefined, message: string | undefined): string {
  const short = (id ?? '').slice(0, 7);
  const firstLine = (message ?? '').split('\n', 1)[0]?.trim() ?? '';
  return [short, firstLine].filter(Boolean).join(' ');
}

/** `refs/pull/12/head` → `#12`; other refs name no pull request. */
export function pullRequestOfRef(ref: string): string {
  const match = /^refs\/(?:pull|merge-requests)\/(\d+)\//.exec(ref);
  return match ? `#${match[1]}` : '';
}

/** A timeout in seconds as `1h`, `90s`, `1h 30m`. */
export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0s';
}

function joinRepo(owner: string | undefined, name: string | undefined): string {
  return [owner, name].filter(Boolean).join('/');
}

function imageWithTag(name: string, tag: string): string {
  if (!name) return tag;
  return tag ? `${name}:${tag}` : name;
}

function compact(entries: [StageDetail['field'], string | undefined][]): StageDetail[] {
  return entries
    .filter((e): e is [StageDetail['field'], string] => Boolean(e[1]))
    .map(([field, value]) => ({ field, value }));
}
