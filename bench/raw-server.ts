/**
 * The ceiling: plain node:http answering the running-list routes with fixed
 * bytes and the same headers as the mock, nothing else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileValidators, loadSchemaSet } from '@running-tasks/contracts';
import { loadScenario, stateAt } from '@running-tasks/mock-server';

async function main(): Promise<void> {
  const scenario = await loadScenario('default', compileValidators(await loadSchemaSet()));
  const state = stateAt(scenario, 0, Date.now());
  const bodies: Record<string, Buffer> = {
    '/api/tasks/running': Buffer.from(JSON.stringify(state.v1)),
    '/api/v2/tasks/running': Buffer.from(JSON.stringify(state.v2)),
  };

  const server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      Vary: 'Origin',
      'Content-type': 'application/json',
      'Cache-Control': 'no-store',
      'Content-Length': body.length,
    });
    res.end(body);
  });
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
    );
  });
}

void main();
