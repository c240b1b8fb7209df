import assert from 'node:assert/strict';
import {
  compileValidators,
  loadSchemaSet,
  type ContractValidators,
} from '@running-tasks/contracts';
import { pageExamples } from '../helpers/page-examples';

/** A task as loose JSON, so tests can break it in any way. */
interface Json {
  [key: string]: Json | Json[] | string | number | undefined;
}
const at = (value: Json | Json[] | string | number | undefined, key: string | number): Json =>
  (value as Record<string | number, Json>)[key];

describe('contract validators', () => {
  let v: ContractValidators;
  let v1: Json[];
  let v2: Json[];
  before(async () => {
    v = compileValidators(await loadSchemaSet());
  });
  beforeEach(() => {
    const page = pageExamples();
    v1 = structuredClone(page.v1) as Json[];
    v2 = structuredClone(page.v2) as Json[];
  });

  it('accepts both page examples', () => {
    assert.deepEqual(v.v1TaskList(v1).diagnostics, []);
    assert.deepEqual(v.v2TaskList(v2).diagnostics, []);
  });

  it('reports a correctly spelled build_number as the missing build_nubmer', () => {
    const build = at(v1[0], 'build_task');
    build.build_number = build.build_nubmer;
    delete build.build_nubmer;
    const [d, ...rest] = v.v1TaskList(v1).diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(d?.path, '$[0].build_task.build_nubmer');
    assert.equal(d?.keyword, 'required');
  });

  it('reports a wrongly typed field with expected and actual values', () => {
    v1[0].created = '1499742178';
    const [d] = v.v1TaskList(v1).diagnostics;
    assert.equal(d?.path, '$[0].created');
    assert.equal(d?.keyword, 'type');
    assert.equal(d?.expected, 'integer');
    assert.equal(d?.actual, '1499742178');
  });

  it('catches milliseconds where Unix seconds belong', () => {
    v2[0].create_time = 1507107936000;
    const [d] = v.v2TaskList(v2).diagnostics;
    assert.equal(d?.path, '$[0].create_time');
    assert.equal(d?.keyword, 'maximum');
  });

  it('tolerates fields the page does not document', () => {
    v2[0].agent_host = 'runner-3';
    at(at(v2[0], 'sub_tasks'), 0).service_name = 'demo';
    assert.equal(v.v2TaskList(v2).valid, true);
  });

  it('accepts an unknown status with a warning, not an error', () => {
    v2[0].status = 'archiving';
    const result = v.v2TaskList(v2);
    assert.equal(result.valid, true);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.path]),
      [['warning', '$[0].status']],
    );
  });

  it('requires the documented fields of a build sub-task only', () => {
    delete at(at(v2[0], 'sub_tasks'), 0).branch;
    assert.deepEqual(
      v.v2TaskList(v2).diagnostics.map((d) => d.path),
      ['$[0].sub_tasks[0].branch'],
    );
    (at(v2[0], 'sub_tasks') as unknown as Json[])[0] = { type: 'deploy', status: 'running' };
    assert.equal(v.v2TaskList(v2).valid, true);
  });

  it('explains why each branch of an anyOf failed', () => {
    v1[0].current_status = 42;
    const [d] = v.v1TaskList(v1).diagnostics;
    assert.equal(d?.keyword, 'anyOf');
    assert.equal(d?.path, '$[0].current_status');
    assert.deepEqual(
      d?.branches?.map((b) => [b.branch, b.diagnostics.map((x) => x.keyword)]),
      [
        [0, ['type', 'enum']],
        [1, ['type']],
      ],
    );
  });

  it('rejects an object where the list belongs', () => {
    const [d] = v.v1TaskList(v1[0]).diagnostics;
    assert.equal(d?.path, '$');
    assert.equal(d?.keyword, 'type');
    assert.equal(d?.expected, 'array');
  });
});
