// Python's str methods that filters and method calls share (split with maxsplit, strip with chars).
import { exprError } from "./errors.js";

export function pySplit(s: string, sep: string | null | undefined, maxsplit = -1): string[] {
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, "");
    while (rest.length) {
      if (maxsplit >= 0 && out.length === maxsplit) {
        out.push(rest.replace(/\s+$/, ""));
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  if (sep === "") throw exprError("split: empty separator");
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

export function pyRsplit(s: string, sep: string | null | undefined, maxsplit = -1): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === null || sep === undefined) {
    const reversed = pySplit([...s].reverse().join(""), null, maxsplit);
    return reversed.map((p) => [...p].reverse().join("")).reverse();
  }
  const parts = s.split(sep);
  if (parts.length <= maxsplit + 1) return parts;
  const keep = parts.length - maxsplit;
  return [parts.slice(0, keep).join(sep), ...parts.slice(keep)];
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, "\\$&");
}

export function pyStrip(s: string, chars?: string | null, side: "both" | "left" | "right" = "both"): string {
  const cls = chars === null || chars === undefined ? "\\s" : `[${escapeClass(chars)}]`;
  if (chars === "") return s;
  let out = s;
  if (side !== "right") out = out.replace(new RegExp(`^${cls}+`), "");
  if (side !== "left") out = out.replace(new RegExp(`${cls}+$`), "");
  return out;
}

export function pyCapitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

export function pyTitle(s: string): string {
  return s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_, pre: string, c: string) => pre + c.toUpperCase());
}

/** Python's `'%s-%d' % (a, b)` for the common conversions (s r d i f x o e g c %). */
export function pyPercentFormat(
  format: string,
  values: unknown,
  str: (v: unknown) => string,
  repr: (v: unknown) => string,
): string {
  const positional = Array.isArray(values) ? values : [values];
  let next = 0;
  const out = format.replace(
    /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrxXoeEgGc%])/g,
    (_, name: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
      if (conv === "%") return "%";
      let v: unknown;
      if (name !== undefined) {
        if (typeof values !== "object" || values === null || !Object.prototype.hasOwnProperty.call(values, name)) {
          throw new Error(`format requires a mapping with key '${name}'`);
        }
        v = (values as Record<string, unknown>)[name];
      } else {
        if (next >= positional.length) throw new Error("not enough arguments for format string");
        v = positional[next++];
      }
      const prec = precision === undefined ? undefined : Number(precision);
      const num = (): number => {
        if (typeof v === "number" || typeof v === "boolean") return Number(v);
        throw new Error(`%${conv} format: a real number is required, not ${str(v)}`);
      };
      let text: string;
      switch (conv) {
        case "s": text = prec === undefined ? str(v) : str(v).slice(0, prec); break;
        case "r": text = repr(v); break;
        case "d": case "i": text = String(Math.trunc(num())); break;
        case "f": text = num().toFixed(prec ?? 6); break;
        case "e": case "E": text = num().toExponential(prec ?? 6).replace(/e([+-])(\d)$/, "e$10$2"); break;
        case "g": case "G": text = String(Number(num().toPrecision(prec || 6))); break;
        case "x": text = Math.trunc(num()).toString(16); break;
        case "X": text = Math.trunc(num()).toString(16).toUpperCase(); break;
        case "o": text = Math.trunc(num()).toString(8); break;
        default: text = typeof v === "number" ? String.fromCharCode(v) : str(v);
      }
      if (conv === "E" || conv === "G") text = text.toUpperCase();
      if (flags.includes("+") && /^[dieEfgGxXo]$/.test(conv) && !text.startsWith("-")) text = `+${text}`;
      const w = Number(width ?? 0);
      if (text.length < w) {
        if (flags.includes("-")) text = text.padEnd(w);
        else if (flags.includes("0") && conv !== "s" && conv !== "r") {
          const sign = /^[+-]/.test(text) ? text[0] : "";
          text = sign + text.slice(sign.length).padStart(w - sign.length, "0");
        } else text = text.padStart(w);
      }
      return text;
    },
  );
  if (Array.isArray(values) && next < positional.length) throw new Error("not all arguments converted during string formatting");
  return out;
}
