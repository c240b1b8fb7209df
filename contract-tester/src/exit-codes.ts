import { ERROR_CODES, type ContractTesterError } from './errors';

/**
 * Exit codes of `running-tasks contract`. CI branches on them: 1 means the
 * backend answered and broke the contract; 3 means it never answered, which
 * is usually a pipeline problem (the backend did not start), not a contract
 * problem.
 */
export const EXIT_CODES = {
  PASSED: 0,
  VIOLATIONS: 1,
  USAGE: 2,
  UNREACHABLE: 3,
  INTERNAL: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code for a run that ended in an error instead of a report. */
export function exitCodeForError(err: ContractTesterError): ExitCode {
  switch (err.code) {
    case ERROR_CODES.BACKEND_UNREACHABLE:
      return EXIT_CODES.UNREACHABLE;
    case ERROR_CODES.INVALID_OPTION:
    case ERROR_CODES.CONTRACT_UNREADABLE:
    case ERROR_CODES.REPORT_WRITE:
      return EXIT_CODES.USAGE;
    default:
      return EXIT_CODES.INTERNAL;
  }
}
