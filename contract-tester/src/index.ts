export * from './errors';
export * from './exit-codes';
export * from './contract-model';
export * from './contract-diagnostic';
export * from './contract-options';
export * from './contracts';
export * from './check-result';
export * from './run-contract';
export { checkResponse, type ResponseFacts, type ResponseVerdict } from './checks/response-check';
export { checkMessage } from './checks/message-check';
export { HTTP_CHECKS } from './checks/http-checks';
export { WS_CHECKS } from './checks/ws-checks';
export { formatHumanReport } from './report/human-report';
export { formatJunitReport } from './report/junit-report';
export { formatJsonReport, writeReports } from './report/write-reports';
export { PROXY_DEFAULTS } from './defaults';
export {
  startValidationProxy,
  type ValidationProxy,
  type ValidationProxyOptions,
} from './proxy/validation-proxy';
export { PROXY_HTTP_CHECK } from './proxy/http-handler';
export { PROXY_WS_CHECK } from './proxy/ws-relay';
export { PROBLEM_TYPES } from './proxy/problem';
export type { ViolationRecord } from './proxy/violation-log';
