import type { ErrorObject } from 'ajv';
import { formatJsonPath, pointerToSegments, valueAt } from './json-path';

export type Severity = 'error' | 'warning';

/**
 * One way a payload departs from its schema. Violations are data, not
 * exceptions: the mock refuses a fixture over an error, the contract tester
 * reports both severities, and a `warning` never makes a payload invalid.
 */
export interface Diagnostic {
  severity: Severity;
  /** JSONPath of the offending value, `$` for the root. */
  path: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `enum`, ...). */
  keyword: string;
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** Where in the schema the keyword sits, as a JSON Pointer. */
  schemaPath: string;
  /** For `anyOf` and `oneOf`: why each branch failed, by branch index. */
  branches?: { branch: number; diagnostics: Diagnostic[] }[];
}

const BRANCHING = new Set(['anyOf', 'oneOf']);

/**
 * Turns Ajv's flat error list into diagnostics, nesting each branch's reasons under its
 * `anyOf`/`oneOf`.
 */
export function toDiagnostics(
  errors: readonly ErrorObject[],
  data: unknown,
  severity: Severity = 'error',
): Diagnostic[] {
  const branchPoints = errors.filter((e) => BRANCHING.has(e.keyword)).map((e) => e.schemaPath);
  const ownerOf = (e: ErrorObject): string | undefined =>
    branchPoints
      .filter((p) => p !== e.schemaPath && e.schemaPath.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0];

  const convert = (e: ErrorObject): Diagnostic => {
    const diagnostic = describe(e, data, severity);
    if (!BRANCHING.has(e.keyword)) return diagnostic;

    const byBranch = new Map<number, Diagnostic[]>();
    for (const inner of errors.filter((x) => ownerOf(x) === e.schemaPath)) {
      const branch = Number(inner.schemaPath.slice(e.schemaPath.length + 1).split('/')[0]);
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), convert(inner)]);
    }
    diagnostic.branches = [...byBranch.entries()]
      .sort(([a], [b]) => a - b)
      .map(([branch, diagnostics]) => ({ branch, diagnostics }));
    return diagnostic;
  };

  // `if` only says that `then` failed; the `then` errors carry the reason.
  return errors.filter((e) => e.keyword !== 'if' && ownerOf(e) === undefined).map(convert);
}

function describe(e: ErrorObject, data: unknown, severity: Severity): Diagnostic {
  const segments = pointerToSegments(e.instancePath);
  const actual = valueAt(data, segments);
  const base = { severity, keyword: e.keyword, schemaPath: e.schemaPath };
  const params = e.params as Record<string, unknown>;

  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return {
        ...base,
        path: formatJsonPath([...segments, missing]),
        message: `required property "${missing}" is missing`,
        expected: 'present',
        actual: undefined,
      };
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      return {
        ...base,
        path: formatJsonPath([...segments, extra]),
        message: `unknown property "${extra}" (additional properties are not allowed here)`,
        expected: 'absent',
        actual: valueAt(actual, [extra]),
      };
    }
    case 'type':
      return {
        ...base,
        path: formatJsonPath(segments),
        message: `must be ${String(params.type)}, is ${jsonTypeOf(actual)}`,
        expected: params.type,
        actual,
      };
    case 'enum':
      return {
        ...base,
        path: formatJsonPath(segments),
        message: `${JSON.stringify(actual)} is not one of ${JSON.stringify(params.allowedValues)}`,
        expected: params.allowedValues,
        actual,
      };
    default:
      return {
        ...base,
        path: formatJsonPath(segments),
        message: e.message ?? e.keyword,
        expected: params.limit ?? params.allowedValue ?? params.pattern ?? undefined,
        actual,
      };
  }
}

/** The JSON type name of a value, as JSON Schema names types. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (value === undefined) return 'missing';
  return typeof value;
}

/** One line per diagnostic, branch reasons indented under their parent. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], indent = ''): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`${indent}${d.severity} ${d.path}: ${d.message} (${d.keyword})`);
    for (const b of d.branches ?? []) {
      lines.push(`${indent}  branch ${b.branch}:`);
      lines.push(formatDiagnostics(b.diagnostics, `${indent}    `));
    }
  }
  return lines.join('\n');
}

/**
 * A diagnostic in one line. For `anyOf`/`oneOf` the bare message ("must
 * match a schema in anyOf") says nothing useful, so the branches' own
 * reasons follow it, type mismatches first and without repeats.
 */
export function explainDiagnostic(d: Diagnostic): string {
  if (!d.branches || d.branches.length === 0) return d.message;
  const leaves = d.branches.flatMap((b) => b.diagnostics.map(explainDiagnostic));
  const typeFirst = [...new Set(leaves)].sort(
    (a, b) => Number(b.startsWith('must be')) - Number(a.startsWith('must be')),
  );
  return `${d.message}: ${typeFirst.slice(0, 2).join('; ')}`;
}
