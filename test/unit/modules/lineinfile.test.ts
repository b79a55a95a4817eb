import { describe, expect, it } from "vitest";
import { planLineInFile, lineinfile, type LineInFileArgs } from "../../../src/modules/lineinfile.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";
import { textFile } from "./text-file-fixture.js";

// [content before, arguments, content after, changed, msg] — each row recorded from
// ansible-core 2.14's lineinfile on the same input.
const ANSIBLE_CASES: Array<[string, Record<string, unknown>, string, boolean, string]> = [
  ["a\nb\n", {"line": "c"}, "a\nb\nc\n", true, "line added"],
  ["a\nb", {"line": "c"}, "a\nb\nc\n", true, "line added"],
  ["a\nfoo=1\nb\n", {"regexp": "^foo=", "line": "foo=2"}, "a\nfoo=2\nb\n", true, "line replaced"],
  ["a\nfoo=2\nb\n", {"regexp": "^foo=", "line": "foo=2"}, "a\nfoo=2\nb\n", false, ""],
  ["a\nb\n", {"line": "x", "insertafter": "^a"}, "a\nx\nb\n", true, "line added"],
  ["a\nb\n", {"line": "x", "insertbefore": "^b"}, "a\nx\nb\n", true, "line added"],
  ["a\nb\n", {"line": "x", "insertbefore": "BOF"}, "x\na\nb\n", true, "line added"],
  ["a\nb\n", {"line": "x", "insertafter": "BOF"}, "x\na\nb\n", true, "line added"],
  ["a\nb\n", {"line": "x", "regexp": "^nomatch", "backrefs": true}, "a\nb\n", false, ""],
  ["key=val\n", {"regexp": "^(key)=(.*)$", "line": "\\1=new", "backrefs": true}, "key=new\n", true, "line replaced"],
  ["x=1\nx=2\n", {"regexp": "^x=", "line": "x=9"}, "x=1\nx=9\n", true, "line replaced"],
  ["x=1\nx=2\n", {"regexp": "^x=", "line": "x=9", "firstmatch": true}, "x=9\nx=2\n", true, "line replaced"],
  ["a\nb\na\n", {"line": "z", "insertafter": "^a"}, "a\nb\na\nz\n", true, "line added"],
  ["a\nb\na\n", {"line": "z", "insertafter": "^a", "firstmatch": true}, "a\nz\nb\na\n", true, "line added"],
  ["a\nz\nb\n", {"line": "z", "insertafter": "^a"}, "a\nz\nb\n", false, ""],
  ["a\nb\na\n", {"line": "a", "state": "absent"}, "b\n", true, "2 line(s) removed"],
  ["a\nb\na\n", {"regexp": "^b", "state": "absent"}, "a\na\n", true, "1 line(s) removed"],
  ["z\nb\n", {"line": "z", "insertbefore": "^b"}, "z\nb\n", false, ""],
  ["a\nb\n", {"regexp": "^c=", "line": "c=1", "insertafter": "^a"}, "a\nc=1\nb\n", true, "line added"],
  ["foo bar\n", {"search_string": "bar", "line": "baz"}, "baz\n", true, "line replaced"],
  ["a\nb", {"line": "b"}, "a\nb\n", true, "line replaced"],
  ["a\nb\n", {"line": "x", "insertafter": "^nomatch"}, "a\nb\nx\n", true, "line added"],
  ["a\nb\n", {"line": "x", "insertbefore": "^nomatch"}, "a\nb\nx\n", true, "line added"],
  ["a\nb\nc\n", {"line": "x", "insertbefore": "^(b|c)"}, "a\nb\nx\nc\n", true, "line added"],
  ["a\nb\nc\n", {"line": "x", "insertbefore": "^(b|c)", "firstmatch": true}, "a\nx\nb\nc\n", true, "line added"],
  ["a\nb\n", {"line": "b", "insertafter": "^a"}, "a\nb\n", false, ""],
  ["a\n", {"line": "x", "insertafter": "^a"}, "a\nx\n", true, "line added"],
  ["a", {"line": "x", "insertafter": "^a"}, "ax\n", true, "line added"],
  ["", {"line": "x", "insertbefore": "^a"}, "x\n", true, "line added"],
  ["name: (?P<n>x)\n", {"regexp": "^name: \\((?P<x>\\?P)<n>x\\)$", "line": "got \\g<x>", "backrefs": true}, "got ?P\n", true, "line replaced"],
  ["A=1\n", {"regexp": "(?i)^a=", "line": "a=2"}, "a=2\n", true, "line replaced"]
];

function plan(content: string | undefined, raw: Record<string, unknown>) {
  const { args, errors } = normalizeModuleArgs<LineInFileArgs>(lineinfile, { path: "/etc/x", ...raw });
  expect(errors).toEqual([]);
  return planLineInFile(args, textFile("/etc/x", content));
}

describe("lineinfile plan matches Ansible", () => {
  it.each(ANSIBLE_CASES)("%j with %j", (before, args, after, changed, msg) => {
    const p = plan(before, args);
    expect(p.changed).toBe(changed);
    expect(p.msg).toBe(msg);
    if (changed) expect(p.content).toBe(after);
    else expect(p.content).toBeUndefined();
  });
});

describe("lineinfile refusals", () => {
  it("fails on a missing file without create, creates it with create", () => {
    expect(() => plan(undefined, { line: "x" })).toThrow("Destination /etc/x does not exist !");
    const p = plan(undefined, { line: "x", create: true });
    expect(p).toMatchObject({ changed: true, content: "x\n" });
    expect(p.createParent).toBeUndefined();
  });
  it("needs regexp for backrefs and a line for present", () => {
    expect(() => plan("a\n", { line: "x", backrefs: true })).toThrow("regexp is required with backrefs=true");
    expect(() => plan("a\n", { regexp: "^a" })).toThrow("line is required with state=present");
    expect(() => plan("a\n", { state: "absent" })).toThrow("one of line, search_string, or regexp is required");
  });
  it("reports an invalid regular expression by its argument", () => {
    expect(() => plan("a\n", { regexp: "(", line: "x" })).toThrow(/`regexp` is not a valid regular expression/);
  });
  it("rejects mutually exclusive arguments before anything runs", () => {
    const { errors } = normalizeModuleArgs(lineinfile, { path: "/x", line: "a", insertafter: "EOF", insertbefore: "BOF" });
    expect(errors.map((e) => e.message)).toEqual(["lineinfile: `insertbefore` and `insertafter` are mutually exclusive; give only one"]);
  });
  it("changes attributes alone and says so like Ansible", () => {
    const p = planLineInFile(
      normalizeModuleArgs<LineInFileArgs>(lineinfile, { path: "/etc/x", line: "a", mode: "0600" }).args,
      textFile("/etc/x", "a\n"),
    );
    expect(p).toMatchObject({ changed: true, msg: "ownership, perms or SE linux context changed" });
    expect(p.content).toBeUndefined();
    expect(p.attributes.mode).toEqual(["0644", "0600"]);
  });
});
