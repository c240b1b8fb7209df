import { readFile } from 'node:fs/promises';
import type { IHttpOperation } from '@stoplight/types';
import Ajv2020 from 'ajv/dist/2020';
import {
  explainDiagnostic,
  formatJsonPath,
  locate,
  pointerToSegments,
  toDiagnostics,
  type JsonPathSegments,
} from '@running-tasks/contracts';
import type { ScenarioIssue } from '../errors';

/**
 * Checks every example of the OpenAPI document against the schema of the
 * response it belongs to. Prism serves examples as they are written (for
 * `Prefer: code=400`, `example=page`), so an example that breaks its schema
 * would be served as a contract violation; the mock refuses the document
 * instead, saying which example and where.
 */
export async function checkExamples(
  openapiFile: string,
  operations: readonly IHttpOperation[],
): Promise<ScenarioIssue[]> {
  const text = await readFile(openapiFile, 'utf8');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const issues: ScenarioIssue[] = [];

  for (const operation of operations) {
    for (const response of operation.responses) {
      for (const content of response.contents ?? []) {
        if (content.schema === undefined) continue;
        const check = ajv.compile(content.schema as object);
        for (const example of content.examples ?? []) {
          if (!('value' in example) || check(example.value)) continue;
          const at: JsonPathSegments = [
            'paths',
            operation.path,
            operation.method,
            'responses',
            response.code,
            'content',
            content.mediaType,
            'examples',
            example.key,
            'value',
          ];
          for (const d of toDiagnostics(check.errors ?? [], example.value)) {
            const inside = pointerToSegments(pointerFromJsonPath(d.path));
            const where = [...at, ...inside];
            issues.push({
              file: openapiFile,
              line: locate(text, where)?.line,
              path: formatJsonPath(where),
              message: `example "${example.key}" breaks its schema: ${explainDiagnostic(d)}`,
            });
          }
        }
      }
    }
  }
  return issues;
}

/** `$[0].a.b` → `/0/a/b`, for the diagnostics' JSONPaths of plain keys and indexes. */
function pointerFromJsonPath(jsonPath: string): string {
  return jsonPath
    .slice(1)
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((k) => `/${k}`)
    .join('');
}
