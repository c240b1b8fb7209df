import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  formatJunitReport,
  loadContracts,
  runContract,
  writeReports,
  type ContractReport,
  type ContractRunOptions,
  type Contracts,
} from '@running-tasks/contract-tester';
import { validateXML } from 'xmllint-wasm';
import { closedPort } from './helpers/closed-port';
import { startFakeBackend, type FakeBackendOptions } from './helpers/fake-backend';

const XSD = path.join(__dirname, 'fixtures', 'junit.xsd');
const FAST: Partial<ContractRunOptions> = {
  wsDurationMs: 300,
  firstMessageTimeoutMs: 250,
  pingTimeoutMs: 250,
};

describe('JUnit report', function () {
  let contracts: Contracts;
  let schema: string;

  before(async () => {
    contracts = await loadContracts();
    schema = await readFile(XSD, 'utf8');
  });

  async function reportOf(
    backend: FakeBackendOptions,
    options: Partial<ContractRunOptions> = {},
  ): Promise<ContractReport> {
    const server = await startFakeBackend(backend);
    try {
      return await runContract({ baseUrl: server.url, ...FAST, ...options }, { contracts });
    } finally {
      await server.close();
    }
  }

  async function assertValid(xml: string): Promise<void> {
    const result = await validateXML({
      xml: { fileName: 'report.xml', contents: xml },
      schema: { fileName: 'junit.xsd', contents: schema },
    });
    assert.ok(result.valid, result.errors.map((e) => e.rawMessage).join('\n'));
  }

  it('validates against the JUnit schema for a passing run, with every check a test case', async () => {
    const report = await reportOf({ token: 'T' }, { token: 'T', origin: 'http://localhost:5173' });
    const xml = formatJunitReport(report);

    await assertValid(xml);
    assert.equal(count(xml, '<testcase '), report.totals.checks);
    assert.equal(count(xml, '<failure '), 0);
    assert.match(
      xml,
      /^<testsuites name="running-tasks contract" tests="26" failures="0" errors="0" skipped="0" /m,
    );
  });

  it('validates for a failing run and names each failing case, escaping what the backend sent', async () => {
    const hostile = 'not <json> & \u0001 "quoted"';
    const report = await reportOf({
      wsMessage: (api, list, i) => (api === 'v2' && i === 2 ? hostile : JSON.stringify(list)),
    });
    const xml = formatJunitReport(report);

    await assertValid(xml);
    assert.equal(count(xml, '<failure '), report.totals.failed);
    assert.equal(count(xml, '<skipped '), report.totals.skipped);
    assert.match(
      xml,
      /<testcase name="ws\.messages: every message is JSON text valid against V2TaskList" classname="WS \/api\/v2\/tasks\/ws\/running" time="[\d.]+">\s*<failure message="1 violation: \$ the message is not JSON/,
    );
    assert.ok(xml.includes('not &lt;json&gt; &amp; \\u0001'), 'the frame text is escaped');
    assert.ok(!xml.includes('\u0001'), 'no control character reaches the XML');

    const suite =
      /<testsuite name="WS \/api\/v2\/tasks\/ws\/running" tests="(\d+)" failures="(\d+)"/.exec(xml);
    assert.deepEqual(suite?.slice(1), ['7', '1']);
  });

  it('validates for an unreachable backend, as one errored case', async () => {
    const report = await runContract(
      { baseUrl: `http://127.0.0.1:${await closedPort()}`, ...FAST },
      { contracts },
    );
    const xml = formatJunitReport(report);

    await assertValid(xml);
    assert.equal(count(xml, '<testcase '), 1);
    assert.match(
      xml,
      /<testcase name="backend is reachable" classname="backend"[^>]*>\s*<error message="cannot reach/,
    );
  });

  it('is checked by a schema that refuses a test case without a classname', async () => {
    const report = await runContract(
      { baseUrl: `http://127.0.0.1:${await closedPort()}`, ...FAST },
      { contracts },
    );
    const broken = formatJunitReport(report).replace(' classname="backend"', '');
    const result = await validateXML({
      xml: { fileName: 'report.xml', contents: broken },
      schema: { fileName: 'junit.xsd', contents: schema },
    });
    assert.equal(result.valid, false);
    assert.match(result.errors[0]?.message ?? '', /classname/);
  });

  it('writes the JUnit and JSON files, creating their folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rt-reports-'));
    try {
      const report = await reportOf({}, { api: 'v1' });
      const junit = path.join(dir, 'nested', 'junit.xml');
      const json = path.join(dir, 'nested', 'report.json');
      await writeReports(report, { junit, json });

      assert.equal(await readFile(junit, 'utf8'), formatJunitReport(report));
      const parsed = JSON.parse(await readFile(json, 'utf8')) as ContractReport;
      assert.equal(parsed.schemaVersion, 1);
      assert.equal(parsed.totals.checks, 13);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
