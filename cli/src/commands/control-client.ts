const PREFIX = '/__mock';

/** One call to the control API; `body` is sent as JSON. */
export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** A control API refusal (problem+json), shown and turned into exit code 1. */
export class ControlRefused extends Error {
  override name = 'ControlRefused' as const;

  /** The HTTP status of the refusal; undefined when no mock answered at all. */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Calls the control API; a refusal becomes ControlRefused with the server's words. */
export class ControlClient {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  async call(call: Call): Promise<unknown> {
    const { body } = call;
    const url = `${this.base.replace(/\/$/, '')}${PREFIX}${call.path}`;

    let res: Response;
    try {
      res = await fetch(url, {
        method: call.method,
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(this.token === undefined ? {} : { Authorization: `Bearer ${this.token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      const cause = (err as Error).cause as NodeJS.ErrnoException | undefined;
      throw new ControlRefused(
        `no mock answers at ${this.base} (${cause?.code ?? (err as Error).message})`,
      );
    }

    const text = await res.text();
    const data: unknown = text === '' ? undefined : safeJson(text);
    if (!res.ok) throw new ControlRefused(describeProblem(res.status, data, text), res.status);
    return data;
  }
}

/** One line for a problem+json answer, then the file, path and reason of each issue. */
function describeProblem(status: number, data: unknown, text: string): string {
  if (data === null || typeof data !== 'object') return `HTTP ${status}: ${text.slice(0, 200)}`;
  const p = data as {
    detail?: string;
    code?: string;
    issues?: { file: string; line?: number; path: string; message: string }[];
  };
  // The detail may already list the issues; each is said once.
  const issues = (p.issues ?? [])
    .map((i) => `${i.file}${i.line === undefined ? '' : `:${i.line}`}: ${i.path}: ${i.message}`)
    .filter((line) => !(p.detail ?? '').includes(line))
    .map((line) => `\n  ${line}`);
  return `${p.detail ?? `HTTP ${status}`}${p.code ? ` [${p.code}]` : ''}${issues.join('')}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
