import assert from 'node:assert/strict';
import path from 'node:path';
import {
  compileValidators,
  loadSchemaSet,
  type ContractValidators,
} from '@running-tasks/contracts';
import { isScenarioError, loadScenario, type ScenarioError } from '@running-tasks/mock-server';
import { pageExamples } from '../helpers/page-examples';
import { writeScenario } from '../helpers/temp-scenario';

async function refusal(ref: string, v: ContractValidators): Promise<ScenarioError> {
  try {
    await loadScenario(ref, v);
  } catch (err) {
    if (isScenarioError(err)) return err;
    throw err;
  }
  assert.fail('the scenario was accepted');
}

const TASK_V2 = () => structuredClone(pageExamples().v2[0]) as Record<string, unknown>;

describe('scenario loading', () => {
  let v: ContractValidators;
  before(async () => {
    v = compileValidators(await loadSchemaSet());
  });

  it('loads the default scenario with tracks for both versions', async () => {
    const scenario = await loadScenario('default', v);
    assert.equal(scenario.name, 'default');
    assert.ok(scenario.v1.length >= 5);
    assert.ok(scenario.v2.length >= 4);
    assert.ok(scenario.files.some((f) => f.endsWith(path.join('v1', 'page-example.json'))));
  });

  it('refuses a fixture field of the wrong type with its file, JSON path and line', async () => {
    const task = TASK_V2();
    (task.sub_tasks as Record<string, unknown>[])[0].timeout = '1h';
    const s = await writeScenario({
      'scenario.yaml': 'name: t\nduration: 10\nv2:\n  - fixture: v2/task.json\n    enter: 0\n',
      'v2/task.json': task,
    });
    try {
      const err = await refusal(s.dir, v);
      assert.equal(err.code, 'RT_SCENARIO_INVALID');
      assert.equal(err.issues.length, 1);
      const [issue] = err.issues;
      assert.equal(issue?.file, path.join(s.dir, 'v2', 'task.json'));
      assert.equal(issue?.path, '$.sub_tasks[0].timeout');
      assert.match(issue?.message ?? '', /must be integer, is string/);
      assert.equal(issue?.line, 19);
      assert.match(err.message, /task\.json:19: \$\.sub_tasks\[0\]\.timeout/);
    } finally {
      await s.remove();
    }
  });

  it('indexes into a fixture that holds a list of tasks', async () => {
    const good = TASK_V2();
    const bad = TASK_V2();
    delete bad.pipeline_name;
    const s = await writeScenario({
      'scenario.yaml': 'name: t\nduration: 10\nv2:\n  - fixture: tasks.json\n    enter: 0\n',
      'tasks.json': [good, bad],
    });
    try {
      const [issue] = (await refusal(s.dir, v)).issues;
      assert.equal(issue?.path, '$[1].pipeline_name');
      assert.match(issue?.message ?? '', /required property "pipeline_name"/);
    } finally {
      await s.remove();
    }
  });

  it('refuses a timeline change that would break the contract, pointing at the change', async () => {
    const s = await writeScenario({
      'scenario.yaml': [
        'name: t',
        'duration: 10',
        'v2:',
        '  - fixture: task.json',
        '    enter: 0',
        '    changes:',
        '      - at: 2',
        '        set:',
        '          status: 7',
      ].join('\n'),
      'task.json': TASK_V2(),
    });
    try {
      const [issue] = (await refusal(s.dir, v)).issues;
      assert.equal(issue?.file, path.join(s.dir, 'scenario.yaml'));
      assert.equal(issue?.path, '$.v2[0].changes[0].set');
      assert.equal(issue?.line, 9);
      assert.match(issue?.message ?? '', /makes task\.json invalid at \$\.status/);
    } finally {
      await s.remove();
    }
  });

  it('refuses an unknown key in scenario.yaml and a path into nothing', async () => {
    const s = await writeScenario({
      'scenario.yaml': [
        'name: t',
        'duraton: 10',
        'duration: 10',
        'v2:',
        '  - fixture: task.json',
        '    enter: 0',
      ].join('\n'),
      'task.json': TASK_V2(),
    });
    try {
      const [issue] = (await refusal(s.dir, v)).issues;
      assert.equal(issue?.line, 2);
      assert.match(issue?.message ?? '', /additional properties/);
    } finally {
      await s.remove();
    }

    const t = await writeScenario({
      'scenario.yaml':
        'name: t\nduration: 10\nv2:\n  - fixture: task.json\n    enter: 0\n    changes:\n      - at: 1\n        set:\n          nothing.here: 1\n',
      'task.json': TASK_V2(),
    });
    try {
      const [issue] = (await refusal(t.dir, v)).issues;
      assert.equal(issue?.path, '$.v2[0].changes[0].set["nothing.here"]');
      assert.match(issue?.message ?? '', /no field to hold nothing\.here/);
    } finally {
      await t.remove();
    }
  });

  it('reports broken JSON and YAML with a line, and a missing fixture by name', async () => {
    const s = await writeScenario({
      'scenario.yaml':
        'name: t\nduration: 10\nv2:\n  - fixture: task.json\n    enter: 0\n  - fixture: gone.json\n    enter: 0\n',
      'task.json': '[\n  {"task_id": 1,\n  }\n]',
    });
    try {
      const issues = (await refusal(s.dir, v)).issues;
      assert.equal(issues.length, 2);
      assert.match(issues[0]?.message ?? '', /not valid JSON/);
      assert.equal(issues[0]?.line, 3);
      assert.match(issues[1]?.message ?? '', /cannot read the fixture .*gone\.json \(ENOENT\)/);
      assert.equal(issues[1]?.file, path.join(s.dir, 'scenario.yaml'));
      assert.equal(issues[1]?.path, '$.v2[1].fixture');
      assert.equal(issues[1]?.line, 6);
    } finally {
      await s.remove();
    }

    const y = await writeScenario({ 'scenario.yaml': 'name: t\nduration: [10\n' });
    try {
      const [issue] = (await refusal(y.dir, v)).issues;
      assert.match(issue?.message ?? '', /not valid YAML/);
      assert.ok(issue?.line !== undefined);
    } finally {
      await y.remove();
    }
  });

  it('names the built-in scenarios folder when a scenario name is unknown', async () => {
    const [issue] = (await refusal('no-such-scenario', v)).issues;
    assert.match(issue?.message ?? '', /no such scenario \(built-in scenarios live in /);
  });
});

describe('scenario loading, more refusals', () => {
  let v: ContractValidators;
  before(async () => {
    v = compileValidators(await loadSchemaSet());
  });

  it('refuses two tasks with the same id in the list at the same time', async () => {
    const s = await writeScenario({
      'scenario.yaml': [
        'name: t',
        'duration: 60',
        'v2:',
        '  - fixture: a.json',
        '    enter: 0',
        '    leave: 30',
        '  - fixture: b.json',
        '    enter: 20',
        '  - fixture: c.json',
        '    enter: 30',
      ].join('\n'),
      'a.json': TASK_V2(),
      'b.json': TASK_V2(),
      'c.json': TASK_V2(),
    });
    try {
      const issues = (await refusal(s.dir, v)).issues;
      // b overlaps a (20 s to 30 s) and c (from 30 s); a and c follow each other.
      assert.deepEqual(
        issues.map((i) => [i.path, i.line]),
        [
          ['$.v2[1]', 7],
          ['$.v2[2]', 9],
        ],
      );
      assert.match(
        issues[0]?.message ?? '',
        /b\.json has task_id 1, as a\.json does, and both are in the list at 20 s/,
      );
    } finally {
      await s.remove();
    }
  });

  it('explains why each branch of a status failed', async () => {
    const s = await writeScenario({
      'scenario.yaml':
        'name: t\nduration: 10\nv2:\n  - fixture: t.json\n    enter: 0\n    changes:\n      - at: 1\n        set: { status: 42 }\n',
      't.json': TASK_V2(),
    });
    try {
      const [issue] = (await refusal(s.dir, v)).issues;
      assert.match(
        issue?.message ?? '',
        /must match a schema in anyOf: must be string, is integer/,
      );
    } finally {
      await s.remove();
    }
  });

  it('hints at ./NAME when a folder of that name is here but no built-in scenario is', async () => {
    const s = await writeScenario({ 'scenario.yaml': 'name: t\nduration: 10\n' });
    const cwd = process.cwd();
    process.chdir(path.dirname(s.dir));
    try {
      const [issue] = (await refusal(path.basename(s.dir), v)).issues;
      assert.match(issue?.message ?? '', /to use the folder here, write \.\/rt-scenario-/);
    } finally {
      process.chdir(cwd);
      await s.remove();
    }
  });
});
