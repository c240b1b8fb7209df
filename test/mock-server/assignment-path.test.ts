import assert from 'node:assert/strict';
import {
  assignAt,
  assignmentPathProblem,
  parseAssignmentPath,
} from '../../mock-server/src/scenario/assignment-path';

describe('assignment paths', () => {
  it('parses field paths with keys and indexes', () => {
    assert.deepEqual(parseAssignmentPath('sub_tasks[0].status'), ['sub_tasks', 0, 'status']);
    assert.deepEqual(parseAssignmentPath('build_task.jobs[2]'), ['build_task', 'jobs', 2]);
    assert.equal(parseAssignmentPath('a..b'), undefined);
    assert.equal(parseAssignmentPath('a.'), undefined);
  });

  it("refuses paths through an object's prototype", () => {
    for (const text of [
      '__proto__.build_nubmer',
      'build_task.__proto__.x',
      'constructor.prototype.x',
    ]) {
      assert.equal(parseAssignmentPath(text), undefined, text);
      assert.match(assignmentPathProblem(text), /names "(__proto__|constructor)", which reaches/);
    }
    assert.match(assignmentPathProblem('a..b'), /is not a field path/);
    const task = { build_task: {} };
    assert.equal(assignAt(task, ['__proto__', 'polluted'], 1), false);
    assert.equal(assignAt(task, ['build_task', 'constructor', 'polluted'], 1), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('writes only below fields the object has of its own', () => {
    const task = { build_task: { status: 'running' } };
    assert.equal(assignAt(task, ['build_task', 'status'], 'passed'), true);
    assert.equal(task.build_task.status, 'passed');
    assert.equal(assignAt(task, ['toString', 'x'], 1), false);
  });
});
