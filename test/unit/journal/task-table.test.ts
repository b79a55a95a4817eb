import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskTable } from "../../../src/engine/journal/task-table.js";
import { loadPlaybook } from "../../../src/engine/playbook/loader.js";
import type { Playbook, TaskNode } from "../../../src/engine/playbook/model.js";

function playbook(text: string, files: Record<string, string> = {}): Playbook {
  const dir = mkdtempSync(join(tmpdir(), "kplay-table-"));
  for (const [name, content] of Object.entries({ "site.yml": text, ...files })) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const loaded = loadPlaybook(join(dir, "site.yml"), { cwd: dir });
  if (!loaded.playbook) throw new Error(JSON.stringify(loaded.errors));
  return loaded.playbook;
}

const SITE = `
- hosts: all
  roles: [web]
  tasks:
    - name: first
      command: echo 1
    - block:
        - name: in block
          command: echo 2
      rescue:
        - name: rescuing
          command: echo 3
  handlers:
    - name: restart
      command: echo 4
- hosts: all
  tasks:
    - name: later play
      command: echo 5
`;
const ROLE = { "roles/web/tasks/main.yml": "- name: role task\n  command: echo r\n" };

describe("task identities and definitions", () => {
  it("names every task of every play in run order: play, role, file:line:column", () => {
    const table = new TaskTable([playbook(SITE, ROLE)], "/unused");
    const rows = [...table.byId].map(([id, d]) => [id.replace(/\/\S*\/kplay-table-\w+\//, ""), d.at, d.title]);
    expect(rows).toEqual([
      ["0.0 gather_facts", 0, "Gathering Facts"],
      [expect.stringMatching(/^0\.0 web .*roles\/web\/tasks\/main\.yml:1:3$/), 1, "web : role task"],
      [expect.stringMatching(/^0\.0 .*site\.yml:5:7$/), 2, "first"],
      [expect.stringMatching(/site\.yml:8:11$/), 3, "in block"],
      [expect.stringMatching(/site\.yml:11:11$/), 4, "rescuing"],
      [expect.stringMatching(/site\.yml:14:7$/), 5, "restart"],
      ["0.1 gather_facts", 6, "Gathering Facts"],
      [expect.stringMatching(/^0\.1 .*site\.yml:18:7$/), 7, "later play"],
    ]);
  });

  it("ids are relative to the base directory; the same playbook loaded again gives the same ids and definitions", () => {
    const a = playbook(SITE, ROLE);
    const base = join(a.path, "..");
    const t1 = new TaskTable([a], base);
    const t2 = new TaskTable([loadPlaybook(a.path, { cwd: base }).playbook!], base);
    expect([...t1.byId.keys()]).toContain("0.0 site.yml:5:7");
    expect([...t2.byId]).toEqual([...t1.byId]);
  });

  it("a definition changes with the task's arguments or keywords, not with its place", () => {
    const defOf = (text: string) => {
      const pb = playbook(text);
      return [...new TaskTable([pb], join(pb.path, "..")).byId.values()][1].def;
    };
    const base = defOf("- hosts: all\n  tasks:\n    - command: echo 1\n");
    expect(defOf("- hosts: all\n  tasks:\n\n\n    - command: echo 1\n")).toBe(base);
    expect(defOf("- hosts: all\n  tasks:\n    - command: echo 2\n")).not.toBe(base);
    expect(defOf("- hosts: all\n  tasks:\n    - command: echo 1\n      when: x\n")).not.toBe(base);
  });

  it("included tasks are named by their include path, rooted at the static include", () => {
    const pb = playbook("- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n", { "inc.yml": "- command: echo i\n" });
    const table = new TaskTable([pb], join(pb.path, ".."));
    const play = pb.plays[0];
    const include = play.tasks[0] as TaskNode;
    const included: TaskNode = { kind: "task", module: "command", action: "command", args: { cmd: "echo i" }, position: { file: join(pb.path, "../inc.yml"), line: 1, column: 3 } };
    const scope1 = table.includeScope(undefined, table.idOf(play, include, undefined), join(pb.path, "../inc.yml"), [{ item: 1 }]);
    const scope2 = table.includeScope(undefined, table.idOf(play, include, undefined), join(pb.path, "../inc.yml"), [{ item: 2 }]);
    expect(scope1.root).toBe("0.0 site.yml:3:7");
    const id1 = table.idOf(play, included, scope1);
    expect(id1).toEqual({ id: expect.stringMatching(/^0\.0 site\.yml:3:7\(\S+\) > 0\.0 inc\.yml:1:3$/), root: "0.0 site.yml:3:7" });
    expect(table.idOf(play, included, scope2).id).not.toBe(id1.id);
    expect(table.definition(included, id1.id)).toMatch(/^\S{16}$/);
    // Nested includes keep the outermost root.
    expect(table.includeScope(scope1, id1, "role_x", [{}]).root).toBe("0.0 site.yml:3:7");
  });
});
