import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandInclude, loadPlaybook } from "../../../src/engine/playbook/loader.js";
import type { BlockNode, Play, PlayItem, TaskNode } from "../../../src/engine/playbook/model.js";
import { testModules } from "./test-modules.js";

const fixtures = join(import.meta.dirname, "../../fixtures/playbooks");
const site = join(fixtures, "site/site.yml");

function load(path: string) {
  const result = loadPlaybook(path, { modules: testModules, rolesPath: [], cwd: fixtures });
  expect(result.errors).toEqual([]);
  return result.playbook!;
}

function tasksOf(items: PlayItem[]): TaskNode[] {
  return items.flatMap((i) => (i.kind === "task" ? [i] : [...tasksOf(i.block), ...tasksOf(i.rescue), ...tasksOf(i.always)]));
}

function allTasks(play: Play): TaskNode[] {
  return tasksOf([...play.pre_tasks, ...play.roles, ...play.tasks, ...play.post_tasks]);
}

function task(play: Play, name: string): TaskNode {
  const found = allTasks(play).find((t) => t.name === name);
  if (!found) throw new Error(`no task ${name}`);
  return found;
}

describe("loadPlaybook on a playbook using every construct", () => {
  const playbook = load(site);
  const [web, db, second] = playbook.plays;

  it("reads plays with their defaults and import_playbook's plays", () => {
    expect(playbook.plays.map((p) => [p.name, p.hosts, p.gather_facts, p.strategy])).toEqual([
      ["web servers", "web", true, "linear"],
      ["db:&all", "db:&all", false, "linear"],
      ["localhost", "localhost", false, "linear"],
    ]);
    expect(db.serial).toEqual([1, "50%"]);
    expect(web.vars).toEqual({ port: 8080 });
    expect(web.playbookDir).toBe(join(fixtures, "site"));
    // import_playbook's tags reach the imported play and its tasks.
    expect(second.tags).toEqual(["second"]);
    expect(task(second, "from the second playbook").tags).toEqual(["second"]);
  });

  it("keeps the position of plays, tasks and keywords", () => {
    expect(web.position).toEqual({ file: site, line: 2, column: 3 });
    const t = task(web, "list files");
    expect(t.position).toMatchObject({ file: site, line: 18, column: 7 });
    expect(t.positions?.notify).toMatchObject({ line: 21, column: 15 });
  });

  it("splits free-form and k=v arguments like Ansible", () => {
    expect(task(web, "list files").args).toEqual({ cmd: "ls -l", chdir: "/tmp" });
    expect(task(web, "say hello").args).toEqual({ msg: "hello {{ inventory_hostname }}" });
    // Kept as written: the module's normalizer converts `yes` when the task runs.
    expect(task(web, "make dir").args).toEqual({ path: "/tmp/kplay", state: "directory", recurse: "yes" });
    const unnamed = allTasks(web).find((t) => t.action === "ansible.builtin.debug")!;
    expect([unnamed.module, unnamed.args]).toEqual(["debug", { var: "port" }]);
    expect(allTasks(web).find((t) => t.module === "meta")!.args).toEqual({ action: "flush_handlers" });
    const viaAction = allTasks(web).find((t) => t.args.msg === "from action")!;
    expect([viaAction.module, viaAction.action]).toEqual(["debug", "debug"]);
    const local = task(web, "on the controller");
    expect([local.module, local.args, local.delegate_to]).toEqual(["command", { cmd: "echo local" }, "localhost"]);
  });

  it("expands roles into blocks, meta dependencies first, with their context", () => {
    expect(web.roles.map((r) => [r.role?.name, r.role?.params])).toEqual([
      ["base", { base_param: 1 }],
      ["web", { listen_port: 80 }],
      ["common", {}],
    ]);
    const webRole = web.roles[1].role!;
    expect(webRole.path).toBe(join(fixtures, "site/roles/web"));
    expect(webRole.defaults).toEqual({ listen_port: 8000, web_user: "www" });
    expect(webRole.vars).toEqual({ web_conf: "/etc/web.conf" });
    expect(tasksOf(web.roles[1].block).map((t) => t.name)).toEqual(["install web", "web sub task"]);
    expect(task(web, "web sub task").role?.name).toBe("web");
  });

  it("inherits keywords: when ANDed parent first, tags unioned, become unless overridden", () => {
    // The role entry's when/tags also reach its dependency.
    const base = task(web, "base setup");
    expect(base.when).toEqual(["port > 0"]);
    expect(base.tags).toEqual(["site", "webrole"]);
    expect(base.become).toBe(true);
    const shell = allTasks(web).find((t) => t.module === "shell")!;
    expect(shell.become).toBe(false);
    expect(shell.when).toEqual(['ansible_os_family == "Debian"']);
    expect(shell.tags).toEqual(["site", "blk"]);
    const block = web.tasks.find((i): i is BlockNode => i.kind === "block")!;
    expect(block.rescue.map((t) => t.name)).toEqual(["recover"]);
    expect(block.always).toHaveLength(1);
  });

  it("splices import_tasks in place with the import's keywords and vars", () => {
    const extra = task(web, "extra two");
    expect(extra.tags).toEqual(["site", "imported", "two"]);
    expect(extra.when).toEqual(["extra | default(true)"]);
    expect(extra.vars).toEqual({ level: 2 });
    expect(extra.position.file).toBe(join(fixtures, "site/tasks/extra.yml"));
  });

  it("keeps include_tasks as a task for the executor, with what its children inherit", () => {
    const include = allTasks(web).find((t) => t.module === "include_tasks")!;
    expect(include.args).toEqual({ file: "tasks/extra.yml" });
    expect(include.includeParent).toMatchObject({ become: true, tags: ["site"] });
    const { items, errors } = expandInclude(include, { file: "tasks/extra.yml" }, web.playbookDir, { modules: testModules });
    expect(errors).toEqual([]);
    expect(tasksOf(items).map((t) => [t.name, t.tags, t.become])).toEqual([
      ["extra one", ["site"], true],
      ["extra two", ["site", "two"], true],
    ]);
  });

  it("expands include_role at run time with its handlers", () => {
    const include: TaskNode = {
      kind: "task", module: "include_role", action: "include_role", args: { name: "web" },
      includeParent: { tags: ["x"] }, position: web.position,
    };
    const { items, handlers, errors } = expandInclude(include, { name: "web", tasks_from: "sub" }, web.playbookDir, { modules: testModules });
    expect(errors).toEqual([]);
    expect(items.map((b) => b.role?.name)).toEqual(["base", "web"]);
    expect(tasksOf(items).map((t) => t.name)).toEqual(["base setup", undefined, "web sub task"]);
    expect(handlers.map((h) => h.name)).toEqual(["reload web"]);
  });

  it("puts role handlers before the play's, with listen topics", () => {
    expect(web.handlers.map((h) => [h.name, h.listen])).toEqual([
      ["reload web", ["web changed"]],
      ["restart web", undefined],
    ]);
  });

  it("loads import_role with the import's tags on every task", () => {
    expect(tasksOf(web.post_tasks).map((t) => [t.name ?? t.action, t.tags])).toEqual([
      ["base setup", ["site", "post"]],
      ["command", ["site", "post"]],
    ]);
  });

  it("reads loops and registers", () => {
    const looped = task(db, "looped");
    expect(looped.loop).toEqual([1, 2]);
    expect(looped.register).toBe("out");
    expect(allTasks(db)[0].args).toEqual({ answer: "42" });
  });
});

describe("role de-duplication", () => {
  it("runs a role listed twice with the same parameters once, as Ansible does", () => {
    const [play] = load(join(fixtures, "site/roles-dedupe.yml")).plays;
    expect(play.roles.map((r) => [r.role?.name, r.role?.params])).toEqual([
      ["common", {}],
      ["base", { base_param: 1 }],
      // web's dependency `base` with base_param 1 already ran.
      ["web", {}],
      ["base", { base_param: 2 }],
    ]);
  });
});

describe("role search path", () => {
  it("finds roles through KPLAY_ROLES_PATH after the playbook's own roles/", () => {
    const result = loadPlaybook(join(fixtures, "roles-path/play.yml"), {
      modules: testModules,
      rolesPath: [join(fixtures, "roles-path/elsewhere")],
      cwd: fixtures,
    });
    expect(result.errors).toEqual([]);
    expect(result.playbook!.plays[0].roles.map((r) => r.role?.path)).toEqual([join(fixtures, "roles-path/elsewhere/far")]);
  });
});
