// Generated from schemas/ by `npm run generate`. Do not edit.

/**
 * Status of a task, a stage or a sub-task. An open set: the values listed in the first branch are the ones the API is known to send, and any other string is accepted so that a backend adding a status does not break its clients. Clients show an unknown status as its raw text.
 */
export type TaskStatus = KnownTaskStatus | string;
export type KnownTaskStatus =
  | 'created'
  | 'running'
  | 'passed'
  | 'failed'
  | 'timeout'
  | 'cancelled'
  | 'waiting'
  | 'blocked'
  | 'queued'
  | 'skipped'
  | 'disabled'
  | 'prepare'
  | 'reject'
  | 'pause'
  | 'unstable'
  | 'wait_for_approval'
  | 'waitforapprove';
/**
 * A moment as Unix time in whole seconds. The upper bound (2100-01-01) exists to catch a backend that sends milliseconds. 0 means "not set".
 */
export type UnixTime = number;
/**
 * The V1 running list: every task that is running now. Always the complete list, never a diff; an idle system sends an empty array.
 */
export type V1TaskList = V1Task[];
/**
 * The V2 running list: every task that is running now. Always the complete list, never a diff; an idle system sends an empty array.
 */
export type V2TaskList = V2Task[];

/**
 * Every payload of the running-tasks contracts, by name.
 */
export interface ContractPayloads {
  v1TaskList: V1TaskList;
  v1Task: V1Task;
  v2TaskList: V2TaskList;
  v2Task: V2Task;
  apiError: ApiError;
  authError: AuthError;
}
/**
 * A V1 pipeline task with its four stage objects. Every documented field is required; fields the page does not document are allowed, since the real system adds some.
 */
export interface V1Task {
  id: number;
  task_creator: string;
  /**
   * Empty when nobody cancelled the task.
   */
  task_revoker: string;
  pipeline_name: string;
  jira_issues: V1JiraIssue[];
  current_status: TaskStatus;
  final_status: TaskStatus;
  created: UnixTime;
  updated: UnixTime;
  deploy_env: string;
  stack_name: string;
  service_name: string;
  build_task: V1BuildTask;
  test_task: V1TestTask;
  deploy_task: V1DeployTask;
  distribute_task: V1DistributeTask;
  [k: string]: unknown;
}
/**
 * A Jira issue linked to the task. Every field is a string, `id` included.
 */
export interface V1JiraIssue {
  id: string;
  key: string;
  url: string;
  summary: string;
  description: string;
  priority: string;
  creator: string;
  assignee: string;
  reporter: string;
  [k: string]: unknown;
}
/**
 * The build stage. `build_nubmer` is spelled this way on the wire and is part of the contract: a backend that sends `build_number` instead is missing a required field.
 */
export interface V1BuildTask {
  repo_owner: string;
  repo_name: string;
  branch: string;
  ref: string;
  commit_id: string;
  commit_message: string;
  image_tag: string;
  status: TaskStatus;
  project_id: number;
  build_nubmer: number;
  jobs: V1BuildJob[];
  [k: string]: unknown;
}
export interface V1BuildJob {
  number: number;
  status: TaskStatus;
  [k: string]: unknown;
}
export interface V1TestTask {
  stack_name: string;
  service_name: string;
  threshold: number;
  kodo_key: string;
  kodo_hash: string;
  status: TaskStatus;
  /**
   * Empty unless the stage failed.
   */
  error: string;
  [k: string]: unknown;
}
export interface V1DeployTask {
  image_tag: string;
  status: TaskStatus;
  /**
   * Empty unless the stage failed.
   */
  error: string;
  [k: string]: unknown;
}
export interface V1DistributeTask {
  package_file: string;
  image_name: string;
  image_tag: string;
  status: TaskStatus;
  [k: string]: unknown;
}
/**
 * A V2 pipeline task. For a task that is still running `end_time` is a placeholder (the page's example has it equal to `create_time`, before `start_time`): clients must not assume `end_time >= start_time`.
 */
export interface V2Task {
  task_id: number;
  pipeline_name: string;
  status: TaskStatus;
  task_creator: string;
  /**
   * Not on the page; sibling pages of the same system show it.
   */
  task_revoker?: string;
  create_time: UnixTime;
  start_time: UnixTime;
  end_time: UnixTime;
  sub_tasks: V2SubTask[];
  [k: string]: unknown;
}
/**
 * One step of a V2 task, flat. The page documents a `build` sub-task, so that type requires every field the page shows. Other types (`deploy`, `testing`, `distribute`, `jira`, `buildv2`, `testingv2`, ...) are not documented: they require only `type`, and the fields they share with a build are typed when present. `status`, `service_name`, `start_time` and `end_time` come from sibling pages and are optional.
 */
export interface V2SubTask {
  /**
   * build, deploy, testing, distribute, jira, buildv2, testingv2, or another kind.
   */
  type: string;
  branch?: string;
  commit_id?: string;
  commit_message?: string;
  image?: string;
  package_file?: string;
  pull_request_id?: number;
  repo_name?: string;
  repo_owner?: string;
  /**
   * Seconds.
   */
  timeout?: number;
  status?: TaskStatus;
  service_name?: string;
  start_time?: UnixTime;
  end_time?: UnixTime;
  [k: string]: unknown;
}
/**
 * The API's error envelope. `code` is the application error code (6808 for "List Running Tasks Error"), not the HTTP status. The page writes it as a string; later servers send a number, so both are accepted. Later servers also add `"type": "error"`.
 */
export interface ApiError {
  message: string;
  code: string | number;
  description?: string;
  type?: string;
  [k: string]: unknown;
}
/**
 * Body of a 401 answer when the token is missing or wrong.
 */
export interface AuthError {
  message: string;
  [k: string]: unknown;
}
