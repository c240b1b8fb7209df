export { DEFAULTS, DEFAULT_SCENARIO } from './defaults';
export {
  startMockServer,
  CONTROL_OPENAPI_FILE,
  type MockServer,
  type MockServerOptions,
} from './server';
export {
  loadScenario,
  resolveScenarioFile,
  BUILTIN_SCENARIOS_DIR,
} from './scenario/scenario-loader';
export type { Scenario, ReplayState, ApiVersion, TaskTrack } from './scenario/scenario';
export { stateAt, nextChangeAfter } from './replay/replay-state';
export { ScenarioClock } from './replay/scenario-clock';
export { Replay } from './replay/replay';
export { SnapshotStore, type Snapshot } from './snapshot-store';
export { HTTP_ROUTES, WS_ROUTES } from './routes';
export {
  MockController,
  type ClockView,
  type ScenarioView,
  type ReloadStatus,
} from './control/mock-controller';
export { CONTROL_PREFIX, isLoopbackAddress, isLoopbackHost } from './control/control-access';
export { parsePrefer } from './control/request-preferences';
export {
  parseDelaySpec,
  formatDelaySpec,
  sampleDelay,
  delaySpecFrom,
  MAX_DELAY_MS,
  type DelaySpec,
} from './latency/delay-spec';
export { parseRouteDelays, type LatencySettings } from './latency/latency-policy';
export {
  HTTP_FAULT_KINDS,
  WS_FAULT_KINDS,
  type FaultRule,
  type HttpFaultRule,
  type WsFaultRule,
} from './faults/fault-rule';
export { ERROR_6808_BODY } from './faults/http-faults';
export { MALFORMED_FRAME, NON_JSON_MESSAGE } from './faults/ws-faults';
export { corsPolicyFrom, type CorsPolicy } from './http/cors';
export {
  recordScenario,
  replayMismatches,
  type RecordOptions,
  type RecordResult,
} from './record/recorder';
export { buildScenario, changesBetween, type Recording } from './record/scenario-builder';
export { scrub, scrubText, SCRUBBED } from './record/scrub';
export * from './errors';
