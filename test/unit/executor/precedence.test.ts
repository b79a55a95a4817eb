// Variable layering as implemented by PlayScopes, checked level by level with plain objects.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PQueue from "p-queue";
import { describe, expect, test } from "vitest";
import type { RunRequest } from "../../../src/cli/run-request.js";
import { ConnectionPool } from "../../../src/engine/connection/index.js";
import { Connections } from "../../../src/engine/executor/connections.js";
import { RunContext } from "../../../src/engine/executor/run-context.js";
import { PlayScopes } from "../../../src/engine/executor/scope.js";
import type { Inventory } from "../../../src/engine/inventory/model.js";
import { EventBus } from "../../../src/engine/output/events.js";
import type { Play, RoleContext, TaskNode } from "../../../src/engine/playbook/model.js";

// Facts are not on this list: they are named ansible_* (checked separately below).
const LEVELS = [
  "role_defaults", "inventory", "play_vars", "vars_files", "role_vars", "task_vars",
  "include_vars", "set_fact", "role_params", "include_params", "extra_vars",
] as const;

/** Each level sets `v_X` for itself and every level above it, so `v_X` must come from level X. */
function layer(level: (typeof LEVELS)[number]): Record<string, string> {
  return Object.fromEntries(LEVELS.slice(LEVELS.indexOf(level)).map((l) => [`v_${l}`, level]));
}

function inventory(hostVars: Record<string, Record<string, unknown>>): Inventory {
  const hostNames = Object.keys(hostVars);
  return {
    hostNames,
    groups: new Map([["web", { name: "web", hosts: hostNames, children: [], vars: {} }]]),
    hostVars: (h) => hostVars[h],
    groupNames: () => ["web"],
    groupsMap: () => ({ all: hostNames, web: hostNames, ungrouped: [] }),
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "kplay-scope-"));
  writeFileSync(join(dir, "vf.yml"), JSON.stringify(layer("vars_files")));
  const role: RoleContext = { name: "r", path: join(dir, "roles/r"), defaults: layer("role_defaults"), vars: layer("role_vars"), params: layer("role_params") };
  const play = {
    name: "p", hosts: "all", hostsWritten: ["all"], gather_facts: false, strategy: "linear", vars_files: ["vf.yml"],
    vars: { ...layer("play_vars"), derived: "{{ inv_only }}-{{ inventory_hostname }}", ansible_fact_vs_play: "play_vars" },
    pre_tasks: [], roles: [{ kind: "block", block: [], rescue: [], always: [], role, position: { file: "p", line: 1, column: 1 } }],
    tasks: [], post_tasks: [], handlers: [], playbookDir: dir, position: { file: "p", line: 1, column: 1 },
  } as Play;
  const request = {
    inventory: inventory({ h1: { ...layer("inventory"), inv_only: "inventory", ansible_fact_vs_inventory: "inventory" }, h2: { ...layer("inventory"), inv_only: "inventory", ansible_host: "10.0.0.2" } }),
    extraVars: layer("extra_vars"), tags: [], skipTags: [], check: true, diff: false, forks: 5, inventorySources: [],
    output: { verbosity: 0, json: false, profile: false }, connection: { timeoutSeconds: 10, acceptNewHostKeys: false },
    become: { enabled: false }, resume: false, playbooks: [],
  } as unknown as RunRequest;
  const run = new RunContext(request, new EventBus([]), new PQueue(), new Connections(new ConnectionPool(), {}));
  const scopes = new PlayScopes(run, play, ["h1", "h2"], ["h1", "h2"]);
  const h1 = run.host("h1");
  h1.facts = { os_family: "Debian", fact_vs_play: "facts", fact_vs_inventory: "facts" };
  Object.assign(h1.includedVars, layer("include_vars"));
  Object.assign(h1.setFacts, layer("set_fact"));
  const task: TaskNode = { kind: "task", module: "debug", action: "debug", args: {}, vars: layer("task_vars"), role, position: { file: "t", line: 1, column: 1 } };
  return { run, scopes, h1, task, play };
}

