// lineinfile on a real host: insert, replace, remove, create, backup, validate, check and diff.
import { describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modline");

describe("lineinfile", () => {
  it("replaces the line regexp matches, then reports ok after one probe", async () => {
    await t.sh("mkdir -p /srv/l && printf 'a=1\\nport=22\\nb=2\\n' > /srv/l/conf");
    const args = { path: "/srv/l/conf", regexp: "^port=", line: "port=2222" };
    const first = await t.run("lineinfile", args);
    expect(first).toMatchObject({ changed: true, msg: "line replaced" });
    expect(await t.sh("cat /srv/l/conf")).toBe("a=1\nport=2222\nb=2\n");
    const second = await t.run("lineinfile", args);
    expect(second.changed).toBe(false);
    expect(second.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("check mode with diff shows the edit and leaves the file", async () => {
    const r = await t.run("lineinfile", { path: "/srv/l/conf", line: "c=3", insertafter: "^a=" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff![0]).toMatchObject({ before: "a=1\nport=2222\nb=2\n", after: "a=1\nc=3\nport=2222\nb=2\n" });
    expect(await t.sh("cat /srv/l/conf")).toBe("a=1\nport=2222\nb=2\n");
  });

  it("removes every matching line with a backup", async () => {
    await t.sh("printf 'x\\nkeep\\nx\\n' > /srv/l/dup");
    const r = await t.run("lineinfile", { path: "/srv/l/dup", line: "x", state: "absent", backup: true });
    expect(r).toMatchObject({ changed: true, found: 2, msg: "2 line(s) removed" });
    expect(await t.sh("cat /srv/l/dup")).toBe("keep\n");
    expect(await t.sh(`cat ${r.backup as string}`)).toBe("x\nkeep\nx\n");
  });

  it("creates the file and its directory with create, with the asked mode", async () => {
    const args = { path: "/srv/l/new/dir/file", line: "only", create: true, mode: "0600" };
    expect((await t.run("lineinfile", args)).changed).toBe(true);
    expect(await t.sh("cat /srv/l/new/dir/file; stat -c %a /srv/l/new/dir/file")).toBe("only\n600\n");
    expect((await t.run("lineinfile", args)).changed).toBe(false);
  });

  it("fails on a missing file without create, and validates before writing", async () => {
    expect(await t.run("lineinfile", { path: "/srv/l/absent", line: "x" })).toMatchObject({
      failed: true,
      rc: 257,
      msg: "Destination /srv/l/absent does not exist !",
    });
    const bad = await t.run("lineinfile", { path: "/srv/l/conf", line: "oops", validate: "grep -q ^never= %s" });
    expect(bad).toMatchObject({ failed: true, rc: 1 });
    expect(await t.sh("grep -c oops /srv/l/conf || true")).toBe("0\n");
  });

  it("keeps bytes that are not UTF-8 exactly as they were", async () => {
    await t.sh("printf 'caf\\351=1\\nport=1\\n' > /srv/l/latin1");
    expect((await t.run("lineinfile", { path: "/srv/l/latin1", regexp: "^port=", line: "port=2" })).changed).toBe(true);
    expect(await t.sh("od -An -c /srv/l/latin1 | tr -s ' '")).toBe(" c a f 351 = 1 \\n p o r t = 2 \\n\n");
  });

  it("rejects mutually exclusive arguments without touching the host", async () => {
    const r = await t.run("lineinfile", { path: "/srv/l/conf", line: "x", regexp: "^x", search_string: "x" });
    expect(r).toMatchObject({ failed: true, msg: "lineinfile: `regexp` and `search_string` are mutually exclusive; give only one" });
    expect(r.sent.runs).toEqual([]);
  });
});
