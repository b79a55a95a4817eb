import { describe, expect, it } from "vitest";
import { archiveFormat, extractCommand, memberAttributeCommands, parseProbeListing, planUnarchive, unarchive, type UnarchiveArgs, type UnarchiveProbe } from "../../../src/modules/unarchive.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const args = (raw: Record<string, unknown>) => normalizeModuleArgs<UnarchiveArgs>(unarchive, { src: "a.tgz", dest: "/opt/x", ...raw }).args;

describe("unarchive", () => {
  it("chooses unzip for zip files and tar for the rest", () => {
    expect(archiveFormat("etcd.ZIP")).toBe("zip");
    expect(archiveFormat("etcd.tar.xz")).toBe("tar");
  });

  it("builds extraction commands with options, includes and excludes quoted", () => {
    expect(extractCommand(args({ extra_opts: ["--strip-components=1"], include: ["a b/etcd"], exclude: ["*.md"] }), "/tmp/a.tgz", "tar")).toBe(
      `tar -x -f /tmp/a.tgz -C "$into" --strip-components=1 '--exclude=*.md' 'a b/etcd'`,
    );
    expect(extractCommand(args({ include: ["etcd"], exclude: ["docs/*"] }), "/tmp/a.zip", "zip")).toBe(`unzip -q -o /tmp/a.zip etcd -x 'docs/*' -d "$into"`);
  });

  it("reads the probe listing", () => {
    expect(parseProbeListing("M docs/\nM etcd\nM docs/r.md\nD etcd\nA 750|etcd|root|998|0|directory|./docs\n")).toEqual({
      members: ["docs/", "docs/r.md", "etcd"],
      differing: ["etcd"],
      current: [{ path: "docs/", type: "directory", mode: "0750", owner: "etcd", group: "root", uid: 998, gid: 0 }],
    });
  });

  it("sets owner and mode on every member in one command each", () => {
    expect(memberAttributeCommands(args({ owner: "etcd", mode: "0750" }), ["bin/", "bin/etcd"])).toEqual([
      "chown -- etcd /opt/x/bin /opt/x/bin/etcd",
      "chmod -- 0750 /opt/x/bin /opt/x/bin/etcd",
    ]);
    expect(memberAttributeCommands(args({ mode: "u+rwX,o=" }), ["f"])).toEqual(["chmod -- u+rwX,o= /opt/x/f"]);
  });

  it("fixes drifted attributes alone, and all of them after re-extracting", () => {
    const probe: UnarchiveProbe = {
      archive: "/tmp/a", format: "tar", uploaded: true, outcome: "compared", members: ["bin/", "bin/etcd"], differing: [],
      current: [
        { path: "bin/", type: "directory", mode: "0750", owner: "etcd", group: "root", uid: 1, gid: 0 },
        { path: "bin/etcd", type: "file", mode: "0755", owner: "etcd", group: "root", uid: 1, gid: 0 },
      ],
    };
    const a = args({ owner: "etcd", mode: "0750" });
    expect(planUnarchive(a, probe)).toMatchObject({ changed: true, extract: false, fix: ["bin/etcd"], msg: "attributes of 1 path(s) to set" });
    expect(planUnarchive(a, { ...probe, differing: ["bin/etcd"] })).toMatchObject({ extract: true, fix: ["bin/", "bin/etcd"] });
    expect(planUnarchive(args({}), probe)).toMatchObject({ changed: false, fix: [] });
  });
});
