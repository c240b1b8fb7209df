/**
 * `npm run bench`: one run, one table, every figure beside its comparison,
 * and the same as JSON in .artifacts/bench.json. Every server and load
 * generator runs in its own process on 127.0.0.1; every loop is bounded.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { benchHttp, type HttpCase, type HttpResult, type TargetName } from './http-bench';
import { ROOT } from './processes';
import { benchContractRun } from './contract-run';
import { benchExtensionCore } from './extension-core';
import { measureFanout, type FanoutResult } from './ws-fanout';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const V1 = '/api/tasks/running';
const V2 = '/api/v2/tasks/running';

interface Figure {
  name: string;
  value: number;
  unit: string;
}

function httpCases(): HttpCase[] {
  const targets: TargetName[] = ['ours', 'prism', 'prism -m', 'raw node'];
  const cases: HttpCase[] = [];
  for (const target of targets) {
    cases.push({ target, route: V1, label: 'GET V1' }, { target, route: V2, label: 'GET V2' });
    if (target !== 'raw node')
      cases.push({ target, route: V1, label: 'Prefer: code=400', headers: { Prefer: 'code=400' } });
  }
  return cases;
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

async function main(): Promise<void> {
  const started = Date.now();
  const http = await benchHttp(httpCases(), SECONDS, ROUNDS, (line) =>
    process.stderr.write(`${line}\n`),
  );

  const fanout: FanoutResult[] = [];
  for (const [clients, changes, client] of [
    [100, 100, 'lean'],
    [1000, 100, 'lean'],
    [5000, 30, 'lean'],
    // The same 1,000 clients on the ws library: how much of the figure is the clients' own work.
    [1000, 100, 'ws'],
  ] as const) {
    process.stderr.write(`websocket fan-out: ${clients} clients (${client})\n`);
    fanout.push(await measureFanout(clients, changes, client));
  }

  // Imported here, not optionally: a benchmark that fails to load fails the run.
  const extra: Figure[] = [];
  process.stderr.write('extension core\n');
  extra.push(...(await benchExtensionCore()));
  process.stderr.write('contract run\n');
  extra.push(...(await benchContractRun()));

  const find = (target: TargetName, label: string): HttpResult | undefined =>
    http.find((r) => r.target === target && r.label === label);
  const lines: string[] = [];
  lines.push(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${ROUNDS} rounds of ${SECONDS} s per HTTP case (median shown), 20 connections`,
  );
  lines.push('');
  lines.push(
    '| HTTP case | ours req/s | p50/p99 ms | prism req/s | prism -m req/s | raw req/s | ours/prism | ours/prism -m | ours/raw |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const label of ['GET V1', 'GET V2', 'Prefer: code=400']) {
    const ours = find('ours', label);
    const prism = find('prism', label);
    const prismM = find('prism -m', label);
    const raw = find('raw node', label);
    lines.push(
      `| ${label} | ${fmt(ours?.rps ?? NaN, 0)} | ${ours?.p50 ?? '-'}/${ours?.p99 ?? '-'} | ${fmt(prism?.rps ?? NaN, 0)} | ${fmt(prismM?.rps ?? NaN, 0)} | ${raw ? fmt(raw.rps, 0) : '-'} | ${fmt((ours?.rps ?? NaN) / (prism?.rps ?? NaN))}× | ${fmt((ours?.rps ?? NaN) / (prismM?.rps ?? NaN))}× | ${raw ? `${fmt((ours?.rps ?? NaN) / raw.rps, 2)}×` : '-'} |`,
    );
  }
  lines.push('');
  lines.push(
    '| websocket clients | client | changes | change → last client p50 ms | p99 ms | max ms | server share p50/p99 ms | server RSS MB (idle) |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const f of fanout)
    lines.push(
      `| ${f.clients} | ${f.client} | ${f.changes} (+${f.warmup} warm-up) | ${fmt(f.p50)} | ${fmt(f.p99)} | ${fmt(f.max)} | ${fmt(f.serverP50)}/${fmt(f.serverP99)} | ${fmt(f.serverRssMb, 0)} (${fmt(f.idleRssMb, 0)}) |`,
    );
  const cores = fanout[0]?.cores;
  lines.push(
    cores
      ? `server on core ${cores.server}, clients on core ${cores.clients} (taskset)`
      : 'server and clients not pinned to cores (one core, or no taskset)',
  );
  if (extra.length > 0) {
    lines.push('');
    lines.push('| other | value |');
    lines.push('| --- | --- |');
    for (const f of extra) lines.push(`| ${f.name} | ${fmt(f.value, 2)} ${f.unit} |`);
  }
  const nonOk = http.filter(
    (r) => r.errors > 0 || (r.label !== 'Prefer: code=400' && r.non2xx > 0),
  );
  if (nonOk.length > 0)
    lines.push(
      `\nwarning: errors or non-2xx answers in ${nonOk.map((r) => `${r.target} ${r.label}`).join(', ')}`,
    );
  console.log(lines.join('\n'));

  const outDir = path.join(ROOT, '.artifacts');
  await mkdir(outDir, { recursive: true });
  await writeFile(
    path.join(outDir, 'bench.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, seconds: SECONDS, rounds: ROUNDS, http, fanout, extra, wallMs: Date.now() - started }, null, 2)}\n`,
  );
  console.log(`\nwritten to .artifacts/bench.json in ${fmt((Date.now() - started) / 1000, 0)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
