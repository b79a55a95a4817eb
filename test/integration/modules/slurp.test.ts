// slurp on a real host: content comes back base64-encoded, byte for byte.
import { describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modslurp");

describe("slurp", () => {
  it("returns a binary file's bytes as base64 without changing anything", async () => {
    await t.sh("mkdir -p /srv/sl && head -c 70000 /dev/urandom > /srv/sl/bin");
    const expected = (await t.sh("base64 -w0 /srv/sl/bin")).trim();
    const r = await t.run("slurp", { src: "/srv/sl/bin" });
    expect(r).toMatchObject({ changed: false, encoding: "base64", source: "/srv/sl/bin" });
    expect(r.content).toBe(expected);
    expect(r.sent.runs).toHaveLength(1);
  });

  it("says what is wrong with a missing path or a directory", async () => {
    expect(await t.run("slurp", { path: "/srv/sl/none" })).toMatchObject({ failed: true, msg: "file not found: /srv/sl/none" });
    expect(await t.run("slurp", { src: "/srv/sl" })).toMatchObject({ failed: true, msg: expect.stringContaining("source is a directory") });
  });

  it("needs src before running anything", async () => {
    const r = await t.run("slurp", {});
    expect(r).toMatchObject({ failed: true, msg: "slurp: missing required argument `src`" });
    expect(r.sent.runs).toEqual([]);
  });
});
