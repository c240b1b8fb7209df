// Generated from schemas/ by `npm run generate`. Do not edit.

/** The schemas of schemas/, keyed by their path there. */
export const SCHEMA_BUNDLE = {
  'api-error.yaml': {
    title: 'ApiError',
    description:
      'The API\'s error envelope. `code` is the application error code (6808 for "List Running Tasks Error"), not the HTTP status. The page writes it as a string; later servers send a number, so both are accepted. Later servers also add `"type": "error"`.',
    type: 'object',
    required: ['message', 'code'],
    properties: {
      message: {
        type: 'string',
      },
      code: {
        type: ['string', 'integer'],
        pattern: '^[0-9]+$',
      },
      description: {
        type: 'string',
      },
      type: {
        type: 'string',
      },
    },
  },
  'auth-error.yaml': {
    title: 'AuthError',
    description: 'Body of a 401 answer when the token is missing or wrong.',
    type: 'object',
    required: ['message'],
    properties: {
      message: {
        type: 'string',
      },
    },
  },
  'task-status.yaml': {
    title: 'TaskStatus',
    description:
      'Status of a task, a stage or a sub-task. An open set: the values listed in the first branch are the ones the API is known to send, and any other string is accepted so that a backend adding a status does not break its clients. Clients show an unknown status as its raw text.',
    anyOf: [
      {
        title: 'KnownTaskStatus',
        type: 'string',
        enum: [
          'created',
          'running',
          'passed',
          'failed',
          'timeout',
          'cancelled',
          'waiting',
          'blocked',
          'queued',
          'skipped',
          'disabled',
          'prepare',
          'reject',
          'pause',
          'unstable',
          'wait_for_approval',
          'waitforapprove',
        ],
      },
      {
        type: 'string',
      },
    ],
  },
  'unix-time.yaml': {
    title: 'UnixTime',
    description:
      'A moment as Unix time in whole seconds. The upper bound (2100-01-01) exists to catch a backend that sends milliseconds. 0 means "not set".',
    type: 'integer',
    minimum: 0,
    maximum: 4102444800,
  },
  'v1/build-job.yaml': {
    title: 'V1BuildJob',
    type: 'object',
    required: ['number', 'status'],
    properties: {
      number: {
        type: 'integer',
      },
      status: {
        $ref: '../task-status.yaml',
      },
    },
  },
  'v1/build-task.yaml': {
    title: 'V1BuildTask',
    description:
      'The build stage. `build_nubmer` is spelled this way on the wire and is part of the contract: a backend that sends `build_number` instead is missing a required field.',
    type: 'object',
    required: [
      'repo_owner',
      'repo_name',
      'branch',
      'ref',
      'commit_id',
      'commit_message',
      'image_tag',
      'status',
      'project_id',
      'build_nubmer',
      'jobs',
    ],
    properties: {
      repo_owner: {
        type: 'string',
      },
      repo_name: {
        type: 'string',
      },
      branch: {
        type: 'string',
      },
      ref: {
        type: 'string',
      },
      commit_id: {
        type: 'string',
      },
      commit_message: {
        type: 'string',
      },
      image_tag: {
        type: 'string',
      },
      status: {
        $ref: '../task-status.yaml',
      },
      project_id: {
        type: 'integer',
      },
      build_nubmer: {
        type: 'integer',
      },
      jobs: {
        type: 'array',
        items: {
          $ref: 'build-job.yaml',
        },
      },
    },
  },
  'v1/deploy-task.yaml': {
    title: 'V1DeployTask',
    type: 'object',
    required: ['image_tag', 'status', 'error'],
    properties: {
      image_tag: {
        type: 'string',
      },
      status: {
        $ref: '../task-status.yaml',
      },
      error: {
        type: 'string',
        description: 'Empty unless the stage failed.',
      },
    },
  },
  'v1/distribute-task.yaml': {
    title: 'V1DistributeTask',
    type: 'object',
    required: ['package_file', 'image_name', 'image_tag', 'status'],
    properties: {
      package_file: {
        type: 'string',
      },
      image_name: {
        type: 'string',
      },
      image_tag: {
        type: 'string',
      },
      status: {
        $ref: '../task-status.yaml',
      },
    },
  },
  'v1/jira-issue.yaml': {
    title: 'V1JiraIssue',
    description: 'A Jira issue linked to the task. Every field is a string, `id` included.',
    type: 'object',
    required: [
      'id',
      'key',
      'url',
      'summary',
      'description',
      'priority',
      'creator',
      'assignee',
      'reporter',
    ],
    properties: {
      id: {
        type: 'string',
      },
      key: {
        type: 'string',
      },
      url: {
        type: 'string',
      },
      summary: {
        type: 'string',
      },
      description: {
        type: 'string',
      },
      priority: {
        type: 'string',
      },
      creator: {
        type: 'string',
      },
      assignee: {
        type: 'string',
      },
      reporter: {
        type: 'string',
      },
    },
  },
  'v1/task-list.yaml': {
    title: 'V1TaskList',
    description:
      'The V1 running list: every task that is running now. Always the complete list, never a diff; an idle system sends an empty array.',
    type: 'array',
    items: {
      $ref: 'task.yaml',
    },
  },
  'v1/task.yaml': {
    title: 'V1Task',
    description:
      'A V1 pipeline task with its four stage objects. Every documented field is required; fields the page does not document are allowed, since the real system adds some.',
    type: 'object',
    required: [
      'id',
      'task_creator',
      'task_revoker',
      'pipeline_name',
      'jira_issues',
      'current_status',
      'final_status',
      'created',
      'updated',
      'deploy_env',
      'stack_name',
      'service_name',
      'build_task',
      'test_task',
      'deploy_task',
      'distribute_task',
    ],
    properties: {
      id: {
        type: 'integer',
      },
      task_creator: {
        type: 'string',
      },
      task_revoker: {
        type: 'string',
        description: 'Empty when nobody cancelled the task.',
      },
      pipeline_name: {
        type: 'string',
      },
      jira_issues: {
        type: 'array',
        items: {
          $ref: 'jira-issue.yaml',
        },
      },
      current_status: {
        $ref: '../task-status.yaml',
      },
      final_status: {
        $ref: '../task-status.yaml',
      },
      created: {
        $ref: '../unix-time.yaml',
      },
      updated: {
        $ref: '../unix-time.yaml',
      },
      deploy_env: {
        type: 'string',
      },
      stack_name: {
        type: 'string',
      },
      service_name: {
        type: 'string',
      },
      build_task: {
        $ref: 'build-task.yaml',
      },
      test_task: {
        $ref: 'test-task.yaml',
      },
      deploy_task: {
        $ref: 'deploy-task.yaml',
      },
      distribute_task: {
        $ref: 'distribute-task.yaml',
      },
    },
  },
  'v1/test-task.yaml': {
    title: 'V1TestTask',
    type: 'object',
    required: [
      'stack_name',
      'service_name',
      'threshold',
      'kodo_key',
      'kodo_hash',
      'status',
      'error',
    ],
    properties: {
      stack_name: {
        type: 'string',
      },
      service_name: {
        type: 'string',
      },
      threshold: {
        type: 'integer',
      },
      kodo_key: {
        type: 'string',
      },
      kodo_hash: {
        type: 'string',
      },
      status: {
        $ref: '../task-status.yaml',
      },
      error: {
        type: 'string',
        description: 'Empty unless the stage failed.',
      },
    },
  },
  'v2/sub-task.yaml': {
    title: 'V2SubTask',
    description:
      'One step of a V2 task, flat. The page documents a `build` sub-task, so that type requires every field the page shows. Other types (`deploy`, `testing`, `distribute`, `jira`, `buildv2`, `testingv2`, ...) are not documented: they require only `type`, and the fields they share with a build are typed when present. `status`, `service_name`, `start_time` and `end_time` come from sibling pages and are optional.',
    type: 'object',
    required: ['type'],
    properties: {
      type: {
        type: 'string',
        description:
          'build, deploy, testing, distribute, jira, buildv2, testingv2, or another kind.',
      },
      branch: {
        type: 'string',
      },
      commit_id: {
        type: 'string',
      },
      commit_message: {
        type: 'string',
      },
      image: {
        type: 'string',
      },
      package_file: {
        type: 'string',
      },
      pull_request_id: {
        type: 'integer',
      },
      repo_name: {
        type: 'string',
      },
      repo_owner: {
        type: 'string',
      },
      timeout: {
        type: 'integer',
        description: 'Seconds.',
      },
      status: {
        $ref: '../task-status.yaml',
      },
      service_name: {
        type: 'string',
      },
      start_time: {
        $ref: '../unix-time.yaml',
      },
      end_time: {
        $ref: '../unix-time.yaml',
      },
    },
    if: {
      properties: {
        type: {
          const: 'build',
        },
      },
      required: ['type'],
    },
    then: {
      required: [
        'branch',
        'commit_id',
        'commit_message',
        'image',
        'package_file',
        'pull_request_id',
        'repo_name',
        'repo_owner',
        'timeout',
      ],
    },
  },
  'v2/task-list.yaml': {
    title: 'V2TaskList',
    description:
      'The V2 running list: every task that is running now. Always the complete list, never a diff; an idle system sends an empty array.',
    type: 'array',
    items: {
      $ref: 'task.yaml',
    },
  },
  'v2/task.yaml': {
    title: 'V2Task',
    description:
      "A V2 pipeline task. For a task that is still running `end_time` is a placeholder (the page's example has it equal to `create_time`, before `start_time`): clients must not assume `end_time >= start_time`.",
    type: 'object',
    required: [
      'task_id',
      'pipeline_name',
      'status',
      'task_creator',
      'create_time',
      'start_time',
      'end_time',
      'sub_tasks',
    ],
    properties: {
      task_id: {
        type: 'integer',
      },
      pipeline_name: {
        type: 'string',
      },
      status: {
        $ref: '../task-status.yaml',
      },
      task_creator: {
        type: 'string',
      },
      task_revoker: {
        type: 'string',
        description: 'Not on the page; sibling pages of the same system show it.',
      },
      create_time: {
        $ref: '../unix-time.yaml',
      },
      start_time: {
        $ref: '../unix-time.yaml',
      },
      end_time: {
        $ref: '../unix-time.yaml',
      },
      sub_tasks: {
        type: 'array',
        items: {
          $ref: 'sub-task.yaml',
        },
      },
    },
  },
} as const;
