// k=v argument strings read exactly as ansible-core's own parse_kv reads them (escapes such as
// `content="a\n"`, escaped quotes and `=`, quoted keys), on random strings made of the pieces
// that make parsing hard. Ansible runs in one Python process for the whole batch.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKv } from "../../../src/engine/playbook/parse-kv.js";

const ANSIBLE_PARSE_KV = `
import json, sys
from ansible.parsing.splitter import parse_kv
out = []
for text, check_raw in json.load(sys.stdin):
    try:
        options = parse_kv(text, check_raw=check_raw)
        options.pop("_raw_params", None)
        out.append(options)
    except Exception:
        out.append(None)
print(json.dumps(out))
`;

const PIECES = ["a", "b", "k=", "v=", "chdir=", " ", "\\n", "\\t", "\\\\", "\\x41", "\\u00e9", "\\U0001F600", "\\q", '"', "'", "\\=", "=", '\\"', "{{ x }}"];

describe("parseKv against ansible-core's parse_kv", () => {
  it("gives the same options on random argument strings", () => {
    const seed = Date.now();
    const cases = fc.sample(
      fc.tuple(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 10 }).map((parts) => `k=${parts.join("")}`), fc.boolean()),
      { numRuns: 500, seed },
    );
    const ansible = JSON.parse(execFileSync("/usr/bin/python3", ["-c", ANSIBLE_PARSE_KV], { input: JSON.stringify(cases) }).toString()) as (Record<string, string> | null)[];
    // Strings Ansible itself rejects (unbalanced quotes) are the loader's business, not parse_kv's.
    const compared = cases.flatMap(([text, rawModule], i) => (ansible[i] === null ? [] : [{ text, rawModule, ansible: ansible[i], kplay: parseKv(text, rawModule).options }]));
    expect(compared.length, `seed ${seed}`).toBeGreaterThan(200);
    expect(compared.filter((c) => JSON.stringify(c.kplay) !== JSON.stringify(c.ansible)), `seed ${seed}`).toEqual([]);
  });

  it("decodes escapes in values, as the benchmark's copy content=\"cached\\n\" needs", () => {
    expect(parseKv('dest=/x content="cached\\n" mode=0600', false).options).toEqual({ dest: "/x", content: "cached\n", mode: "0600" });
  });
});
