// ansible.utils.ipaddr and friends on top of ipaddr.js: parse an address or CIDR, then answer a
// query ('net', 'address', 'prefix', an index ...) the way netaddr-based Ansible does, returning
// None (a query that does not apply) or False (not an address) when the value does not fit, so
// filters chain:
//   kube_service_addresses | ipaddr('net') | ipaddr(1) | ipaddr('address')  ->  10.233.0.1
import ipaddr from "ipaddr.js";
import { exprError } from "../errors.js";
import { param, type FilterTable } from "../plugin-types.js";
import { defined, pyStr } from "../values.js";

interface Cidr {
  version: 4 | 6;
  ip: bigint;
  prefix: number;
}

const bitsOf = (c: Cidr): number => (c.version === 4 ? 32 : 128);
const sizeOf = (c: Cidr): bigint => 1n << BigInt(bitsOf(c) - c.prefix);
const maskOf = (c: Cidr): bigint => ((1n << BigInt(bitsOf(c))) - 1n) ^ (sizeOf(c) - 1n);
const networkOf = (c: Cidr): bigint => c.ip & maskOf(c);
const broadcastOf = (c: Cidr): bigint => networkOf(c) + sizeOf(c) - 1n;

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function addressText(version: 4 | 6, n: bigint): string {
  const bytes: number[] = [];
  for (let i = 0; i < (version === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  const addr = ipaddr.fromByteArray(bytes);
  return addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** Parses `a.b.c.d`, `a.b.c.d/24`, `a.b.c.d/255.255.255.0`, IPv6 with or without prefix. */
export function parseCidr(value: unknown): Cidr | undefined {
  if (typeof value !== "string") return undefined;
  const [addrText, prefixText, ...extra] = value.trim().split("/");
  if (extra.length) return undefined;
  const addr = parseAddress(addrText);
  if (!addr) return undefined;
  const version = addr.kind() === "ipv4" ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (/^\d+$/.test(prefixText)) prefix = Number(prefixText);
    else {
      const mask = version === 4 && ipaddr.IPv4.isValidFourPartDecimal(prefixText) ? ipaddr.IPv4.parse(prefixText) : undefined;
      const fromMask = mask?.prefixLengthFromSubnetMask();
      if (fromMask === null || fromMask === undefined) return undefined;
      prefix = fromMask;
    }
    if (prefix > bits) return undefined;
  }
  return { version, ip: toBigInt(addr), prefix };
}

const cidrText = (c: Cidr, ip: bigint): string => `${addressText(c.version, ip)}/${c.prefix}`;

function isPrivate(c: Cidr): boolean {
  const range = ipaddr.parse(addressText(c.version, c.ip)).range();
  return ["private", "uniqueLocal", "loopback", "linkLocal", "carrierGradeNat"].includes(range);
}

/** The n-th address of the network (negative counts from the end), or undefined when outside. */
function nth(c: Cidr, n: number): bigint | undefined {
  const size = sizeOf(c);
  const i = BigInt(n);
  const offset = i < 0n ? size + i : i;
  return offset >= 0n && offset < size ? networkOf(c) + offset : undefined;
}

type Query = (c: Cidr, original: string) => unknown;

const QUERIES: Record<string, Query> = {
  address: (c) => (sizeOf(c) === 1n || c.ip !== networkOf(c) || c.version === 6 ? addressText(c.version, c.ip) : null),
  host: (c) => (sizeOf(c) === 1n || c.ip !== networkOf(c) ? cidrText(c, c.ip) : null),
  "address/prefix": (c) => (sizeOf(c) <= 2n || (c.ip !== networkOf(c) && c.ip !== broadcastOf(c)) ? cidrText(c, c.ip) : null),
  net: (c) => (sizeOf(c) > 1n && c.ip === networkOf(c) ? cidrText(c, c.ip) : null),
  subnet: (c) => cidrText(c, networkOf(c)),
  cidr: (c) => cidrText(c, networkOf(c)),
  network: (c) => addressText(c.version, networkOf(c)),
  "network/prefix": (c) => cidrText(c, networkOf(c)),
  prefix: (c) => c.prefix,
  netmask: (c) => addressText(c.version, maskOf(c)),
  hostmask: (c) => addressText(c.version, sizeOf(c) - 1n),
  broadcast: (c) => (c.version === 4 && sizeOf(c) > 2n ? addressText(4, broadcastOf(c)) : null),
  size: (c) => Number(sizeOf(c)),
  first_usable: (c) => (sizeOf(c) > 1n ? addressText(c.version, networkOf(c) + (sizeOf(c) > 2n ? 1n : 0n)) : null),
  last_usable: (c) => (sizeOf(c) > 1n ? addressText(c.version, broadcastOf(c) - (sizeOf(c) > 2n && c.version === 4 ? 1n : 0n)) : null),
  version: (c) => c.version,
  private: (c, v) => (isPrivate(c) ? v : false),
  public: (c, v) => (isPrivate(c) ? false : v),
  wrap: (c, v) => (c.version === 6 ? `[${v.split("/")[0]}]${v.includes("/") ? `/${v.split("/")[1]}` : ""}` : v),
};
QUERIES["host/prefix"] = QUERIES["address/prefix"];
QUERIES.ipwrap = QUERIES.wrap;

function answer(value: unknown, query: unknown, version?: 4 | 6): unknown {
  const c = parseCidr(value);
  if (!c || (version && c.version !== version)) return false;
  const original = pyStr(value);
  if (query === undefined || query === null || query === "") return original;
  if (typeof query === "number" || (typeof query === "string" && /^-?\d+$/.test(query))) {
    const ip = nth(c, Number(query));
    return sizeOf(c) > 1n && ip !== undefined ? cidrText(c, ip) : false;
  }
  const q = pyStr(query);
  const range = parseCidr(q);
  if (range && q.includes("/")) {
    // A CIDR query keeps values inside that network.
    const inside = range.version === c.version && range.prefix <= c.prefix && networkOf({ ...c, prefix: range.prefix }) === networkOf(range);
    return inside ? original : false;
  }
  const fn = Object.prototype.hasOwnProperty.call(QUERIES, q) ? QUERIES[q] : undefined;
  if (!fn) throw exprError(`ipaddr: unknown query '${q}'`, `known queries: ${Object.keys(QUERIES).join(", ")}, an index, or a CIDR`);
  return fn(c, original);
}

/** Lists are filtered: each element answered, the False/None answers dropped. */
function ipFilter(version?: 4 | 6) {
  return (input: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown => {
    const query = param(args, kwargs, 0, "query");
    input = defined(input);
    if (Array.isArray(input)) return input.map((x) => answer(x, query, version)).filter((x) => x !== false && x !== null);
    return answer(input, query, version);
  };
}

export const ipaddrFilters: FilterTable = {
  ipaddr: ipFilter(),
  ipv4: ipFilter(4),
  ipv6: ipFilter(6),
  ipwrap: (input) => {
    const c = parseCidr(input);
    return c ? answer(input, "wrap") : input;
  },
  nthhost: (input, args, kwargs) => {
    const c = parseCidr(defined(input));
    if (!c) return false;
    const ip = nth(c, Number(param(args, kwargs, 0, "query")));
    return ip === undefined ? false : addressText(c.version, ip);
  },
  ipmath: (input, args, kwargs) => {
    const c = parseCidr(defined(input));
    if (!c) throw exprError(`ipmath: '${pyStr(input)}' is not an IP address`);
    const delta = param(args, kwargs, 0, "amount");
    if (typeof delta !== "number" || !Number.isInteger(delta)) throw exprError("ipmath: the amount must be an integer");
    const ip = c.ip + BigInt(delta);
    if (ip < 0n || ip >= 1n << BigInt(bitsOf(c))) throw exprError(`ipmath: ${pyStr(input)} + ${delta} is out of range`);
    return addressText(c.version, ip);
  },
  ipsubnet: (input, args, kwargs) => {
    // `'10.0.0.0/8' | ipsubnet(16, 2)` -> the third /16 inside 10.0.0.0/8.
    const c = parseCidr(defined(input));
    if (!c) return false;
    const size = Number(param(args, kwargs, 0, "query"));
    if (!Number.isInteger(size) || size < c.prefix || size > bitsOf(c)) return false;
    const count = 1n << BigInt(size - c.prefix);
    const indexArg = param(args, kwargs, 1, "index");
    // Without an index Ansible answers how many such subnets fit.
    if (indexArg === undefined) return Number(count);
    const index = BigInt(Number(indexArg));
    const i = index < 0n ? count + index : index;
    if (i < 0n || i >= count) return false;
    return `${addressText(c.version, networkOf(c) + i * (1n << BigInt(bitsOf(c) - size)))}/${size}`;
  },
};
