import { escapeControl } from './format-value';

/**
 * Text content for XML 1.0. Control characters other than tab, line feed
 * and carriage return cannot appear in an XML 1.0 document at all, not even
 * as character references (XML 1.0 §2.2), so they are written as `\xNN`.
 */
export function xmlText(value: string): string {
  return escapeControl(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An attribute value in double quotes; line breaks kept as references so parsers do not normalise
 * them away.
 */
export function xmlAttr(value: string | number): string {
  return xmlText(String(value))
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(v as string | number)}"`)
    .join('');
}
