import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Sends an error of the mock's own as problem+json (RFC 7807). The API's
 * documented errors (6808, 401) keep their own envelope and do not come here.
 */
export function sendProblem(
  res: ServerResponse,
  status: number,
  problem: Problem,
  headers: Record<string, string> = {},
): void {
  const body = problemBody(status, problem);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

type Problem = { type: string; title: string; detail: string; [extra: string]: unknown };

function problemBody(status: number, problem: Problem): string {
  return JSON.stringify({ ...problem, status });
}

/**
 * Answers on a bare socket and closes it, where there is no ServerResponse:
 * a refused websocket handshake, a request Node's parser gave up on.
 * `problem` is sent as problem+json; a string body is sent as JSON.
 */
export function endSocketWith(
  socket: Duplex,
  status: number,
  reason: string,
  answer: Problem | string,
  extraHeaders: readonly string[] = [],
): void {
  const [type, body] =
    typeof answer === 'string'
      ? ['application/json', answer]
      : ['application/problem+json', problemBody(status, answer)];
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    ...extraHeaders,
    `Content-Type: ${type}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
