import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSchemaSet, OPENAPI_FILE, SCHEMAS_DIR, type SchemaSet } from '@running-tasks/contracts';
import { loadContractModel, selectApi } from '@running-tasks/contract-tester';

describe('contract model', () => {
  let schemaSet: SchemaSet;

  before(async () => {
    schemaSet = await loadSchemaSet();
  });

  it('reads the two GET routes and their documented answers from the OpenAPI document', async () => {
    const model = await loadContractModel(schemaSet);

    assert.deepEqual(
      model.http.map((r) => [r.api, r.label, r.operationId, r.success.status, r.success.schema]),
      [
        ['v1', 'GET /api/tasks/running', 'listRunningTasksV1', 200, 'v1TaskList'],
        ['v2', 'GET /api/v2/tasks/running', 'listRunningTasksV2', 200, 'v2TaskList'],
      ],
    );
    const v1 = model.http[0];
    assert.deepEqual(
      v1?.responses.map((r) => [r.status, r.mediaTypes, r.schema]),
      [
        [200, ['application/json'], 'v1TaskList'],
        [400, ['application/json'], 'apiError'],
        [401, ['application/json'], 'authError'],
      ],
    );
  });

  it('pairs each AsyncAPI channel with the GET that returns the same list', async () => {
    const model = await loadContractModel(schemaSet);

    assert.deepEqual(
      model.ws.map((r) => [
        r.api,
        r.label,
        r.channelId,
        r.schemaTitle,
        r.http.path,
        r.idProperty,
        r.contentType,
      ]),
      [
        [
          'v1',
          'WS /api/tasks/running/realtime',
          'runningTasksV1',
          'V1TaskList',
          '/api/tasks/running',
          'id',
          'application/json',
        ],
        [
          'v2',
          'WS /api/v2/tasks/ws/running',
          'runningTasksV2',
          'V2TaskList',
          '/api/v2/tasks/running',
          'task_id',
          'application/json',
        ],
      ],
    );
    assert.deepEqual(
      selectApi(model, 'v2').ws.map((r) => r.address),
      ['/api/v2/tasks/ws/running'],
    );
  });

  it('refuses a document whose route points at a schema it does not know, saying where', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rt-contract-'));
    try {
      // Absolute refs, since the copy does not sit beside schemas/.
      const text = (await readFile(OPENAPI_FILE, 'utf8'))
        .replaceAll('../schemas/', `${SCHEMAS_DIR}/`)
        .replace('v2/task-list.yaml', 'v2/nowhere.yaml');
      const file = path.join(dir, 'openapi.yaml');
      await writeFile(file, text);

      await assert.rejects(
        loadContractModel(schemaSet, { openapiFile: file, schemasDir: SCHEMAS_DIR }),
        (err: Error & { code?: string }) => {
          assert.equal(err.name, 'ContractUnreadableError');
          assert.equal(err.code, 'RT_CONTRACT_UNREADABLE');
          assert.match(
            err.message,
            /\$\.paths\["\/api\/v2\/tasks\/running"\]\.get\.responses\["200"\]\.content\.schema: .*nowhere\.yaml is not one of the root schemas/,
          );
          return true;
        },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
