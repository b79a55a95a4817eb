// template on a real host: rendered on this machine with the task's variables, installed like copy.
import { describe, expect, it } from "vitest";
import { runKplay } from "../executor/run-kplay.js";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modtmpl");

const vars = { inventory_hostname: "node1", node_ip: "10.0.0.11", kubelet_flags: ["--v=2", "--cgroup-driver=systemd"] };
const RENDERED = "# managed by kplay for node1\nKUBELET_ADDRESS=10.0.0.11\nKUBELET_FLAG_0=--v=2\nKUBELET_FLAG_1=--cgroup-driver=systemd\n";

describe("template", () => {
  it("renders and uploads once, then only probes", async () => {
    await t.sh("mkdir -p /srv/t");
    const args = { src: "kubelet.env.hbs", dest: "/srv/t/kubelet.env", mode: "0600" };
    expect(await t.run("template", args, { vars })).toMatchObject({ changed: true, dest: "/srv/t/kubelet.env" });
    expect(await t.sh("cat /srv/t/kubelet.env; stat -c %a /srv/t/kubelet.env")).toBe(`${RENDERED}600\n`);
    const again = await t.run("template", args, { vars });
    expect(again.changed).toBe(false);
    expect(again.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("check mode with diff shows the change a new variable makes, and writes nothing", async () => {
    const r = await t.run("template", { src: "kubelet.env.hbs", dest: "/srv/t/kubelet.env" }, { vars: { ...vars, node_ip: "10.0.0.99" }, check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff![0]).toMatchObject({ before: RENDERED, after: RENDERED.replace("10.0.0.11", "10.0.0.99") });
    expect(await t.sh("cat /srv/t/kubelet.env")).toBe(RENDERED);
  });

  it("validates the rendered file before installing it, with a backup", async () => {
    const bad = await t.run("template", { src: "kubelet.env.hbs", dest: "/srv/t/kubelet.env", validate: "grep -q 10.0.0.11 %s" }, { vars: { ...vars, node_ip: "10.0.0.12" } });
    expect(bad).toMatchObject({ failed: true });
    expect(await t.sh("cat /srv/t/kubelet.env")).toBe(RENDERED);
    const good = await t.run("template", { src: "kubelet.env.hbs", dest: "/srv/t/kubelet.env", backup: true }, { vars: { ...vars, node_ip: "10.0.0.12" } });
    expect(good.changed).toBe(true);
    expect(await t.sh(`cat ${good.backup_file as string}`)).toBe(RENDERED);
  });

  it("fails on an undefined variable, naming it, before touching the host", async () => {
    const r = await t.run("template", { src: "kubelet.env.hbs", dest: "/srv/t/other.env" }, { vars: { inventory_hostname: "node1" } });
    expect(r.failed).toBe(true);
    expect(r.msg).toContain("node_ip");
    expect(r.sent.runs).toEqual([]);
  });

  it("requires src and dest", async () => {
    const r = await t.run("template", { src: "kubelet.env.hbs" });
    expect(r).toMatchObject({ failed: true, msg: "template: missing required argument `dest`" });
    expect(r.sent.runs).toEqual([]);
  });
});

describe("file modules in a playbook, through the executor", () => {
  const files = {
    "roles/web/defaults/main.yml": "port: 8080\n",
    "roles/web/templates/site.conf.hbs": "listen {{port}}\nhost {{inventory_hostname}}\n",
    "roles/web/tasks/main.yml": [
      "- name: directory",
      "  file: { path: /srv/e2e, state: directory, mode: '0750' }",
      "- name: site config",
      "  template: { src: site.conf.hbs, dest: /srv/e2e/site.conf, mode: '0640' }",
      "- name: marker line",
      "  lineinfile: { path: /srv/e2e/tuning.conf, line: 'workers=4', create: true }",
      "",
    ].join("\n"),
  };
  const playbook = "- hosts: all\n  gather_facts: false\n  roles: [web]\n";

  it("converges, then reports nothing to do; check+diff shows a change without making it", async () => {
    const run = () => runKplay({ inventory: t.bed.inventoryIni(), playbook, files });
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/changed=3 /);
    expect(await t.sh("cat /srv/e2e/site.conf /srv/e2e/tuning.conf")).toBe(`listen 8080\nhost ${t.host.name}\nworkers=4\n`);
    const second = await run();
    expect(second.out).toMatch(/ok=3 +changed=0 /);
    const checked = await runKplay({ inventory: t.bed.inventoryIni(), playbook, files, request: { check: true, diff: true, extraVars: { port: 9090 } } });
    expect(checked.code).toBe(0);
    expect(checked.out).toContain("+listen 9090");
    expect(await t.sh("cat /srv/e2e/site.conf")).toBe(`listen 8080\nhost ${t.host.name}\n`);
  });
});

describe("Jinja2 templates (.j2 and any name but .hbs), as Ansible renders them", () => {
  const j2 = [
    "# managed",
    "{% for s in servers %}",
    "server {{ s }}:{{ port }}",
    "{% endfor %}",
    "{% if tls | bool %}",
    "tls on",
    "{% endif %}",
    "name={{ inventory_hostname | upper }}",
    "",
  ].join("\n");
  const files = { "templates/upstream.conf.j2": j2, "templates/plain.conf": "port={{ port }}\n{# a comment #}\n" };
  const playbook = [
    "- hosts: all",
    "  gather_facts: false",
    "  vars: { servers: [a, b], port: 80, tls: 'yes' }",
    "  tasks:",
    "    - file: { path: /srv/j2, state: directory }",
    "    - template: { src: upstream.conf.j2, dest: /srv/j2/upstream.conf }",
    "    - template: { src: plain.conf, dest: /srv/j2/plain.conf }",
    "",
  ].join("\n");

  it("renders loops, conditions and filters with Ansible's trim_blocks, then changes nothing", async () => {
    const first = await runKplay({ inventory: t.bed.inventoryIni(), playbook, files });
    expect(first.code).toBe(0);
    // The same text ansible-playbook 2.14 writes for this template and these variables.
    expect(await t.sh("cat /srv/j2/upstream.conf")).toBe(`# managed\nserver a:80\nserver b:80\ntls on\nname=${t.host.name.toUpperCase()}\n`);
    expect(await t.sh("cat /srv/j2/plain.conf")).toBe("port=80\n");
    const second = await runKplay({ inventory: t.bed.inventoryIni(), playbook, files });
    expect(second.out).toMatch(/ok=3 +changed=0 /);
  });

  it("names the template file and line of an undefined variable", async () => {
    const bad = await runKplay({ inventory: t.bed.inventoryIni(), playbook, files: { ...files, "templates/upstream.conf.j2": "a\nb={{ nope }}\n" } });
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/upstream\.conf\.j2:2/);
    expect(bad.out).toContain("nope");
  });
});
