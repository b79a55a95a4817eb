// blockinfile on a real host: insert, update, remove a marked block; check and diff modes.
import { describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modblock");

const BLOCK = "# BEGIN ANSIBLE MANAGED BLOCK\nnameserver 10.0.0.1\n# END ANSIBLE MANAGED BLOCK\n";

describe("blockinfile", () => {
  it("inserts a block, then reports ok after one probe", async () => {
    await t.sh("mkdir -p /srv/b && printf 'search local\\n' > /srv/b/resolv");
    const args = { path: "/srv/b/resolv", block: "nameserver 10.0.0.1" };
    expect(await t.run("blockinfile", args)).toMatchObject({ changed: true, msg: "Block inserted" });
    expect(await t.sh("cat /srv/b/resolv")).toBe(`search local\n${BLOCK}`);
    const again = await t.run("blockinfile", args);
    expect(again).toMatchObject({ changed: false });
    expect(again.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("check mode with diff shows an update and leaves the file", async () => {
    const r = await t.run("blockinfile", { path: "/srv/b/resolv", block: "nameserver 10.0.0.2", insertbefore: "BOF" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff![0].after).toContain("nameserver 10.0.0.2\n");
    expect(await t.sh("cat /srv/b/resolv")).toBe(`search local\n${BLOCK}`);
  });

  it("removes the block with state=absent, keeping the rest", async () => {
    expect(await t.run("blockinfile", { path: "/srv/b/resolv", state: "absent" })).toMatchObject({ changed: true, msg: "Block removed" });
    expect(await t.sh("cat /srv/b/resolv")).toBe("search local\n");
  });

  it("creates a file with custom markers and owner", async () => {
    const args = { path: "/srv/b/new.conf", block: "x=1", marker: "// {mark} kplay", create: true, owner: "nobody" };
    expect(await t.run("blockinfile", args)).toMatchObject({ changed: true, msg: "File created" });
    expect(await t.sh("cat /srv/b/new.conf; stat -c %U /srv/b/new.conf")).toBe("// BEGIN kplay\nx=1\n// END kplay\nnobody\n");
    expect((await t.run("blockinfile", args)).changed).toBe(false);
  });

  it("rejects an unknown argument with a suggestion, without touching the host", async () => {
    const r = await t.run("blockinfile", { path: "/srv/b/resolv", blok: "x" });
    expect(r).toMatchObject({ failed: true, msg: "blockinfile: unknown argument `blok` — did you mean `block`?" });
    expect(r.sent.runs).toEqual([]);
  });
});
