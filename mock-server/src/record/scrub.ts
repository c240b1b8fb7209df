/** What a scrubbed string becomes. */
export const SCRUBBED = '[scrubbed]';

/** Keys whose values are secrets whatever they look like. */
const SECRET_KEY =
  /(^|[_-])(token|secret|password|passwd|pwd|api[_-]?key|apikey|auth|authorization|credentials?|cookie|session[_-]?id|private[_-]?key|access[_-]?key|client[_-]?secret)($|[_-])/i;

/**
 * Values that carry credentials wherever they appear: an Authorization
 * header value, a JSON Web Token, a private key, and the key formats of
 * common hosts. Commit ids (40 hex digits) are data, so there is no generic
 * "long hex" rule.
 */
const SECRET_VALUES: readonly RegExp[] = [
  // The credential must look like one (16+ characters, a digit among them),
  // so that prose such as "Basic authentication" survives.
  /\b(Bearer|Basic|X-API-KEY)\s+(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{16,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
];

/**
 * Credentials inside URLs and text: `user:password@` in a URL, and a
 * secret-named `name=value` pair, in a query string or in prose
 * (`deploy with token=abc`).
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi;
const SECRET_PAIR =
  /\b((?:access_|refresh_|id_)?token|api[_-]?key|apikey|access[_-]?key|secret(?:[_-]?key)?|client[_-]?secret|password|passwd|signature|sig)=[^&#\s"',;]+/gi;

/**
 * A deep copy of `value` with credentials-looking data replaced: values of
 * secret-named keys, and secrets found inside any string. Strings stay
 * strings, so a scrubbed task keeps its shape and still meets the contract;
 * numbers and booleans under a secret-named key are kept, since they cannot
 * hold a credential worth the name. `count` says how many were replaced.
 */
export function scrub(value: unknown): { value: unknown; count: number } {
  let count = 0;
  const walk = (node: unknown, key: string | undefined): unknown => {
    if (typeof node === 'string') {
      if (key !== undefined && SECRET_KEY.test(key) && node !== '') {
        count++;
        return SCRUBBED;
      }
      const cleaned = scrubText(node);
      if (cleaned !== node) count++;
      return cleaned;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined));
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    return node;
  };
  return { value: walk(value, undefined), count };
}

/** `text` with every credentials-looking part replaced. */
export function scrubText(text: string): string {
  let out = text.replace(URL_USERINFO, `$1${SCRUBBED}@`).replace(SECRET_PAIR, `$1=${SCRUBBED}`);
  for (const re of SECRET_VALUES) out = out.replace(re, SCRUBBED);
  return out;
}
