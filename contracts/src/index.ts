export * from './generated/payloads';
export { SCHEMA_BUNDLE } from './generated/schema-bundle';
export * from './diagnostics';
export * from './json-path';
export * from './schema-set';
export * from './source-location';
export * from './validators';
