import type { JsonPathSegments } from '@running-tasks/contracts';

const SEGMENT = /([^.[\]]+)|\[(\d+)\]/gy;

/**
 * Keys that reach an object's prototype rather than a field of its own:
 * writing through them would change every object in the process (prototype
 * pollution), so no path may name them.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses the path of a `set` entry: `build_task.status`, `sub_tasks[0].status`,
 * `jira_issues[1].summary`. Returns undefined when the text is not such a path.
 */
export function parseAssignmentPath(text: string): JsonPathSegments | undefined {
  const segments: (string | number)[] = [];
  SEGMENT.lastIndex = 0;

  let expectKey = true;
  while (SEGMENT.lastIndex < text.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(text);
    if (!match) return undefined;
    if (match[1] !== undefined) {
      if (!expectKey || FORBIDDEN_KEYS.has(match[1])) return undefined;
      segments.push(match[1]);
    } else {
      segments.push(Number(match[2]));
    }
    expectKey = false;
    if (text[SEGMENT.lastIndex] === '.') {
      SEGMENT.lastIndex++;
      expectKey = true;
      if (SEGMENT.lastIndex === text.length || start === SEGMENT.lastIndex) return undefined;
    }
  }
  return segments.length > 0 && !expectKey ? segments : undefined;
}

/**
 * Why `text` is refused as a path, for the error message: a key that would
 * reach the prototype is named as such; anything else is not a path at all.
 */
export function assignmentPathProblem(text: string): string {
  const forbidden = text.split(/[.[\]]/).find((key) => FORBIDDEN_KEYS.has(key));
  if (forbidden !== undefined)
    return (
      `names "${forbidden}", which reaches every object's prototype ` +
      'rather than a field of this one'
    );
  return 'is not a field path like build_task.status or sub_tasks[0].status';
}

/**
 * Writes `value` at `segments` inside `root` (mutating it). The parent must
 * exist; the last key may be new, since the contract allows extra fields.
 * Returns false when the parent does not exist.
 */
export function assignAt(root: unknown, segments: JsonPathSegments, value: unknown): boolean {
  if (segments.some((segment) => typeof segment === 'string' && FORBIDDEN_KEYS.has(segment))) {
    return false;
  }

  let node: unknown = root;
  for (const segment of segments.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }

  const last = segments[segments.length - 1];
  if (node === null || typeof node !== 'object' || last === undefined) return false;
  if (Array.isArray(node) && (typeof last !== 'number' || last > node.length)) return false;
  (node as Record<string | number, unknown>)[last] = value;
  return true;
}
