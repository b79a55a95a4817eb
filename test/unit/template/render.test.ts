import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTemplateSyntax, renderTemplateFile, renderTemplateString } from "../../../src/engine/template/index.js";
import { VariableScope } from "../../../src/engine/vars/index.js";
import { errorOf } from "../error-of.js";
import { hostvarsOver } from "../hostvars-over.js";

const vars = {
  servers: ["s1", "s2"],
  cidr: "10.233.0.0/18",
  cfg: { b: 1, a: [1, 2] },
  role: "master",
  html: "<a & 'b'>",
  nodes: [{ name: "n1", ip: "10.0.0.1" }, { name: "n2", ip: "10.0.0.2" }],
  first: "a variable named like a filter",
};

describe("renderTemplateString", () => {
  it.each([
    ["servers={{join servers \",\"}}", "servers=s1,s2"],
    ["{{default missing \"fallback\"}}", "fallback"],
    ["{{to_yaml cfg}}", "a: [1, 2]\nb: 1\n"],
    ["{{to_nice_json cfg indent=2}}", '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}'],
    ["{{ipaddr (ipaddr (ipaddr cidr \"net\") 1) \"address\"}}", "10.233.0.1"],
    ["{{html}}", "<a & 'b'>"],
    ["{{#if (eq role \"master\")}}control{{else}}worker{{/if}}", "control"],
    ["{{#if (and (ne role \"x\") (not missing_flag_is_false))}}y{{/if}}", "y"],
    ["{{#eq role \"worker\"}}w{{else}}not worker{{/eq}}", "not worker"],
    ["{{#if (or (gt 1 2) (lt 1 2))}}yes{{/if}}", "yes"],
    ["{{#each nodes}}{{name}}={{ip}};{{/each}}", "n1=10.0.0.1;n2=10.0.0.2;"],
    ["{{#each servers}}{{@index}}:{{this}} {{/each}}", "0:s1 1:s2 "],
    ["{{upper (join (map nodes attribute=\"name\") \"-\")}}", "N1-N2"],
    ["{{first}}", "a variable named like a filter"],
    ["{{first servers}}", "s1"],
    ["{{#each items}}{{this}}{{/each}}|{{#if count}}c{{/if}}|{{#with map}}{{a}}{{/with}}", "12|c|A"],
  ])("%s", (text, expected) => {
    const withFalse = { ...vars, missing_flag_is_false: false, items: [1, 2], count: 3, map: { a: "A" } };
    expect(renderTemplateString(text, withFalse)).toBe(expected);
  });

  it("a missing variable names it and the file:line:column", () => {
    const err = errorOf(() => renderTemplateString("a\nb {{ etcd_peer_url }}\n", vars, "roles/etcd/templates/etcd.env.hbs"));
    expect(err.context.kind).toBe("variable");
    expect(err.message).toBe("'etcd_peer_url' is undefined");
    expect(err.context.position).toEqual({ file: "roles/etcd/templates/etcd.env.hbs", line: 2, column: 6 });
  });

  it("never reaches JS internals (Handlebars refuses inherited properties)", () => {
    expect(renderTemplateString("[{{constructor}}][{{cfg.__proto__}}][{{lookup cfg \"constructor\"}}]", vars)).toBe("[][][]");
    expect(errorOf(() => renderTemplateString("{{cfg.constructor.name}}", vars)).message).toBe("'cfg.constructor.name' is undefined");
    expect(renderTemplateString("{{lookup (lookup cfg \"constructor\") \"name\"}}", vars)).toBe("");
  });

  it("a missing nested attribute names the whole path", () => {
    const err = errorOf(() => renderTemplateString("x\n  {{cfg.missing.deeper}}", vars, "t.hbs"));
    expect(err.message).toBe("'cfg.missing.deeper' is undefined");
    expect(err.context.position).toEqual({ file: "t.hbs", line: 2, column: 5 });
  });

  it("a missing helper argument is named too", () => {
    const err = errorOf(() => renderTemplateString("{{join missing_list \",\"}}", vars, "t.hbs"));
    expect(err.message).toBe("'missing_list' is undefined");
    expect(err.context.position).toEqual({ file: "t.hbs", line: 1, column: 1 });
  });

  it("an unknown helper suggests the closest", () => {
    const err = errorOf(() => renderTemplateString("ok\n{{jion servers \",\"}}", vars, "t.hbs"));
    expect(err.message).toBe("no helper named 'jion'");
    expect(err.context.hint).toBe("did you mean `join`?");
    expect(err.context.position).toEqual({ file: "t.hbs", line: 2, column: 3 });
  });

  it("a filter error points at the helper call", () => {
    const err = errorOf(() => renderTemplateString("\n\n  {{from_json html}}", vars, "t.hbs"));
    expect(err.message).toContain("from_json: the input is not valid JSON");
    expect(err.context.position).toEqual({ file: "t.hbs", line: 3, column: 3 });
  });

  it("syntax errors carry the line", () => {
    const err = errorOf(() => renderTemplateString("a\n{{#if x}}\n{{/each}}", vars, "t.hbs"));
    expect(err.context.kind).toBe("template");
    expect(err.message).toBe("if doesn't match each");
    expect(err.context.position?.line).toBe(2);
    expect(checkTemplateSyntax("x\n{{ a b= }}", "t.hbs")?.context.position).toEqual({ file: "t.hbs", line: 2, column: 1 });
    expect(checkTemplateSyntax("fine {{a}}", "t.hbs")).toBeUndefined();
  });

  it("resolves only the variables the template mentions, from a lazy scope", () => {
    const scope = VariableScope.fromLayers([
      { used: "{{ base }}/x", base: "/etc", broken: "{{ does_not_exist }}", list: ["{{ base }}"] },
    ]);
    expect(renderTemplateString("{{used}} {{#each list}}{{this}}{{/each}}", scope)).toBe("/etc/x /etc");
  });

  it("walks hostvars handed out as a lazy mapping", () => {
    const scopes = new Map<string, VariableScope>();
    const hostvars = hostvarsOver(scopes);
    scopes.set("n1", VariableScope.fromLayers([{ ip: "10.0.0.1" }]));
    scopes.set("n2", VariableScope.fromLayers([{ ip: "10.0.0.2", secret: "{{ undefined_thing }}" }]));
    const me = VariableScope.fromLayers([{ hostvars, groups: { etcd: ["n1", "n2"] } }]);
    const text = "{{#each groups.etcd}}{{this}}={{lookup (lookup ../hostvars this) \"ip\"}} {{/each}}";
    expect(renderTemplateString(text, me)).toBe("n1=10.0.0.1 n2=10.0.0.2 ");
    const viaExtract = "{{#each (map groups.etcd \"extract\" hostvars)}}{{ip}};{{/each}}";
    expect(renderTemplateString(viaExtract, me)).toBe("10.0.0.1;10.0.0.2;");
  });
});

describe("renderTemplateFile", () => {
  it("renders a file and recompiles it when it changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "kplay-tpl-"));
    const path = join(dir, "kubelet.env.hbs");
    writeFileSync(path, "KUBELET_ADDRESS={{address}}\n");
    expect(renderTemplateFile(path, { address: "10.0.0.1" })).toBe("KUBELET_ADDRESS=10.0.0.1\n");
    writeFileSync(path, "KUBELET_ADDRESS={{address}}\nKUBELET_PORT={{port}}\n");
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(renderTemplateFile(path, { address: "10.0.0.1", port: 10250 })).toBe("KUBELET_ADDRESS=10.0.0.1\nKUBELET_PORT=10250\n");
    const err = errorOf(() => renderTemplateFile(path, { address: "x" }));
    expect(err.context.position).toEqual({ file: path, line: 2, column: 16 });
  });

  it("a missing file is a template error", () => {
    expect(errorOf(() => renderTemplateFile("/nonexistent/x.hbs", {})).message).toBe("template file not found: /nonexistent/x.hbs");
  });
});
