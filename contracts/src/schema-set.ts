import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/** The repository folder that holds the contracts and their schemas. */
export const CONTRACTS_ROOT = path.resolve(__dirname, '../..');
export const SCHEMAS_DIR = path.join(CONTRACTS_ROOT, 'schemas');
export const OPENAPI_FILE = path.join(CONTRACTS_ROOT, 'openapi', 'running-tasks.yaml');
export const ASYNCAPI_FILE = path.join(CONTRACTS_ROOT, 'asyncapi', 'running-tasks.yaml');

/** The schemas that describe a whole payload, by the name the code uses. */
export const ROOT_SCHEMAS = {
  v1TaskList: 'v1/task-list.yaml',
  v1Task: 'v1/task.yaml',
  v2TaskList: 'v2/task-list.yaml',
  v2Task: 'v2/task.yaml',
  apiError: 'api-error.yaml',
  authError: 'auth-error.yaml',
} as const;

export type RootSchemaName = keyof typeof ROOT_SCHEMAS;

/** A JSON Schema document as parsed from a file; opaque to this package. */
export type SchemaDocument = Record<string, unknown>;

/** Every schema file, keyed by its path relative to the schemas folder (POSIX separators). */
export type SchemaSet = Record<string, SchemaDocument>;

/** Reads every `.yaml` schema under `dir`. */
export async function loadSchemaSet(dir: string = SCHEMAS_DIR): Promise<SchemaSet> {
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();

  const set: SchemaSet = {};
  for (const file of files) {
    set[file] = parse(await readFile(path.join(dir, file), 'utf8')) as SchemaDocument;
  }
  return set;
}
