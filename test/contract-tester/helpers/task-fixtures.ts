import type { V1Task, V2Task } from '@running-tasks/contracts';

/** A valid V1 task (the API page's example), with fields overridden. */
export function v1Task(overrides: Partial<V1Task> = {}): V1Task {
  return {
    id: 39,
    task_creator: 'yaoshipu',
    task_revoker: '',
    pipeline_name: 'demo-pipeline',
    jira_issues: [
      {
        id: '71810',
        key: 'ASLAN-1441',
        url: 'https://jira.example/browse/ASLAN-1441',
        summary: 'pipeline task',
        description: 'pipeline task',
        priority: 'p3',
        creator: 'fulichao',
        assignee: 'fulichao',
        reporter: 'fulichao',
      },
    ],
    current_status: 'running',
    final_status: 'running',
    created: 1499742178,
    updated: 1499742178,
    deploy_env: 'yaoshipu',
    stack_name: 'demo',
    service_name: 'demo',
    build_task: {
      repo_owner: 'yaoshipu',
      repo_name: 'sample-helloworld',
      branch: 'master',
      ref: 'refs/pull/1/head',
      commit_id: '0c4f2154374accbbdf8e165a4a93209fc972976d',
      commit_message: 'Test',
      image_tag: '20170711-v39-master',
      status: 'running',
      project_id: 0,
      build_nubmer: 0,
      jobs: [],
    },
    test_task: {
      stack_name: 'test',
      service_name: 'test',
      threshold: 0,
      kodo_key: '',
      kodo_hash: '',
      status: 'created',
      error: '',
    },
    deploy_task: { image_tag: '20170711-v39-master', status: 'created', error: '' },
    distribute_task: {
      package_file: '-20170711-v39-master.tar.gz',
      image_name: '',
      image_tag: '20170711-v39-master',
      status: 'created',
    },
    ...overrides,
  };
}

/** A valid V2 task (the API page's example), with fields overridden. */
export function v2Task(overrides: Partial<V2Task> = {}): V2Task {
  return {
    task_id: 1,
    pipeline_name: 'test-pipeline',
    status: 'running',
    task_creator: 'yaoshipu',
    create_time: 1507107936,
    start_time: 1507107939,
    end_time: 1507107936,
    sub_tasks: [
      {
        branch: 'master',
        commit_id: 'e96fb0b53ff1895354c1b1276e4536a6a7b1bd74',
        commit_message: 'test drone yml update',
        image: 'image full name',
        package_file: 'build service kodo package file',
        pull_request_id: 6,
        repo_name: 'sample-helloworld',
        repo_owner: 'yaoshipu',
        timeout: 3600,
        type: 'build',
      },
    ],
    ...overrides,
  };
}

/** A task with one property removed: for "a required field is missing". */
export function without<T extends object>(task: T, key: keyof T): Record<string, unknown> {
  const copy = { ...task } as Record<string, unknown>;
  delete copy[key as string];
  return copy;
}
