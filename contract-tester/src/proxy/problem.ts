import type { ServerResponse } from 'node:http';

/** Problem types of the proxy's own answers (RFC 7807 §3.1 `type`). */
export const PROBLEM_TYPES = {
  CONTRACT_VIOLATION: 'urn:running-tasks:problem:contract-violation',
  UPSTREAM_UNREACHABLE: 'urn:running-tasks:problem:upstream-unreachable',
  INTERNAL: 'about:blank',
  NOT_FORWARDED: 'urn:running-tasks:problem:not-forwarded',
} as const;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The stable error code of this product (`RT_PROXY_…`). */
  code: string;
  [extension: string]: unknown;
}

/**
 * Answers with an RFC 7807 problem document. These are the proxy's own
 * errors; the API's documented errors (6808, 401) pass through untouched.
 */
export function sendProblem(res: ServerResponse, problem: Problem): void {
  const body = JSON.stringify(problem);
  res.writeHead(problem.status, {
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
