import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  compileValidators,
  formatJsonPath,
  loadSchemaSet,
  locate,
  pointerToSegments,
  type ContractValidators,
} from '@running-tasks/contracts';
import { LineCounter, parseDocument } from 'yaml';
import type { Logger } from 'pino';
import { ContractLoadError, type ScenarioIssue } from '../errors';
import { createPrismEngine, type PrismEngine } from '../http/prism-engine';
import { LIVE_OPERATIONS } from '../routes';
import { checkExamples } from './example-check';

/** The contract files the mock serves from. */
export interface ContractFiles {
  openapiFile: string;
  schemasDir: string;
}

/**
 * Reads the schemas and compiles the validators. Throws ContractLoadError
 * naming the file, line and JSON path of what is wrong.
 */
export async function loadValidators(schemasDir: string): Promise<ContractValidators> {
  let schemas: Awaited<ReturnType<typeof loadSchemaSet>>;
  try {
    schemas = await loadSchemaSet(schemasDir);
  } catch (err) {
    throw new ContractLoadError(await locateYamlErrors(await schemaFiles(schemasDir), err), {
      cause: err,
    });
  }

  try {
    return compileValidators(schemas);
  } catch (err) {
    throw new ContractLoadError(await locateSchemaErrors(schemasDir, schemas, err), { cause: err });
  }
}

/**
 * Builds the Prism engine over the OpenAPI document. Throws
 * ContractLoadError when the document cannot be read or no longer has the
 * running-list operations the mock fills with the replay.
 */
export async function loadEngine(openapiFile: string, log?: Logger): Promise<PrismEngine> {
  let engine: PrismEngine;
  try {
    engine = await createPrismEngine(openapiFile, log);
  } catch (err) {
    throw new ContractLoadError(await locateYamlErrors([openapiFile], err), { cause: err });
  }

  const ids = new Set(engine.operations.map((o) => o.iid));
  const missing = Object.keys(LIVE_OPERATIONS).filter((id) => !ids.has(id));
  if (missing.length > 0)
    throw new ContractLoadError([
      {
        file: openapiFile,
        path: '$.paths',
        message: `no operation ${missing.join(', ')}: the running lists have nowhere to be served`,
      },
    ]);
  const badExamples = await checkExamples(openapiFile, engine.operations);
  if (badExamples.length > 0) throw new ContractLoadError(badExamples);
  return engine;
}

/** Every `.yaml` under the schemas folder, and the folders themselves. */
export async function schemaFiles(schemasDir: string): Promise<string[]> {
  const names = await readdir(schemasDir, { recursive: true }).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => path.join(schemasDir, n))
    .sort();
}

/** YAML syntax errors in `files`, with lines; or the error itself when none is found. */
async function locateYamlErrors(files: string[], err: unknown): Promise<ScenarioIssue[]> {
  const issues: ScenarioIssue[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) {
      issues.push({ file, path: '$', message: 'cannot read the file' });
      continue;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    for (const e of doc.errors) {
      const line = lineCounter.linePos(e.pos[0]).line;
      issues.push({
        file,
        line,
        path: '$',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      });
    }
  }
  if (issues.length > 0) return issues;
  return [{ file: files[0] ?? '', path: '$', message: messageOf(err) }];
}

/**
 * Which schema file Ajv refused: each is checked against the JSON Schema
 * 2020-12 meta-schema on its own, so the issue names the file and the JSON
 * path inside it. Falls back to Ajv's message (an unresolvable `$ref`, a
 * strict-mode complaint) on the folder.
 */
async function locateSchemaErrors(
  schemasDir: string,
  schemas: Record<string, unknown>,
  err: unknown,
): Promise<ScenarioIssue[]> {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const issues: ScenarioIssue[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (ajv.validateSchema(schema as object) === true) continue;
    const file = path.join(schemasDir, name);
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const e of ajv.errors ?? []) {
      const segments = pointerToSegments(e.instancePath);
      issues.push({
        file,
        line: locate(text, segments)?.line,
        path: formatJsonPath(segments),
        message: e.message ?? e.keyword,
      });
    }
  }
  if (issues.length > 0) return issues;

  const named = /schema with key or id "([^"]+)"|can't resolve reference (\S+) from id (\S+)/.exec(
    messageOf(err),
  );
  const file = named?.[3] ?? named?.[1];
  return [
    { file: file ? path.join(schemasDir, file) : schemasDir, path: '$', message: messageOf(err) },
  ];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
}
