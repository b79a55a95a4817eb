import { describe, expect, it } from "vitest";
import { blockinfile, planBlockInFile, type BlockInFileArgs } from "../../../src/modules/blockinfile.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";
import { textFile } from "./text-file-fixture.js";

// [content before, arguments, content after, changed, msg] — each row recorded from
// ansible-core 2.14's blockinfile on the same input.
const ANSIBLE_CASES: Array<[string, Record<string, unknown>, string, boolean, string]> = [
  ["a\nb\n", {"block": "x\ny"}, "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["a\nb", {"block": "x"}, "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n", {"block": "new"}, "a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nb\n", true, "Block inserted"],
  ["a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nb\n", {"block": "new"}, "a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nb\n", false, ""],
  ["a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n", {"state": "absent"}, "a\nb\n", true, "Block removed"],
  ["a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n", {"block": ""}, "a\nb\n", true, "Block removed"],
  ["a\nb\n", {"block": "x", "insertbefore": "BOF"}, "# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\na\nb\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "insertafter": "^a"}, "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\n", true, "Block inserted"],
  ["a\nb\na\n", {"block": "x", "insertafter": "^a"}, "a\nb\na\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "insertbefore": "^b"}, "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "insertafter": "^nomatch"}, "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "marker": "// {mark} kplay", "marker_begin": "START", "marker_end": "STOP"}, "a\nb\n// START kplay\nx\n// STOP kplay\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "insertafter": "(?m)^b$"}, "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "insertbefore": "(?m)^b$"}, "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\n", true, "Block inserted"],
  ["a\n# END ANSIBLE MANAGED BLOCK\nold\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n", {"block": "x"}, "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\n", true, "Block inserted"],
  ["a\r\nb\r\n", {"block": "x"}, "a\r\nb\r\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["", {"block": "x"}, "# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"],
  ["a\nb\n", {"block": "x", "insertafter": "BOF"}, "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", true, "Block inserted"]
];

function plan(content: string | undefined, raw: Record<string, unknown>) {
  const { args, errors } = normalizeModuleArgs<BlockInFileArgs>(blockinfile, { path: "/etc/x", ...raw });
  expect(errors).toEqual([]);
  return planBlockInFile(args, textFile("/etc/x", content));
}

describe("blockinfile plan matches Ansible", () => {
  it.each(ANSIBLE_CASES)("%j with %j", (before, args, after, changed, msg) => {
    const p = plan(before, args);
    expect(p.changed).toBe(changed);
    expect(p.msg).toBe(msg);
    if (changed) expect(p.content).toBe(after);
  });
});

describe("blockinfile on missing files", () => {
  it("fails without create, even for state=absent, like Ansible", () => {
    expect(() => plan(undefined, { block: "x" })).toThrow("Path /etc/x does not exist !");
    expect(() => plan(undefined, { state: "absent" })).toThrow("Path /etc/x does not exist !");
  });
  it("creates the file with create", () => {
    expect(plan(undefined, { block: "x", create: true })).toMatchObject({
      changed: true,
      msg: "File created",
      content: "# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n",
    });
    expect(plan(undefined, { state: "absent", create: true })).toMatchObject({ changed: false });
  });
  it("accepts Ansible's alias content for block", () => {
    expect(plan("a\n", { content: "x" }).content).toBe("a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n");
  });
});
