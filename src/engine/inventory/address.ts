// Ansible's `parse_address`: split `host:port`, `[v6]:port`, and tell whether what is left is a
// host name, IPv4 or IPv6 address (each may contain `[x:y]` ranges). Ports, host patterns and
// the `-i 'a,b'` host list all depend on this exact reading.

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// A label starts with a word character or range, may contain - and _, and does not end with them.
const label = (word: string): string => `(?:${word}|${ALNUM_RANGE})(?:${word}|-|${ALNUM_RANGE})*(?<![_-])`;
const hostname = (word: string, flags: string): RegExp => new RegExp(`^${label(word)}(?:\\.${label(word)})*$`, flags);

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(`^(?:${V4}\\.){3}${V4}$`, "i");
// As in Ansible, `^`/`$` bind to the first/last alternative only: the middle ones need only
// match a prefix (so `fe80::1%eth0` counts as an address).
const IPV6 = new RegExp(
  "^(?:" +
    [
      `(?:${V6}:){7}${V6}`,
      `(?:${V6}:){1,6}:`,
      `(?:${V6}:)(?::${V6}){1,6}`,
      `(?:${V6}:){2}(?::${V6}){1,5}`,
      `(?:${V6}:){3}(?::${V6}){1,4}`,
      `(?:${V6}:){4}(?::${V6}){1,3}`,
      `(?:${V6}:){5}(?::${V6}){1,2}`,
      `(?:${V6}:){6}(?::${V6})`,
      `:(?::${V6}){1,6}`,
      `${V6}?::`,
      `(?:0:){6}(?:${V6}\\.){3}${V6}`,
      `::(?:ffff:)?(?:${V6}\\.){3}${V6}`,
      `(?:0:){5}ffff:(?:${V6}\\.){3}${V6}$`,
    ].join("|") +
    ")",
  "i",
);
const HOSTNAME = hostname(String.raw`[\p{L}\p{N}_]`, "iu");
// The same test for ASCII names (nearly all): V8 takes milliseconds to compile the Unicode one,
// and on ASCII text the two agree (the only letters and digits there are A-Z, a-z and 0-9).
const ASCII_HOSTNAME = hostname("[A-Za-z0-9_]", "i");
const ASCII = /^[\x00-\x7f]*$/;

export interface ParsedAddress {
  host: string;
  port?: number;
}

/** `undefined` when `address` is not a host, IP address or range pattern Ansible would accept. */
export function parseAddress(address: string, allowRanges: boolean): ParsedAddress | undefined {
  let rest = address;
  let port: number | undefined;
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = pattern.exec(rest);
    if (m) {
      rest = m[1];
      port = Number(m[2]);
    }
  }
  // Names first: most hosts have one, and the IPv6 expression is slow to compile (V8 does it on first use).
  if (![ASCII.test(rest) ? ASCII_HOSTNAME : HOSTNAME, IPV4, IPV6].some((re) => re.test(rest))) return undefined;
  if (!allowRanges && rest.includes("[")) return undefined;
  return port === undefined ? { host: rest } : { host: rest, port };
}
