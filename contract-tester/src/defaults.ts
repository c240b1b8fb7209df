/**
 * Defaults shown in the command line's help, in a module that loads
 * nothing heavy: the help and the light commands start without Prism.
 */
export { DEFAULT_CONTRACT_OPTIONS } from './contract-options';

export const PROXY_DEFAULTS = { port: 4020, host: '127.0.0.1', upstreamTimeoutMs: 30_000 } as const;
