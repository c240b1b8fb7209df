export { startMockServer, DEFAULTS, type MockServer, type MockServerOptions } from './server';
export {
  loadScenario,
  resolveScenarioFile,
  BUILTIN_SCENARIOS_DIR,
  DEFAULT_SCENARIO,
} from './scenario/scenario-loader';
export type { Scenario, ReplayState, ApiVersion, TaskTrack } from './scenario/scenario';
export { stateAt, nextChangeAfter } from './replay/replay-state';
export { ScenarioClock } from './replay/scenario-clock';
export { Replay } from './replay/replay';
export { SnapshotStore, type Snapshot } from './snapshot-store';
export { HTTP_ROUTES, WS_ROUTES } from './routes';
export * from './errors';
