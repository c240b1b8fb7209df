/**
 * Errors of the contract tester and the validation proxy. Each has a stable
 * `code`; callers decide by code (or by the literal `name`), never by message
 * text. A contract violation is not an error: it is a diagnostic in a check
 * result. These classes are for the runs that could not be carried out.
 */
export const ERROR_CODES = {
  /**
   * The proxy does not forward the mock's control API: through it, loopback-only control would face
   * the network.
   */
  CONTROL_NOT_FORWARDED: 'RT_PROXY_CONTROL_NOT_FORWARDED',
  /** An option has a value the tester cannot use (a bad URL, a negative duration). */
  INVALID_OPTION: 'RT_CONTRACT_INVALID_OPTION',
  /** The OpenAPI or AsyncAPI document does not have the shape the checks read. */
  CONTRACT_UNREADABLE: 'RT_CONTRACT_UNREADABLE',
  /** Not one request reached the backend: refused, unknown host, timed out. */
  BACKEND_UNREACHABLE: 'RT_CONTRACT_BACKEND_UNREACHABLE',
  /** One request failed below HTTP (reset, timeout); recorded as a diagnostic. */
  TRANSPORT: 'RT_CONTRACT_TRANSPORT',
  /** A report file could not be written. */
  REPORT_WRITE: 'RT_CONTRACT_REPORT_WRITE',
  /** The proxy could not reach its upstream for one request. */
  UPSTREAM_UNREACHABLE: 'RT_PROXY_UPSTREAM_UNREACHABLE',
  /** The proxy replaced an upstream answer that broke the contract (`--errors`). */
  CONTRACT_VIOLATION: 'RT_PROXY_CONTRACT_VIOLATION',
  /** Should not happen: a bug in the tester. */
  INTERNAL: 'RT_CONTRACT_INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class ContractTesterError extends Error {
  override name = 'ContractTesterError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class InvalidOptionError extends ContractTesterError {
  override name = 'InvalidOptionError' as const;
  /** The option as the user spells it, e.g. `--ws-duration`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(ERROR_CODES.INVALID_OPTION, `${option}: ${message}`);
    this.option = option;
  }
}

export class ContractUnreadableError extends ContractTesterError {
  override name = 'ContractUnreadableError' as const;
  readonly file: string;

  constructor(file: string, where: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.CONTRACT_UNREADABLE, `${file}: ${where}: ${message}`, options);
    this.file = file;
  }
}

export class BackendUnreachableError extends ContractTesterError {
  override name = 'BackendUnreachableError' as const;
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.BACKEND_UNREACHABLE, `cannot reach ${url}: ${reason}`, options);
    this.url = url;
  }
}

/** A request that failed below HTTP. `syscall` is Node's code (`ECONNRESET`, …) or `ETIMEDOUT`. */
export class TransportError extends ContractTesterError {
  override name = 'TransportError' as const;
  readonly syscall: string;
  /** True when the failure happened before a connection existed (nothing listens, no route). */
  readonly beforeConnect: boolean;

  constructor(
    syscall: string,
    message: string,
    beforeConnect: boolean,
    options?: { cause?: unknown },
  ) {
    super(ERROR_CODES.TRANSPORT, message, options);
    this.syscall = syscall;
    this.beforeConnect = beforeConnect;
  }
}

export class ReportWriteError extends ContractTesterError {
  override name = 'ReportWriteError' as const;

  constructor(file: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(ERROR_CODES.REPORT_WRITE, `cannot write the report ${file}: ${reason}`, options);
  }
}

export class InternalError extends ContractTesterError {
  override name = 'InternalError' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.INTERNAL, `${message} (this is a bug in the contract tester)`, options);
  }
}

export function isContractTesterError(err: unknown): err is ContractTesterError {
  return err instanceof ContractTesterError;
}

export function isTransportError(err: unknown): err is TransportError {
  return err instanceof Error && err.name === 'TransportError';
}

export function isBackendUnreachableError(err: unknown): err is BackendUnreachableError {
  return err instanceof Error && err.name === 'BackendUnreachableError';
}
