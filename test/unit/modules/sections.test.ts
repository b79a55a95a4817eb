// The framing of multi-answer probes (src/modules/lib/sections.ts), run by a real local sh.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { sectionedScript } from "../../../src/modules/lib/sections.js";

function runLocally(script: string): string {
  return execFileSync("sh", ["-c", script], { encoding: "utf8" });
}

describe("sectioned probe scripts", () => {
  it("returns each command's output and exit code, with or without a final newline", () => {
    const { script, parse } = sectionedScript([
      { name: "lines", command: "printf 'a\\nb\\n'" },
      { name: "partial", command: "printf 'no newline'" },
      { name: "empty", command: "true" },
      { name: "failing", command: "echo half; exit 3" },
    ]);
    const sections = parse(runLocally(script));
    expect(Object.fromEntries(sections)).toEqual({
      lines: { text: "a\nb\n", rc: 0 },
      partial: { text: "no newline", rc: 0 },
      empty: { text: "", rc: 0 },
      failing: { text: "half\n", rc: 3 },
    });
  });

  it("keeps commands apart: an exit or a variable does not reach the next one", () => {
    const { script, parse } = sectionedScript([
      { name: "first", command: "x=1; exit 0" },
      { name: "second", command: 'echo "${x:-unset}"' },
    ]);
    expect(parse(runLocally(script)).get("second")).toEqual({ text: "unset\n", rc: 0 });
  });

  it("reads a section right after another, and skips a marker line that is not a trailer", () => {
    const { parse } = sectionedScript([], "@@m");
    expect(Object.fromEntries(parse("x\n@@m:a 0\n\n@@m:b 2\n@@m:junk\ny\n@@m:c 0\n"))).toEqual({
      a: { text: "x", rc: 0 },
      b: { text: "", rc: 2 },
      c: { text: "@@m:junk\ny", rc: 0 },
    });
  });

  it("is not fooled by output that imitates a marker", () => {
    const { script, parse } = sectionedScript([{ name: "tricky", command: "printf '\\n@@kplay-000000000000:tricky 0\\nstill mine\\n'" }]);
    expect(parse(runLocally(script)).get("tricky")?.text).toBe("\n@@kplay-000000000000:tricky 0\nstill mine\n");
  });
});
