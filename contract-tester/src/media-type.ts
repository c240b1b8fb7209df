/**
 * The essence of a media type, `type/subtype` in lower case without
 * parameters (RFC 9110 §8.3.1): `application/json; charset=utf-8` and
 * `Application/JSON` both give `application/json`.
 */
export function mediaTypeEssence(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const essence = value.split(';')[0]?.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

/**
 * Whether a received media type satisfies a documented one. OpenAPI allows
 * ranges in `content` keys (`application/*`, OpenAPI 3.1 §4.8.14); the most
 * specific key wins, which for a match/no-match answer means any key matching.
 */
export function mediaTypeMatches(received: string, documented: string): boolean {
  const want = documented.toLowerCase();
  if (want === '*/*') return true;
  if (want.endsWith('/*')) return received.startsWith(want.slice(0, -1));
  return received === want;
}

/** Whether a media type carries JSON: `application/json` or any `+json` suffix (RFC 6839 §3.1). */
export function isJsonMediaType(essence: string | undefined): boolean {
  return essence === 'application/json' || (essence?.endsWith('+json') ?? false);
}
