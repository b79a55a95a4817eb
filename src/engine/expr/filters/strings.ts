// String filters: case, trimming, splitting, quoting, paths, encodings and hashes.
import { createHash, getHashes } from "node:crypto";
import { posix } from "node:path";
import { shellQuote } from "../../shell-quote.js";
import { exprError } from "../errors.js";
import { MAX_STRING_LENGTH } from "../limits.js";
import { param, type FilterTable } from "../plugin-types.js";
import { pyCapitalize, pyPercentFormat, pySplit, pyStrip, pyTitle } from "../pystr.js";
import { pyRepr, pyStr } from "../values.js";

function hash(input: unknown, algorithm: string): string {
  if (!getHashes().includes(algorithm)) throw exprError(`unknown hash algorithm '${algorithm}'`);
  return createHash(algorithm).update(pyStr(input), "utf8").digest("hex");
}

/** Python's urllib.parse.urlsplit, by RFC 3986's own regular expression. */
function urlsplit(url: string): Record<string, unknown> {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(url) ?? [];
  const netloc = m[2] ?? "";
  const userinfo = netloc.includes("@") ? netloc.slice(0, netloc.lastIndexOf("@")) : "";
  const hostport = netloc.slice(netloc.lastIndexOf("@") + 1);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = hp?.[1] ?? "";
  return {
    scheme: (m[1] ?? "").toLowerCase(),
    netloc,
    path: m[3] ?? "",
    query: m[4] ?? "",
    fragment: m[5] ?? "",
    username: userinfo ? userinfo.split(":")[0] : null,
    password: userinfo.includes(":") ? userinfo.slice(userinfo.indexOf(":") + 1) : null,
    hostname: host ? host.replace(/^\[|\]$/g, "").toLowerCase() : null,
    port: hp?.[2] ? Number(hp[2]) : null,
  };
}

function indent(text: string, width: number | string, first: boolean, blank: boolean): string {
  const pad = typeof width === "string" ? width : " ".repeat(width);
  if (pad.length > MAX_STRING_LENGTH / 1024) throw exprError("indent too wide");
  const lines = text.split("\n");
  return lines
    .map((line, i) => ((i === 0 && !first) || (!blank && line.trim() === "") ? line : pad + line))
    .join("\n");
}

export const stringFilters: FilterTable = {
  lower: (input) => pyStr(input).toLowerCase(),
  upper: (input) => pyStr(input).toUpperCase(),
  capitalize: (input) => pyCapitalize(pyStr(input)),
  title: (input) => pyTitle(pyStr(input)),
  trim: (input, args, kwargs) => pyStrip(pyStr(input), param<string | null>(args, kwargs, 0, "chars", null)),
  replace: (input, args, kwargs) => {
    const [from, to] = [pyStr(param(args, kwargs, 0, "old")), pyStr(param(args, kwargs, 1, "new"))];
    const count = param<number | null>(args, kwargs, 2, "count", null);
    const parts = pyStr(input).split(from);
    if (count === null || count < 0 || parts.length <= count + 1) return parts.join(to);
    return parts.slice(0, count + 1).join(to) + from + parts.slice(count + 1).join(from);
  },
  split: (input, args, kwargs) =>
    pySplit(pyStr(input), param<string | null>(args, kwargs, 0, "sep", null), param(args, kwargs, 1, "maxsplit", -1)),
  quote: (input) => shellQuote(pyStr(input)),
  indent: (input, args, kwargs) =>
    indent(pyStr(input), param(args, kwargs, 0, "width", 4), param(args, kwargs, 1, "first", false), param(args, kwargs, 2, "blank", false)),
  basename: (input) => posix.basename(pyStr(input)),
  dirname: (input) => {
    // Python's os.path.dirname keeps no trailing slash and gives '' for a bare name.
    const p = pyStr(input);
    const i = p.lastIndexOf("/");
    return i < 0 ? "" : i === 0 ? "/" : p.slice(0, i).replace(/\/+$/, "") || "/";
  },
  path_join: (input) => posix.join(...(Array.isArray(input) ? input.map((x) => pyStr(x)) : [pyStr(input)])),
  format: (input, args, kwargs) => {
    try {
      return pyPercentFormat(pyStr(input), Object.keys(kwargs).length ? kwargs : args, pyStr, pyRepr);
    } catch (e) {
      throw exprError(`format: ${(e as Error).message}`);
    }
  },
  splitext: (input) => {
    const p = pyStr(input);
    const base = posix.basename(p);
    const dot = base.lastIndexOf(".");
    // Python keeps leading dots in the stem: splitext('.bashrc') == ('.bashrc', '').
    if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ""];
    const cut = p.length - (base.length - dot);
    return [p.slice(0, cut), p.slice(cut)];
  },
  urlsplit: (input, args, kwargs) => {
    const parts = urlsplit(pyStr(input));
    const query = param<string | undefined>(args, kwargs, 0, "query");
    if (query === undefined || query === "") return parts;
    if (!Object.prototype.hasOwnProperty.call(parts, query)) throw exprError(`urlsplit: unknown component '${query}'`);
    return parts[query];
  },
  b64encode: (input) => Buffer.from(pyStr(input), "utf8").toString("base64"),
  b64decode: (input) => Buffer.from(pyStr(input), "base64").toString("utf8"),
  hash: (input, args, kwargs) => hash(input, param(args, kwargs, 0, "hashtype", "sha1")),
  checksum: (input) => hash(input, "sha1"),
  sha1: (input) => hash(input, "sha1"),
  md5: (input) => hash(input, "md5"),
};
