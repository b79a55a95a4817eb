// Host ranges as Ansible expands them: `node[01:10]` (inclusive, zero padding kept),
// `node[01:10:2]` (stride), `db-[a:f]`, several ranges in one name, and an optional `:port`.

import { parseAddress } from "./address.js";

/** Far above any real fleet (Kubernetes supports 5,000 nodes), far below what exhausts memory. */
const MAX_RANGE_HOSTS = 1_000_000;

export class HostRangeError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Python's int(): optional sign, digits with single underscores, surrounding blanks. */
function pythonInt(text: string, what: string): number {
  const t = text.trim();
  if (!/^[+-]?[0-9]+(?:_[0-9]+)*$/.test(t)) throw new HostRangeError(`host range ${what} "${text}" is not a number`);
  return Number(t.replace(/_/g, ""));
}

/** Python's str.zfill: pad with zeros after any sign. */
function zfill(text: string, width: number): string {
  const sign = /^[+-]/.test(text) ? text[0] : "";
  const digits = sign ? text.slice(1) : text;
  return sign + digits.padStart(width - sign.length, "0");
}

export function expandHostnameRange(line: string): string[] {
  const open = line.indexOf("[");
  const close = line.indexOf("]", open + 1);
  if (open < 0 || close < 0 || line.indexOf("]") < open || line.includes("|")) {
    throw new HostRangeError(`unterminated or malformed host range in "${line}"`, "write ranges as name[begin:end] or name[begin:end:step]");
  }
  const head = line.slice(0, open);
  const tail = line.slice(close + 1);
  const bounds = line.slice(open + 1, close).split(":");
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new HostRangeError(`host range must be begin:end or begin:end:step, got "[${bounds.join(":")}]"`);
  }
  const beg = bounds[0] === "" ? "0" : bounds[0];
  const end = bounds[1];
  if (!end) throw new HostRangeError(`host range must specify end value in "${line}"`);
  const step = bounds.length === 3 ? pythonInt(bounds[2], "step") : 1;
  if (step === 0) throw new HostRangeError(`host range step must not be zero in "${line}"`);
  let fill = (x: string): string => x;
  if (beg[0] === "0" && beg.length > 1) {
    if (beg.length !== end.length) {
      throw new HostRangeError(
        `host range must specify equal-length begin and end formats in "${line}"`,
        `pad both ends to the same width, e.g. [${beg}:${end.padStart(beg.length, "0")}]`,
      );
    }
    fill = (x) => zfill(x, beg.length);
  }
  const seq: string[] = [];
  const iBeg = ASCII_LETTERS.indexOf(beg);
  const iEnd = ASCII_LETTERS.indexOf(end);
  if (iBeg >= 0 && iEnd >= 0) {
    if (iBeg > iEnd) throw new HostRangeError(`host range must have begin <= end in "${line}"`);
    for (let i = iBeg; step > 0 && i <= iEnd; i += step) seq.push(ASCII_LETTERS[i]);
  } else {
    const b = pythonInt(beg, "begin");
    const e = pythonInt(end, "end");
    // A typo like [1:99999999] would otherwise exhaust memory before any error could be shown.
    if (step > 0 && (e - b) / step >= MAX_RANGE_HOSTS) {
      throw new HostRangeError(`host range "${line}" expands to more than ${MAX_RANGE_HOSTS} hosts`, "check the range bounds");
    }
    for (let i = b; step > 0 && i <= e; i += step) seq.push(String(i));
  }
  return seq.flatMap((item) => {
    const name = head + fill(item) + tail;
    return name.includes("[") ? expandHostnameRange(name) : [name];
  });
}

export interface ExpandedHosts {
  hosts: string[];
  port?: number;
}

/** One inventory host entry (`web[1:3]:2222`) into host names and the port they share. */
export function expandHostPattern(pattern: string): ExpandedHosts {
  const address = parseAddress(pattern, true);
  const name = address ? address.host : pattern;
  const hosts = name.includes("[") ? expandHostnameRange(name) : [name];
  return address?.port === undefined ? { hosts } : { hosts, port: address.port };
}
