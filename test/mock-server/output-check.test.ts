import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as E from 'fp-ts/Either';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { createPrismEngine } from '../../mock-server/src/http/prism-engine';
import { captureLog } from '../helpers/log-capture';

const V1 = '/api/tasks/running';
/** Refuses every media type: Prism answers anyway, with no Content-Type. */
const ACCEPT_NOTHING = { Accept: '*/*;q=0, application/json;q=0' };

interface LogLine {
  level: number;
  msg: string;
  status?: number;
  violations?: string[];
}

describe("Prism's check of each answer against the contract", () => {
  let server: MockServer;
  const { logger, lines } = captureLog<LogLine>();

  before(async () => {
    server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger });
  });
  after(() => server.close());
  beforeEach(() => lines.splice(0));

  const get = async (
    headers: Record<string, string>,
  ): Promise<{ status: number; type: string | null; body: string }> => {
    const res = await fetch(server.url + V1, { headers });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const warnings = (): LogLine[] => lines.filter((l) => l.msg === 'the answer breaks the contract');

  it('says nothing of answers that keep to the contract, however often they are served', async () => {
    const first = await get({ Prefer: 'code=400' });
    const again = await get({ Prefer: 'code=400' });
    assert.equal(first.status, 400);
    assert.deepEqual(again, first);
    assert.equal((await get({})).status, 200);
    assert.deepEqual(warnings(), []);
  });

  it('logs a warning for every answer that breaks it, the live list included', async () => {
    const live = await get(ACCEPT_NOTHING);
    assert.equal(live.status, 200);
    assert.equal(live.type, null);
    // Not replayed by the fast path, which would answer without a word.
    const hits = server.stats().fastPathHits;
    assert.deepEqual(await get(ACCEPT_NOTHING), live);
    assert.equal(server.stats().fastPathHits, hits);
    // An example's answer is checked once and remembered: the second is still reported.
    const example = await get({ ...ACCEPT_NOTHING, Prefer: 'code=400' });
    const repeated = await get({ ...ACCEPT_NOTHING, Prefer: 'code=400' });
    assert.equal(example.status, 400);
    assert.deepEqual(repeated, example);

    // The request lines may be written before or after each warning.
    await new Promise((resolve) => setImmediate(resolve));
    const found = warnings();
    assert.deepEqual(
      found.map((l) => [l.level, l.status]),
      [
        [40, 200],
        [40, 200],
        [40, 400],
        [40, 400],
      ],
    );
    for (const line of found)
      assert.match(line.violations?.join('\n') ?? '', /received media type "" does not match/);
  });

  it("puts Prism's own findings in the mock's log as warnings, with the time", async () => {
    // fetch refuses to send a GET with a body; Prism's validator refuses to take one.
    const answer = await rawGetWithBody(server.url + '/api/v2/tasks/running', '{"x":1}');
    assert.equal(answer, 400);
    await new Promise((resolve) => setImmediate(resolve));
    const prism = lines.filter((l) => (l as { component?: string }).component === 'prism');
    assert.equal(prism.length, 1, JSON.stringify(lines));
    const [line] = prism as (LogLine & { time?: number; part?: string })[];
    assert.equal(line.level, 40);
    assert.equal(line.part, 'VALIDATOR');
    assert.equal(typeof line.time, 'number');
    assert.match(line.msg, /non-empty body/);
  });

  it('remembers the check of an example, and still reports what it found each time', async () => {
    // The mock refuses a document with an example like this one; the engine alone does not.
    const dir = await mkdtemp(path.join(tmpdir(), 'output-check-'));
    try {
      const file = path.join(dir, 'api.yaml');
      await writeFile(file, BROKEN_EXAMPLE_DOC);
      const engine = await createPrismEngine(file);
      const ask = async (prefer: string): Promise<string[]> => {
        const answer = await engine.request({
          method: 'get',
          url: { path: '/thing' },
          headers: { accept: 'application/json', prefer },
        });
        assert.ok(E.isRight(answer));
        return answer.right.violations.map((v) => `${v.path?.join('.') ?? ''}: ${v.message}`);
      };
      const first = await ask('example=bad');
      assert.match(first.join('\n'), /body\.n: .*integer/);
      assert.deepEqual(await ask('example=bad'), first);
      assert.deepEqual(await ask('example=good'), []);
      assert.deepEqual(await ask('example=bad'), first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A GET with a body and its Content-Length; resolves with the status. */
function rawGetWithBody(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const BROKEN_EXAMPLE_DOC = `openapi: 3.1.0
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
info: { title: t, version: '1' }
paths:
  /thing:
    get:
      responses:
        '200':
          description: a thing
          content:
            application/json:
              schema:
                type: object
                properties: { n: { type: integer } }
              examples:
                good: { value: { n: 1 } }
                bad: { value: { n: x } }
`;
