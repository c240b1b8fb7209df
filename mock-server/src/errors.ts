/**
 * Errors of the mock server. Each has a stable `code`; callers decide by
 * code, never by message text. Errors a user can cause (a bad fixture, a bad
 * flag) say where; `InternalError` marks a bug.
 *
 * Two codes exist only on the wire, in problem+json bodies:
 * `RT_RELOAD_FAILED` (POST /__mock/reload refused an edit) and
 * `RT_CORS_ORIGIN_REFUSED` (a preflight from an origin not in the list).
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
  /**
   * The file the problem is about, when it is reported where another file names it (a missing
   * fixture).
   */
  subject?: string;
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

/**
 * A control request the mock refuses. `status` is the HTTP status the
 * control API answers with (as problem+json, RFC 7807); the CLI shows the
 * message.
 */
export class ControlError extends MockServerError {
  override name: string = 'ControlError';
  readonly status: number;
  /** Extra members for the problem+json body (`issues`, `diagnostics`). */
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    status: number,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.status = status;
    this.details = details;
  }
}

/** A malformed control request: bad JSON, an unknown field, a value out of range. */
export class BadControlRequestError extends ControlError {
  override name = 'BadControlRequestError' as const;

  constructor(message: string, details?: Record<string, unknown>) {
    super('RT_CONTROL_BAD_REQUEST', 400, message, details);
  }
}

/** The caller may not use the control API: not on loopback and no control token, or a wrong one. */
export class ControlForbiddenError extends ControlError {
  override name = 'ControlForbiddenError' as const;

  constructor(message: string) {
    super('RT_CONTROL_FORBIDDEN', 403, message);
  }
}

export class ControlNotFoundError extends ControlError {
  override name = 'ControlNotFoundError' as const;

  constructor(message: string) {
    super('RT_CONTROL_NOT_FOUND', 404, message);
  }
}

/** A control route asked with a method it does not take; `allow` lists those it does. */
export class ControlMethodError extends ControlError {
  override name = 'ControlMethodError' as const;

  constructor(path: string, allow: string[]) {
    super('RT_CONTROL_METHOD', 405, `${path} takes ${allow.join(', ')}`, { allow });
  }
}

/**
 * A control body not sent as JSON. Only JSON is read: a page can send
 * text/plain across origins without a CORS preflight, JSON it cannot.
 */
export class ControlMediaTypeError extends ControlError {
  override name = 'ControlMediaTypeError' as const;

  constructor() {
    super('RT_CONTROL_MEDIA_TYPE', 415, 'send the body as Content-Type: application/json');
  }
}

/**
 * The request is well-formed but clashes with the current state (a duplicate id, nothing left to
 * step to).
 */
export class ControlConflictError extends ControlError {
  override name = 'ControlConflictError' as const;

  constructor(message: string) {
    super('RT_CONTROL_CONFLICT', 409, message);
  }
}

/** An ad hoc task (or a patch of one) that breaks the contract; `diagnostics` says where. */
export class TaskInvalidError extends ControlError {
  override name = 'TaskInvalidError' as const;

  constructor(message: string, diagnostics: unknown[]) {
    super('RT_TASK_INVALID', 422, message, { diagnostics });
  }
}

/**
 * A latency, fault, CORS or epoch setting that cannot be read. Raised by the
 * parsers shared by the CLI, the control API and per-request preferences.
 */
export class SettingError extends MockServerError {
  override name = 'SettingError' as const;

  constructor(message: string) {
    super('RT_SETTING_INVALID', message);
  }
}

/** The contracts (OpenAPI document or schemas) could not be loaded; `issues` say where. */
export class ContractLoadError extends MockServerError {
  override name = 'ContractLoadError' as const;
  readonly issues: ScenarioIssue[];

  constructor(issues: ScenarioIssue[], options?: { cause?: unknown }) {
    super('RT_CONTRACT_INVALID', formatIssues(issues, 'the contracts are invalid'), options);
    this.issues = issues;
  }
}

/** Recording failed: the upstream could not be reached or the output cannot be written. */
export class RecordError extends MockServerError {
  override name = 'RecordError' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super('RT_RECORD_FAILED', message, options);
  }
}

function formatIssues(issues: ScenarioIssue[], what = 'the scenario is invalid'): string {
  const lines = issues.map((i) => {
    const where = i.line === undefined ? i.file : `${i.file}:${i.line}`;
    return `  ${where}: ${i.path}: ${i.message}`;
  });
  return `${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

export function isScenarioError(err: unknown): err is ScenarioError {
  return err instanceof Error && err.name === 'ScenarioError';
}

export function isControlError(err: unknown): err is ControlError {
  return err instanceof ControlError;
}

export function isSettingError(err: unknown): err is SettingError {
  return err instanceof Error && err.name === 'SettingError';
}

export function isContractLoadError(err: unknown): err is ContractLoadError {
  return err instanceof Error && err.name === 'ContractLoadError';
}
