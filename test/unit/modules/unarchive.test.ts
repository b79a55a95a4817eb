import { describe, expect, it } from "vitest";
import { archiveFormat, extractCommand, memberAttributeCommands, parseProbeListing, unarchive, type UnarchiveArgs } from "../../../src/modules/unarchive.js";
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
    expect(parseProbeListing("M docs/\nM etcd\nM docs/r.md\nD etcd\n")).toEqual({ members: ["docs/", "docs/r.md", "etcd"], differing: ["etcd"] });
  });

  it("sets owner and mode on every member in one command each", () => {
    expect(memberAttributeCommands(args({ owner: "etcd", mode: "0750" }), ["bin/", "bin/etcd"])).toEqual([
      "chown -- etcd /opt/x/bin /opt/x/bin/etcd",
      "chmod -- 0750 /opt/x/bin /opt/x/bin/etcd",
    ]);
    expect(memberAttributeCommands(args({ mode: "u+rwX,o=" }), ["f"])).toEqual(["chmod -- u+rwX,o= /opt/x/f"]);
  });
});
