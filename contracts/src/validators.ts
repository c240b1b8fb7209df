import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { toDiagnostics, type Diagnostic } from './diagnostics';
import type { ContractPayloads } from './generated/payloads';
import { ROOT_SCHEMAS, type RootSchemaName, type SchemaSet } from './schema-set';

const STATUS_SCHEMA = 'task-status.yaml';

/** Checks one kind of payload; `valid` is false only when an error-severity diagnostic exists. */
export type PayloadValidator<T> = (data: unknown) => ValidationResult<T>;

export interface ValidationResult<T> {
  valid: boolean;
  /** Present when valid: the input, typed. */
  value?: T;
  diagnostics: Diagnostic[];
}

export type ContractValidators = {
  [K in RootSchemaName]: PayloadValidator<ContractPayloads[K]>;
};

/**
 * Compiles one validator per root schema, once. Each runs two passes: the
 * contract itself, then a stricter copy in which a status must be one of the
 * known values. An unknown status is legal, so the second pass only adds
 * warnings.
 */
export function compileValidators(schemas: SchemaSet): ContractValidators {
  const lenient = buildAjv(schemas);
  const strict = buildAjv(withKnownStatusesOnly(schemas));

  const entries = (Object.keys(ROOT_SCHEMAS) as RootSchemaName[]).map((name) => {
    const id = ROOT_SCHEMAS[name];
    const check = mustGet(lenient, id);
    const checkKnown = mustGet(strict, id);
    return [name, makeValidator(check, checkKnown)] as const;
  });
  return Object.fromEntries(entries) as unknown as ContractValidators;
}

function makeValidator<T>(
  check: ValidateFunction,
  checkKnown: ValidateFunction,
): PayloadValidator<T> {
  return (data) => {
    if (!check(data)) {
      return { valid: false, diagnostics: toDiagnostics(check.errors ?? [], data) };
    }
    if (checkKnown(data)) return { valid: true, value: data as T, diagnostics: [] };

    const warnings = toDiagnostics(checkKnown.errors ?? [], data, 'warning')
      .filter((d) => d.keyword === 'enum')
      .map((d) => ({ ...d, message: `unknown status ${JSON.stringify(d.actual)}` }));
    return { valid: true, value: data, diagnostics: warnings };
  };
}

function buildAjv(schemas: SchemaSet): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
  });
  for (const [id, schema] of Object.entries(schemas)) ajv.addSchema({ ...schema, $id: id });
  return ajv;
}

function mustGet(ajv: Ajv2020, id: string): ValidateFunction {
  const fn = ajv.getSchema(id);
  if (!fn) throw new Error(`schema ${id} is missing from the schema set`);
  return fn;
}

function withKnownStatusesOnly(schemas: SchemaSet): SchemaSet {
  const status = schemas[STATUS_SCHEMA];
  const branches = status?.anyOf;
  if (!Array.isArray(branches) || branches.length === 0) return schemas;
  return { ...schemas, [STATUS_SCHEMA]: branches[0] as Record<string, unknown> };
}
