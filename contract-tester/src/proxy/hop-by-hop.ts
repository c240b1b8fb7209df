/**
 * Connection-specific header fields (RFC 9110 §7.6.1): they describe one
 * hop, so a proxy drops them and writes its own. `host` is set for the
 * upstream by the client library.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The websocket handshake's own fields (RFC 6455 §4.1); the relay's two handshakes make their own.
 */
const WS_HANDSHAKE = new Set([
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'sec-websocket-accept',
]);

/**
 * The end-to-end fields of a raw header list (`[name, value, name, value…]`,
 * as Node gives `rawHeaders`), in their order and spelling, without the
 * hop-by-hop ones and those the `Connection` field names.
 */
export function endToEnd(
  rawHeaders: readonly string[],
  options: { dropHost?: boolean; dropWebSocket?: boolean } = {},
): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i], rawHeaders[i + 1]]);
  }

  const named = new Set(
    pairs
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(','))
      .map((token) => token.trim().toLowerCase()),
  );

  return pairs.filter(([name]) => {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower)) return false;
    if (options.dropHost && lower === 'host') return false;
    if (options.dropWebSocket && WS_HANDSHAKE.has(lower)) return false;
    return true;
  });
}

/** Header pairs as a lower-cased map, repeated fields joined with `, ` (RFC 9110 §5.3). */
export function toHeaderMap(pairs: readonly [string, string][]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    map[key] = key in map ? `${map[key]}, ${value}` : value;
  }
  return map;
}
