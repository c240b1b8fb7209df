import type { ContractRunOptions } from './contract-options';
import type { Contracts } from './contracts';
import type { Credentials } from './credentials';

/** What every check of one run shares. */
export interface RunContext {
  options: ContractRunOptions;
  baseUrl: URL;
  contracts: Contracts;
  credentials?: Credentials;
}
