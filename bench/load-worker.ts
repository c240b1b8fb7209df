/**
 * The HTTP load generator, run in a process of its own so that it does not
 * share an event loop with the server it measures. Reads one job as JSON
 * from argv, prints one result as JSON on stdout.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Seconds; the run stops then. (autocannon ignores the duration when given a request count.) */
  duration: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
  const host = new URL(job.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`refusing to load ${host}: benchmarks only target this machine`);
  }

  const result = await autocannon({
    url: job.url,
    headers: job.headers,
    connections: job.connections,
    duration: job.duration,
    pipelining: 1,
  });
  const out: LoadResult = {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: Object.fromEntries(
      Object.entries(result)
        .filter(([k]) => /^\dxx$/.test(k))
        .map(([k, v]) => [k, v as number]),
    ),
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
