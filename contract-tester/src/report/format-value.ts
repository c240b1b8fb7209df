/** The longest value the human summary prints in full; the JSON report always has the whole. */
export const MAX_VALUE_CHARS = 240;

/**
 * A value as one line of JSON. A longer value is cut, and the cut says so
 * and says how much is left out: the summary never shortens anything
 * silently.
 */
export function formatValue(value: unknown, max = MAX_VALUE_CHARS): string {
  if (value === undefined) return '(missing)';

  // JSON.stringify gives undefined only for functions and symbols, which JSON never holds.
  const text = JSON.stringify(value) ?? typeof value;
  const printable = escapeControl(text);
  if (printable.length <= max) return printable;

  const rest = printable.length - max;
  return `${printable.slice(0, max)}… (${rest} more characters; the --json report has the whole value)`;
}

/** Message indexes as ranges: `#0–#3, #7`. */
export function formatIndexes(indexes: readonly number[]): string {
  const ranges: string[] = [];
  let start = indexes[0];
  let prev = start;

  for (const i of [...indexes.slice(1), Number.NaN]) {
    if (prev !== undefined && i === prev + 1) {
      prev = i;
      continue;
    }
    if (start !== undefined && prev !== undefined) {
      ranges.push(start === prev ? `#${start}` : `#${start}–#${prev}`);
    }
    start = i;
    prev = i;
  }
  return ranges.join(', ');
}

/**
 * Control characters (a binary frame read as text) shown as `\xNN`, so a terminal or CI log stays
 * intact.
 */
export function escapeControl(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
