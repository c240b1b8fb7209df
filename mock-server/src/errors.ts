/**
 * Errors of the mock server. Each has a stable `code`; callers decide by
 * code, never by message text. Errors a user can cause (a bad fixture, a bad
 * flag) say where; `InternalError` marks a bug.
 */
export class MockServerError extends Error {
  override name = 'MockServerError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One reason a scenario was refused, with where it is. */
export interface ScenarioIssue {
  file: string;
  line?: number;
  /** JSONPath inside the file, or inside the task the issue is about. */
  path: string;
  message: string;
}

export class ScenarioError extends MockServerError {
  override name = 'ScenarioError' as const;
  readonly issues: ScenarioIssue[];

  constructor(issues: ScenarioIssue[]) {
    super('RT_SCENARIO_INVALID', formatIssues(issues));
    this.issues = issues;
  }
}

export class ConfigError extends MockServerError {
  override name = 'ConfigError' as const;

  constructor(message: string) {
    super('RT_CONFIG_INVALID', message);
  }
}

export class InternalError extends MockServerError {
  override name = 'InternalError' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super('RT_INTERNAL', `${message} (this is a bug in the mock server)`, options);
  }
}

function formatIssues(issues: ScenarioIssue[]): string {
  const lines = issues.map((i) => {
    const where = i.line === undefined ? i.file : `${i.file}:${i.line}`;
    return `  ${where}: ${i.path}: ${i.message}`;
  });
  return `the scenario is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

export function isScenarioError(err: unknown): err is ScenarioError {
  return err instanceof Error && err.name === 'ScenarioError';
}
