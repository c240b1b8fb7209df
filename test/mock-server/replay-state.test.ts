import assert from 'node:assert/strict';
import { compileValidators, loadSchemaSet } from '@running-tasks/contracts';
import {
  loadScenario,
  nextChangeAfter,
  ScenarioClock,
  stateAt,
  type Scenario,
} from '@running-tasks/mock-server';
import { pageExamples } from '../helpers/page-examples';

describe('replay state', () => {
  let scenario: Scenario;
  before(async () => {
    scenario = await loadScenario('default', compileValidators(await loadSchemaSet()));
  });

  it('is exactly the page examples at time 0', () => {
    const state = stateAt(scenario, 0, Date.UTC(2026, 11, 4));
    assert.deepEqual(state, pageExamples());
    // Key order too: the page's bytes, not just its values.
    assert.equal(JSON.stringify(state.v1), JSON.stringify(pageExamples().v1));
  });

  it('is a pure function of scenario, time and epoch', () => {
    const epoch = Date.UTC(2026, 0, 1);
    assert.deepEqual(stateAt(scenario, 123_456, epoch), stateAt(scenario, 123_456, epoch));
  });

  it('writes $now as the Unix seconds of the change', () => {
    const epoch = Date.UTC(2026, 0, 1);
    const [, task40] = stateAt(scenario, 5_000, epoch).v1;
    assert.equal(task40?.id, 40);
    assert.equal(task40?.created, epoch / 1000 + 4);
  });

  it('loops, renumbering ids on each later pass', () => {
    const first = stateAt(scenario, 5_000, 0);
    const second = stateAt(scenario, scenario.duration + 5_000, 0);
    assert.deepEqual(
      first.v1.map((t) => t.id),
      [39, 40],
    );
    assert.deepEqual(
      second.v1.map((t) => t.id),
      [139, 140],
    );
    assert.equal(second.v1[1]?.created, scenario.duration / 1000 + 4);
  });

  it('names the next moment of change, across the loop boundary too', () => {
    assert.equal(nextChangeAfter(scenario, 0), 2_000);
    assert.equal(nextChangeAfter(scenario, 2_000), 3_000);
    const last = scenario.duration - 1;
    assert.equal(nextChangeAfter(scenario, last), scenario.duration);
    assert.equal(nextChangeAfter(scenario, scenario.duration), scenario.duration + 2_000);
  });
});

describe('scenario clock', () => {
  it('runs at its speed, pauses, seeks and resumes', () => {
    let wall = 1_000_000;
    const clock = new ScenarioClock({ speed: 10, now: () => wall });
    wall += 100;
    assert.equal(clock.elapsed(), 1_000);

    clock.pause();
    wall += 500;
    assert.equal(clock.elapsed(), 1_000);
    assert.equal(clock.wallDelayUntil(2_000), undefined);

    clock.seek(30_000);
    clock.resume();
    wall += 10;
    assert.equal(clock.elapsed(), 30_100);
    assert.equal(clock.wallDelayUntil(31_100), 100);
  });

  it('derives elapsed time from a shared epoch', () => {
    const wall = Date.UTC(2026, 11, 4, 12, 0, 0);
    const a = new ScenarioClock({ epoch: wall - 90_000, now: () => wall });
    const b = new ScenarioClock({ epoch: wall - 90_000, now: () => wall });
    assert.equal(a.elapsed(), 90_000);
    assert.equal(b.elapsed(), a.elapsed());
  });

  it('refuses a speed that is not a positive number', () => {
    assert.throws(() => new ScenarioClock().setSpeed(0), RangeError);
  });
});

describe('scenario clock bounds', () => {
  it("refuses to seek to a time that is not a number or past the contract's range", () => {
    const clock = new ScenarioClock({
      epoch: Date.UTC(2026, 0, 1),
      now: () => Date.UTC(2026, 0, 1),
    });
    assert.throws(() => clock.seek(Number.NaN), RangeError);
    assert.throws(() => clock.seek(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => clock.seek(100 * 365 * 24 * 3600 * 1000), /past 2100-01-01/);
    clock.seek(60_000);
    assert.equal(clock.elapsed(), 60_000);
  });
});
