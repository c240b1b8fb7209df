import {
  compileValidators,
  loadSchemaSet,
  type ContractValidators,
  type SchemaSet,
} from '@running-tasks/contracts';
import { loadContractModel, type ContractFiles, type ContractModel } from './contract-model';

/** The contracts as the checks use them: the route model and the compiled validators. */
export interface Contracts {
  model: ContractModel;
  validators: ContractValidators;
}

export interface LoadContractsOptions extends ContractFiles {
  /** Validators compiled elsewhere (the mock's), so one process compiles them once. */
  validators?: ContractValidators;
  schemaSet?: SchemaSet;
}

/** Reads the contract documents and compiles the validators; do this once per process. */
export async function loadContracts(options: LoadContractsOptions = {}): Promise<Contracts> {
  const schemaSet = options.schemaSet ?? (await loadSchemaSet(options.schemasDir));
  const model = await loadContractModel(schemaSet, options);
  const validators = options.validators ?? compileValidators(schemaSet);
  return { model, validators };
}

/** The URL of a route under the base URL, keeping any path prefix the base has. */
export function routeUrl(baseUrl: URL, routePath: string, protocol?: 'ws'): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${routePath}`;
  if (protocol === 'ws') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}
