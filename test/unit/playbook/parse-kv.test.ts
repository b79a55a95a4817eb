import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKv, splitArgs } from "../../../src/engine/playbook/parse-kv.js";

describe("parseKv (Ansible's parse_kv)", () => {
  it("splits k=v pairs, removing one level of quotes", () => {
    expect(parseKv(`path=/x state=directory msg="hello world" other='it''s'`, false)).toEqual({
      options: { path: "/x", state: "directory", msg: "hello world", other: "it''s" },
      raw: "",
    });
  });

  it("keeps template blocks whole, spaces included", () => {
    expect(parseKv("msg={{ a | default('x y') }} var=b", false).options).toEqual({ msg: "{{ a | default('x y') }}", var: "b" });
  });

  it("leaves command text alone except the command options", () => {
    expect(parseKv("echo a=b chdir=/tmp creates=/x", true)).toEqual({ options: { chdir: "/tmp", creates: "/x" }, raw: "echo a=b" });
  });

  it("treats escaped and leading = as text", () => {
    expect(parseKv("a\\=b =c", false)).toEqual({ options: {}, raw: "a\\=b =c" });
  });

  it("splits on whitespace outside quotes", () => {
    expect(splitArgs(`a "b c" 'd  e'   f="g h"`)).toEqual(["a", `"b c"`, `'d  e'`, `f="g h"`]);
  });
});

describe("parseKv round trip", () => {
  it("reads back any k=v line written with quoted values", () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    // Values without quotes or backslashes: Ansible's k=v form cannot carry every string.
    const value = fc.stringMatching(/^[^"'\\]{0,12}$/);
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), (options) => {
        const line = Object.entries(options).map(([k, v]) => `${k}="${v}"`).join(" ");
        expect(parseKv(line, false)).toEqual({ options, raw: "" });
      }),
    );
  });
});