describe("precedence", () => {
  test("each level overrides every level below it", () => {
    const { scopes, h1, task } = setup();
    const vars = scopes.forTask(h1, task, layer("include_params"));
    for (const level of LEVELS) expect(vars.get(`v_${level}`), level).toBe(level);
  });

  test("without extra vars and include params, the next levels down show through", () => {
    const { run, scopes, h1, task } = setup();
    (run.request as { extraVars: Record<string, unknown> }).extraVars = {};
    const vars = scopes.forTask(h1, task);
    expect(vars.get("v_extra_vars")).toBe("role_params");
    const plain = scopes.forTask(h1, { ...task, role: undefined });
    expect(plain.get("v_extra_vars")).toBe("set_fact");
    // Defaults of every role of the play are visible outside the role too (Ansible's default).
    expect(plain.get("v_role_defaults")).toBe("role_defaults");
  });

  test("facts also show as ansible_* and under ansible_facts; magic variables are present", () => {
    const { scopes, h1, task } = setup();
    const vars = scopes.forTask(h1, task);
    expect(vars.get("ansible_os_family")).toBe("Debian");
    expect(vars.get("ansible_fact_vs_inventory")).toBe("facts");
    expect(vars.get("ansible_fact_vs_play")).toBe("play_vars");
    expect((vars.get("ansible_facts") as Record<string, unknown>).os_family).toBe("Debian");
    expect(vars.get("inventory_hostname")).toBe("h1");
    expect(vars.get("group_names")).toEqual(["web"]);
    expect(vars.get("ansible_check_mode")).toBe(true);
    expect(vars.get("role_name")).toBe("r");
    expect(vars.get("role_names")).toEqual(["r"]);
    expect(vars.get("derived")).toBe("inventory-h1");
  });

  test("hostvars is lazy and renders another host's variables in its own context", () => {
    const { scopes, h1, task } = setup();
    const vars = scopes.forTask(h1, task);
    const hostvars = vars.get("hostvars") as { get(name: string): { get(k: string): unknown } | undefined };
    expect(hostvars.get("h2")?.get("ansible_host")).toBe("10.0.0.2");
    expect(hostvars.get("h2")?.get("derived")).toBe("inventory-h2");
    expect(hostvars.get("nope")).toBeUndefined();
  });

  test("play_hosts leaves out hosts that failed", () => {
    const { run, scopes, h1, task } = setup();
    run.host("h2").failed = true;
    expect(scopes.forTask(h1, task).get("ansible_play_hosts")).toEqual(["h1"]);
    expect(scopes.forTask(h1, task).get("ansible_play_hosts_all")).toEqual(["h1", "h2"]);
  });
});

describe("a host's scope, shared by its tasks", () => {
  test("renders a value once per host, not once per task", () => {
    const { scopes, h1, task, play } = setup();
    let reads = 0;
    Object.defineProperty(play.vars, "costly", { enumerable: true, get: () => (reads++, "{{ inv_only }}/x") });
    const plain: TaskNode = { ...task, role: undefined, vars: undefined };
    expect(scopes.forTask(h1, plain).get("costly")).toBe("inventory/x");
    expect(scopes.forTask(h1, { ...plain }).get("costly")).toBe("inventory/x");
    expect(scopes.forTask(h1, task).get("costly")).toBe("inventory/x");
    expect(reads).toBe(1);
  });

  test("re-renders what a task's own variables change, for that task only", () => {
    const { scopes, h1, task } = setup();
    const plain: TaskNode = { ...task, role: undefined, vars: undefined };
    expect(scopes.forTask(h1, plain).get("derived")).toBe("inventory-h1");
    expect(scopes.forTask(h1, { ...plain, vars: { inv_only: "task" } }).get("derived")).toBe("task-h1");
    expect(scopes.forTask(h1, plain).get("derived")).toBe("inventory-h1");
  });

  test("sees set_fact, register, include_vars and new facts of earlier tasks", () => {
    const { scopes, h1, task, play } = setup();
    (play.vars as Record<string, unknown>).from_register = "{{ registered }}";
    const plain: TaskNode = { ...task, role: undefined, vars: undefined };
    h1.setFacts.registered = 1;
    expect(scopes.forTask(h1, plain).get("from_register")).toBe(1);
    h1.setFacts.registered = 2;
    expect(scopes.forTask(h1, plain).get("from_register")).toBe(2);
    delete h1.setFacts.registered;
    h1.includedVars.registered = 3;
    expect(scopes.forTask(h1, plain).get("from_register")).toBe(3);
    h1.facts = { ...h1.facts, os_family: "RedHat" };
    expect(scopes.forTask(h1, plain).get("ansible_os_family")).toBe("RedHat");
  });

  test("follows hosts failing, also in values built from ansible_play_hosts", () => {
    const { run, scopes, h1, task, play } = setup();
    (play.vars as Record<string, unknown>).live_count = "{{ ansible_play_hosts | length }}";
    expect(scopes.forTask(h1, task).get("live_count")).toBe(2);
    run.host("h2").failed = true;
    expect(scopes.forTask(h1, task).get("live_count")).toBe(1);
    expect((scopes.forTask(h1, task).get("hostvars") as { get(h: string): { get(k: string): unknown } }).get("h1").get("play_hosts")).toEqual(["h1"]);
  });
});
