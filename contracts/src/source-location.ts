import { isCollection, LineCounter, parseDocument } from 'yaml';
import type { JsonPathSegments } from './json-path';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds where the value at `segments` starts in a JSON or YAML text (JSON is
 * YAML 1.2), for error messages that point at a line. Falls back to the
 * nearest ancestor that exists, since a missing property has no position of
 * its own.
 */
export function locate(text: string, segments: JsonPathSegments): SourcePosition | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;

  for (let n = segments.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (node !== undefined && range) {
      const pos = lineCounter.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
    if (n > 0 && !isCollection(doc.contents)) return undefined;
  }
  return undefined;
}
