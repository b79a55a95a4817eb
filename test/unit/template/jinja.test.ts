import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderJinjaTemplateFile, renderJinjaTemplateString } from "../../../src/engine/template/index.js";
import { VariableScope } from "../../../src/engine/vars/index.js";
import { errorOf } from "../error-of.js";

const hostvars = { n1: { etcd_member_name: "etcd1", ip: "10.0.0.1" }, n2: { etcd_member_name: "etcd2", ip: "10.0.0.2" } };
const vars = {
  etcd_data_dir: "/var/lib/etcd",
  etcd_member_name: "etcd1",
  ip: "10.0.0.1",
  etcd_metrics_port: 2381,
  groups: { etcd: ["n1", "n2"] },
  hostvars,
  etcd_extra_vars: { ETCD_B: "2", ETCD_A: "1" },
};

describe("Jinja2 template files", () => {
  it("render like Jinja2 with Ansible's trim_blocks", () => {
    // Expected output produced by python3-jinja2 (trim_blocks=True, keep_trailing_newline=True).
    const expected =
      "# Managed by kplay\nETCD_DATA_DIR=/var/lib/etcd\nETCD_NAME=etcd1\n" +
      "ETCD_LISTEN_METRICS_URLS=http://10.0.0.1:2381,http://127.0.0.1:2381\n" +
      "ETCD_INITIAL_CLUSTER=etcd1=https://10.0.0.1:2380,etcd2=https://10.0.0.2:2380\n" +
      "ETCD_A=1\nETCD_B=2\nETCD_HEARTBEAT_INTERVAL=250\n";
    const path = join(import.meta.dirname, "fixtures", "etcd.env.j2");
    expect(renderJinjaTemplateFile(path, vars)).toBe(expected);
    expect(renderJinjaTemplateFile(path, VariableScope.fromLayers([vars]))).toBe(expected);
  });

  it("output is always text, even when it looks like a list or is one expression", () => {
    expect(renderJinjaTemplateString("[{{ 1 }}, 2]", {})).toBe("[1, 2]");
    expect(renderJinjaTemplateString("{{ [1, 2] }}", {})).toBe("[1, 2]");
    expect(renderJinjaTemplateString("{{ none }}", {})).toBe("");
    expect(renderJinjaTemplateString("plain\n\n", {})).toBe("plain\n\n");
  });

  it("errors name the variable and file:line:column", () => {
    const dir = mkdtempSync(join(tmpdir(), "kplay-j2-"));
    const path = join(dir, "kubelet.env.j2");
    writeFileSync(path, "A=1\n{% if true %}\nB={{ kubelet_port }}\n{% endif %}\n");
    const err = errorOf(() => renderJinjaTemplateFile(path, {}));
    expect(err.message).toBe("'kubelet_port' is undefined");
    expect(err.context.position).toEqual({ file: path, line: 3, column: 3 });
    writeFileSync(path, "A=1\n{% for x in xs %}\n");
    const syntax = errorOf(() => renderJinjaTemplateFile(path, { xs: [] }));
    expect(syntax.message).toBe("'{% for %}' is never closed with '{% endfor %}' at line 2, column 1");
    expect(syntax.context.position).toEqual({ file: path, line: 2, column: 1 });
  });

  it("a missing file is a template error", () => {
    expect(errorOf(() => renderJinjaTemplateFile("/nonexistent/a.j2", {})).message).toBe("template file not found: /nonexistent/a.j2");
  });
});
