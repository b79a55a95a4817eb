// shlex splitting, address parsing and host ranges, each checked against the Python code Ansible runs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAddress } from "../../../src/engine/inventory/address.js";
import { expandHostnameRange, HostRangeError } from "../../../src/engine/inventory/host-range.js";
import { ShlexError, shlexSplit } from "../../../src/engine/inventory/shlex.js";
import { pythonMap } from "./python-oracle.js";

const outcome = <T>(f: () => T): { value: T } | { error: true } => {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof ShlexError || e instanceof HostRangeError) return { error: true };
    throw e;
  }
};
const pythonOutcomes = (expression: string, inputs: string[]) =>
  pythonMap(expression, inputs).map((r) => ("error" in r ? { error: true } : r));
const keyed = (inputs: string[], outcomes: unknown[]) => Object.fromEntries(inputs.map((s, i) => [s, outcomes[i]]));

describe("shlexSplit matches Python's shlex.split(comments=True)", () => {
  const SAMPLES = [
    "a b=c", `h x="a b" y='c d'`, `h e=a\\ b`, `h q="x \\"y\\" z"`, `h s='it''s'`, "h a=b#c d", "h # all comment",
    `h k=""`, `h '' x`, `h "unterminated`, "h trailing\\", `h "a\\b" 'a\\b' a\\b`, "h\tt=1\r", `h "#" '#' x#`,
    `a"b"c 'd'"e"`, "  spaced   out  ",
  ];
  it("splits the samples as Python does", () => {
    const inputs = SAMPLES;
    expect(keyed(inputs, inputs.map((s) => outcome(() => shlexSplit(s))))).toEqual(
      keyed(inputs, pythonOutcomes("shlex.split(x, comments=True)", inputs)),
    );
  });
  it("splits random lines of quotes, escapes and comments as Python does", () => {
    const line = fc.string({ unit: fc.constantFrom("a", "=", " ", "\t", "'", '"', "\\", "#", "b", "é"), maxLength: 14 });
    const inputs = fc.sample(line, { numRuns: 400, seed: 7 });
    expect(keyed(inputs, inputs.map((s) => outcome(() => shlexSplit(s))))).toEqual(
      keyed(inputs, pythonOutcomes("shlex.split(x, comments=True)", inputs)),
    );
  });
});

describe("parseAddress matches Ansible's parse_address", () => {
  const SAMPLES = [
    "web1", "web1:22", "web-1.example.com:2222", "10.0.0.1", "10.0.0.1:22", "10.0.0.[1:3]", "256.1.1.1", "fe80::1",
    "::1", "[::1]:22", "[fe80::1%eth0]:22", "web[01:10]", "web[01:10]:22", "db-[a:f]", "-bad", "bad-", "under_score",
    "a..b", "x:y:z", "[web]:22", "host name", "ünïcode", "web[1:3]x[a:b]", "1.2.3", "web:", ":22", "web[a:B]",
  ];
  const expectAnsibleReading = (inputs: string[]) => {
    for (const allowRanges of [true, false]) {
      const expected = pythonMap(`list(parse_address(x, allow_ranges=${allowRanges ? "True" : "False"}))`, inputs).map((r) =>
        "error" in r ? null : { host: (r.value as [string, number | null])[0], port: (r.value as [string, number | null])[1] ?? undefined },
      );
      const actual = inputs.map((s) => {
        const a = parseAddress(s, allowRanges);
        return a ? { host: a.host, port: a.port } : null;
      });
      expect(keyed(inputs, actual)).toEqual(keyed(inputs, expected));
    }
  };
  it("reads host, port and validity as Ansible does, with and without ranges", () => {
    expectAnsibleReading(SAMPLES);
  });
  // ASCII names take a faster path than Unicode ones: both must read as Ansible does.
  it("reads random ASCII and Unicode names as Ansible does", () => {
    const unit = fc.constantFrom("a", "Z", "k", "K", "s", "0", "9", "_", "-", ".", ":", "[", "]", "é", "\u212a", "\u017f", "\u0663");
    expectAnsibleReading(fc.sample(fc.string({ unit, minLength: 1, maxLength: 9 }), { numRuns: 500, seed: 11 }));
  });
});

describe("expandHostnameRange matches Ansible's expand_hostname_range", () => {
  const SAMPLES = [
    "web[1:3]", "web[01:10]", "web[01:10:3]", "web[001:3]", "db-[a:f]", "db-[a:f:2]", "x[A:C]", "x[z:B]", "x[f:a]",
    "n[:3]", "n[1:]", "n[0:0]", "n[5:1]", "a[1:2]b[x:y]", "a[1:2]-[01:02]", "n[1:3:0]", "n[1:3:-1]", "n[1]", "n[1:2:3:4]",
    "n[01:5]", "n[a:5]", "n[1:3", "n[-1:1]", "n[+1:2]", "n[1_0:11]", "n[ab:cd]", "v6-[0a:0c]",
  ];
  it("expands the samples (or refuses them) as Ansible does", () => {
    const actual = SAMPLES.map((s) => outcome(() => expandHostnameRange(s)));
    expect(keyed(SAMPLES, actual)).toEqual(keyed(SAMPLES, pythonOutcomes("expand_hostname_range(x)", SAMPLES)));
  });
});
