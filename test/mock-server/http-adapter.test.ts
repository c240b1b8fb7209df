import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  compileValidators,
  loadSchemaSet,
  OPENAPI_FILE,
  SCHEMAS_DIR,
  type ContractValidators,
} from '@running-tasks/contracts';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { captureLog } from '../helpers/log-capture';
import { pageExamples } from '../helpers/page-examples';

describe('mock server over HTTP', () => {
  let server: MockServer;
  let v: ContractValidators;
  before(async () => {
    v = compileValidators(await loadSchemaSet());
    server = await startMockServer({ port: 0, paused: true, logger: false });
  });
  after(() => server.close());
  beforeEach(() => server.replay.seek(0));

  it('answers both GETs with the page examples at time 0', async () => {
    const page = pageExamples();
    const r1 = await fetch(`${server.url}/api/tasks/running`);
    const r2 = await fetch(`${server.url}/api/v2/tasks/running`);
    assert.equal(r1.status, 200);
    assert.equal(r1.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r1.json(), page.v1);
    assert.deepEqual(await r2.json(), page.v2);
  });

  it('answers with the replay state of the moment, which conforms to the contract', async () => {
    const seen = new Set<string>();
    for (let t = 0; t <= 240_000; t += 7_000) {
      server.replay.seek(t);
      const v1 = await (await fetch(`${server.url}/api/tasks/running`)).json();
      const v2 = await (await fetch(`${server.url}/api/v2/tasks/running`)).json();
      assert.deepEqual(v.v1TaskList(v1).diagnostics, [], `v1 at ${t} ms`);
      assert.deepEqual(v.v2TaskList(v2).diagnostics, [], `v2 at ${t} ms`);
      seen.add(JSON.stringify([v1, v2]));
    }
    assert.ok(seen.size > 10, `the lists changed only ${seen.size} times over the scenario`);
  });

  it('moves the list within seconds of the start', async () => {
    server.replay.seek(6_500);
    const tasks = (await (await fetch(`${server.url}/api/tasks/running`)).json()) as {
      id: number;
      build_task: { status: string };
    }[];
    assert.deepEqual(
      tasks.map((t) => [t.id, t.build_task.status]),
      [
        [39, 'passed'],
        [40, 'running'],
      ],
    );
  });

  it('returns the 6808 error with HTTP 400 for Prefer: code=400', async () => {
    const res = await fetch(`${server.url}/api/tasks/running`, { headers: { Prefer: 'code=400' } });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      message: 'List Running Tasks Error',
      code: '6808',
      description: 'error details',
    });
  });

  it('serves a named example on request, whatever the replay time', async () => {
    server.replay.seek(50_000);
    const res = await fetch(`${server.url}/api/v2/tasks/running`, {
      headers: { Prefer: 'example=page' },
    });
    assert.deepEqual(await res.json(), pageExamples().v2);
    const empty = await fetch(`${server.url}/api/v2/tasks/running?__example=empty`);
    assert.deepEqual(await empty.json(), []);
  });

  it('answers 426 with a hint on a plain GET of a websocket route', async () => {
    const res = await fetch(`${server.url}/api/v2/tasks/ws/running`);
    assert.equal(res.status, 426);
    assert.equal(res.headers.get('upgrade'), 'websocket');
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const body = (await res.json()) as { detail: string };
    assert.match(body.detail, /connect to it with a websocket/);
  });

  it('answers 404 on an unknown path, 405 on a wrong method and 406 on an unservable Accept', async () => {
    const missing = await fetch(`${server.url}/api/tasks/finished`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { type: string }).type, /NO_PATH_MATCHED_ERROR/);
    assert.equal(
      (await fetch(`${server.url}/api/tasks/running`, { method: 'DELETE' })).status,
      405,
    );
    assert.equal(
      (await fetch(`${server.url}/api/tasks/running`, { headers: { Accept: 'application/xml' } }))
        .status,
      406,
    );
    // Prism's mocker keeps the Accept of a request in its config; later requests must not inherit
    // it.
    assert.equal((await fetch(`${server.url}/api/tasks/running`)).status, 200);
  });

  it('answers 400, naming the header, when Accept or Content-Type cannot be read', async () => {
    for (const accept of [';;;garbage', 'text/', '*/*; charset="unterminated', ',', ' , , ']) {
      const res = await fetch(`${server.url}/api/v2/tasks/running`, {
        headers: { Accept: accept },
      });
      assert.equal(res.status, 400, accept);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const { detail } = (await res.json()) as { detail: string };
      assert.ok(detail.startsWith(`The Accept header ${JSON.stringify(accept.trim())} `), detail);
      assert.match(detail, /each entry must be type\/subtype/);
    }
    const badType = await getWithBody(`${server.url}/api/v2/tasks/running`, ';;bad', '{"x":1}');
    assert.equal(badType.status, 400);
    assert.match(badType.body, /The Content-Type header \\";;bad\\" cannot be read/);
    // Still served afterwards, and a well-formed odd Accept is not refused.
    assert.equal(
      (await fetch(`${server.url}/api/tasks/running`, { headers: { Accept: '*/*;q=0.5' } })).status,
      200,
    );
  });

  it('reflects the Origin for CORS and answers preflights', async () => {
    const pre = await fetch(`${server.url}/api/tasks/running`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(pre.headers.get('access-control-allow-headers'), 'authorization');

    const res = await fetch(`${server.url}/api/tasks/running`, {
      headers: { Origin: 'http://localhost:5173' },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  });
});

describe('requests Node cannot parse', () => {
  it('get problem+json and a log line, and the server goes on', async () => {
    const { logger, lines } = captureLog<{ msg?: string; status?: number; code?: string }>();
    const server = await startMockServer({ port: 0, paused: true, logger });
    try {
      const port = Number(new URL(server.url).port);
      const garbage = await rawExchange(port, 'GARBAGE\r\n\r\n');
      assert.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(garbage, /Content-Type: application\/problem\+json/);
      assert.match(garbage, /"detail":"The request could not be read as HTTP\/1\.1 \(HPE_/);
      const big = await rawExchange(
        port,
        `GET /api/tasks/running HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      assert.match(big, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      assert.equal((await fetch(`${server.url}/api/tasks/running`)).status, 200);

      await new Promise((resolve) => setTimeout(resolve, 50));
      const refused = lines.filter((l) => l.msg === 'request refused: Node could not parse it');
      assert.deepEqual(
        refused.map((l) => l.status),
        [400, 431],
      );
      assert.equal(refused[1].code, 'HPE_HEADER_OVERFLOW');
    } finally {
      await server.close();
    }
  });
});

describe('mock server with a token', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ port: 0, paused: true, token: 's3cret', logger: false });
  });
  after(() => server.close());

  it("answers 401 with the API's body without the token or with a wrong one", async () => {
    const variants: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer nope' },
      { Authorization: 's3cret' },
    ];
    for (const headers of variants) {
      const res = await fetch(`${server.url}/api/tasks/running`, { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.deepEqual(await res.json(), { message: 'auth failed' });
    }
  });

  it('accepts the token as Bearer, as X-API-KEY and as a query parameter', async () => {
    const bearer = await fetch(`${server.url}/api/tasks/running`, {
      headers: { Authorization: 'Bearer s3cret' },
    });
    const apiKey = await fetch(`${server.url}/api/v2/tasks/running`, {
      headers: { Authorization: 'X-API-KEY s3cret' },
    });
    const query = await fetch(`${server.url}/api/v2/tasks/running?token=s3cret`);
    assert.deepEqual([bearer.status, apiKey.status, query.status], [200, 200, 200]);
  });
});

describe('mock server options', () => {
  it('refuses a port that is not a port number instead of hanging', async () => {
    await assert.rejects(
      startMockServer({ port: 'x' as unknown as number, logger: false }),
      /port must be an integer from 0 to 65535, got x/,
    );
    await assert.rejects(
      startMockServer({ port: 0, token: '', logger: false }),
      /token must not be empty/,
    );
  });
});

describe('OpenAPI examples', () => {
  it('refuses a document whose example breaks its schema, saying which and where', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rt-openapi-'));
    try {
      await cp(path.dirname(OPENAPI_FILE), path.join(dir, 'openapi'), { recursive: true });
      await cp(SCHEMAS_DIR, path.join(dir, 'schemas'), { recursive: true });
      const file = path.join(dir, 'openapi', 'running-tasks.yaml');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('message: List Running Tasks Error', 'message: 123'));

      const refusal = startMockServer({
        port: 0,
        logger: false,
        contracts: { openapiFile: file, schemasDir: path.join(dir, 'schemas') },
      });
      await assert.rejects(
        refusal,
        (err: Error & { issues?: { path: string; line?: number; message: string }[] }) => {
          const issue = err.issues?.[0];
          assert.equal(
            issue?.path,
            '$.paths["/api/tasks/running"].get.responses["400"].content["application/json"].examples.page.value.message',
          );
          assert.match(
            issue?.message ?? '',
            /example "page" breaks its schema: must be string, is integer/,
          );
          assert.ok(issue?.line !== undefined && issue.line > 1);
          return true;
        },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A GET with a body (fetch refuses to send one): its status and body. */
function getWithBody(
  url: string,
  contentType: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        agent: false,
        headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes `text` on a fresh connection and reads until the server closes it. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
