/**
 * Removes secrets from a log line: the known tokens themselves, `token=` query parameters,
 * and the value of any `Authorization` header. The extension never logs a token on purpose;
 * this is the second line of defence for lines that quote a URL or an error from a library.
 */
export function redact(line: string, secrets: Iterable<string> = []): string {
  let out = line;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; a real token is longer.
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out
    .replace(/([?&]token=)[^&\s#]+/gi, '$1***')
    .replace(/(authorization["']?\s*[:=]\s*["']?)(bearer |x-api-key )?[^\s"',}]+/gi, '$1$2***');
}
