// ansible.cfg read by kplay and by ansible-core's own ConfigManager (Debian's ansible-core, in one
// Python process): generated files and ANSIBLE_* variables, in every place Ansible looks for a
// file, must give the same value and origin for each setting kplay reads, and fail alike.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { ANSIBLE_NAMES, loadAnsibleConfig } from "../../../src/engine/config/ansible-config.js";
import { isKplayError } from "../../../src/engine/errors.js";

const ORACLE = `
import json, os, sys, yaml
from ansible.config.manager import ConfigManager
import ansible.plugins.connection.ssh as ssh_plugin
ssh_options = yaml.safe_load(ssh_plugin.DOCUMENTATION)["options"]
names = json.loads(sys.argv[1])
out = []
for case in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(case["env"])
    os.chdir(case["cwd"])
    ConfigManager.WARNINGS = set()  # a class attribute: it would carry warnings over from earlier cases
    try:
        cm = ConfigManager()
        cm.initialize_plugin_configuration_definitions("connection", "ssh", ssh_options)
        values = {}
        for setting in names:
            name, plugin = setting["name"], setting.get("plugin")
            if plugin:
                value, origin = cm.get_config_value_and_origin(name, plugin_type="connection", plugin_name="ssh")
            else:
                value, origin = cm.get_config_value_and_origin(name)
            values[name] = [value, origin]
        out.append({"file": cm._config_file, "values": values, "warnings": sorted(cm.WARNINGS)})
    except Exception as e:
        out.append({"error": str(e)})
print(json.dumps(out))
`;

interface Case {
  cwd: string;
  env: Record<string, string>;
  /** The config file's text, to show with a difference. */
  text: string;
}
type Oracle = { file: string | null; values: Record<string, [unknown, string]>; warnings: string[] } | { error: string };

const root = mkdtempSync(join(tmpdir(), "kplay-cfg-parity-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A small seeded generator: the same cases on every run, so a difference can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const VALUES: Record<string, string[]> = {
  integer: ["7", " 12 ", "+3", "1_0", "0", "-2", "x", "3.5", "", "0x10"],
  boolean: ["yes", "No", "TRUE", "t", "0", "off", "maybe", "", " y ", "1"],
  string: ["deploy", "'quoted'", '"dq"', "a;b", "a ;comment", "with # hash", "'half", "two words", "%(x)s", "100%"],
  path: ["~/k.pem", "rel/key", "/abs/key", "$HOME/k", "${HOME}/x", "$NOPE/x", "../up/x", "./a//b/", "~", "/"],
  pathlist: ["a,b", " inv.ini , /etc/x ", "~/i", "hosts", "/abs/one,rel/two", "x,,y"],
  pathspec: ["roles:/opt/r", "a::b", "~/roles", "$HOME/r:rel", "/only"],
  list: ["a@b, c@d", "'q'@x", "one", " sp , 'x' ", "a,,b"],
  sshArgs: ["-o UserKnownHostsFile=/dev/null", "-C -o ControlMaster=auto -o ControlPersist=30m", "'-o Port=2222'", "-o StrictHostKeyChecking=no ; note", "", "-J bastion"],
};

const SETTINGS: { key: string; section: string; env: string; type: string }[] = [
  { key: "inventory", section: "defaults", env: "ANSIBLE_INVENTORY", type: "pathlist" },
  { key: "forks", section: "defaults", env: "ANSIBLE_FORKS", type: "integer" },
  { key: "remote_user", section: "defaults", env: "ANSIBLE_REMOTE_USER", type: "string" },
  { key: "private_key_file", section: "defaults", env: "ANSIBLE_PRIVATE_KEY_FILE", type: "path" },
  { key: "timeout", section: "defaults", env: "ANSIBLE_TIMEOUT", type: "integer" },
  { key: "host_key_checking", section: "defaults", env: "ANSIBLE_HOST_KEY_CHECKING", type: "boolean" },
  { key: "ask_pass", section: "defaults", env: "ANSIBLE_ASK_PASS", type: "boolean" },
  { key: "vault_password_file", section: "defaults", env: "ANSIBLE_VAULT_PASSWORD_FILE", type: "path" },
  { key: "vault_identity_list", section: "defaults", env: "ANSIBLE_VAULT_IDENTITY_LIST", type: "list" },
  { key: "roles_path", section: "defaults", env: "ANSIBLE_ROLES_PATH", type: "pathspec" },
  { key: "become", section: "privilege_escalation", env: "ANSIBLE_BECOME", type: "boolean" },
  { key: "become_user", section: "privilege_escalation", env: "ANSIBLE_BECOME_USER", type: "string" },
  { key: "become_ask_pass", section: "privilege_escalation", env: "ANSIBLE_BECOME_ASK_PASS", type: "boolean" },
  { key: "become_method", section: "privilege_escalation", env: "ANSIBLE_BECOME_METHOD", type: "string" },
  { key: "ssh_args", section: "ssh_connection", env: "ANSIBLE_SSH_ARGS", type: "sshArgs" },
  { key: "ssh_common_args", section: "ssh_connection", env: "ANSIBLE_SSH_COMMON_ARGS", type: "sshArgs" },
  { key: "ssh_extra_args", section: "ssh_connection", env: "ANSIBLE_SSH_EXTRA_ARGS", type: "sshArgs" },
];

/** A config file's text with some settings in it, written in the ways configparser accepts. */
function configText(random: () => number, pick: <T>(xs: T[]) => T): string {
  const bySection = new Map<string, string[]>();
  const chosen = SETTINGS.filter(() => random() < 0.4);
  for (const s of chosen) {
    const value = pick(VALUES[s.type]!);
    const key = random() < 0.15 ? s.key.toUpperCase() : s.key;
    const line = random() < 0.2 ? `${key}: ${value}` : random() < 0.2 ? `${key}=${value}` : `${key} = ${value}`;
    // Now and then in [DEFAULT], which every section falls back to.
    const section = random() < 0.1 ? "DEFAULT" : s.section;
    const lines = bySection.get(section) ?? [];
    lines.push(line);
    if (random() < 0.1) lines.push("   continued");
    if (random() < 0.15) lines.push("# a comment", "; another");
    bySection.set(section, lines);
  }
  const sections = [...bySection.entries()].map(([name, lines]) => `[${name}]${random() < 0.2 ? " ; note" : ""}\n${lines.join("\n")}\n`);
  if (random() < 0.05) sections.push(`[defaults]\nforks = 3\n`); // a second [defaults]: an error for both
  if (random() < 0.05) sections.unshift("orphan = 1\n"); // before any section: an error for both
  return sections.join(random() < 0.5 ? "\n" : "");
}

function buildCases(count: number): Case[] {
  const random = prng(20261206);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const dir = join(root, `case${i}`);
    const home = join(dir, "home");
    const cwd = join(dir, "work");
    mkdirSync(home, { recursive: true });
    mkdirSync(cwd, { recursive: true });
    const env: Record<string, string> = { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const where = pick(["cwd", "home", "env-file", "env-dir", "none", "world-writable-cwd"]);
    const text = configText(random, pick);
    if (where === "cwd" || where === "world-writable-cwd") writeFileSync(join(cwd, "ansible.cfg"), text);
    if (where === "world-writable-cwd") {
      chmodSync(cwd, 0o777);
      writeFileSync(join(home, ".ansible.cfg"), "[defaults]\nforks = 9\n");
    }
    if (where === "home") writeFileSync(join(home, ".ansible.cfg"), text);
    if (where === "env-file" || where === "env-dir") {
      mkdirSync(join(dir, "conf"));
      writeFileSync(join(dir, "conf", "ansible.cfg"), text);
      env.ANSIBLE_CONFIG = where === "env-file" ? join(dir, "conf", "ansible.cfg") : join(dir, "conf");
    }
    for (const s of SETTINGS) if (random() < 0.1) env[s.env] = pick(VALUES[s.type]!);
    return { cwd, env, text };
  });
}

function ansibleAnswers(cases: Case[]): Oracle[] {
  const stdout = execFileSync("/usr/bin/python3", ["-c", ORACLE, JSON.stringify(Object.values(ANSIBLE_NAMES))], {
    input: JSON.stringify(cases.map(({ cwd, env }) => ({ cwd, env }))),
    encoding: "utf8",
  });
  return JSON.parse(stdout) as Oracle[];
}

test("kplay reads ansible.cfg and ANSIBLE_* as ansible-core does (generated cases)", () => {
  const cases = buildCases(300);
  const answers = ansibleAnswers(cases);
  let compared = 0;
  let errors = 0;
  const setSomewhere = new Set<string>();
  cases.forEach((c, i) => {
    const expected = answers[i]!;
    let ours: ReturnType<typeof loadAnsibleConfig> | undefined;
    let failure: unknown;
    try {
      ours = loadAnsibleConfig(c.env, c.cwd);
    } catch (e) {
      failure = e;
    }
    const { PATH: _path, ...shownEnv } = c.env;
    const label = `case ${i}: cwd ${c.cwd}, env ${JSON.stringify(shownEnv)}, file:\n${c.text}`;
    if ("error" in expected) {
      expect(failure, `${label}\nAnsible failed: ${expected.error}`).toBeDefined();
      expect(isKplayError(failure), label).toBe(true);
      errors++;
      return;
    }
    if (failure) throw new Error(`${label}\nkplay failed where Ansible did not: ${String(failure)}`);
    expect(ours!.file ?? null, label).toBe(expected.file);
    expect(ours!.warnings.length > 0, `${label}\n${expected.warnings.join("\n")}`).toBe(expected.warnings.some((w) => w.includes("world writable")));
    for (const [name, { name: ansibleName }] of Object.entries(ANSIBLE_NAMES)) {
      const [value, origin] = expected.values[ansibleName]!;
      const key = name as keyof typeof ANSIBLE_NAMES;
      if (origin === "default") {
        expect(ours!.settings[key], `${label}\n${ansibleName}`).toBeUndefined();
        continue;
      }
      expect({ [ansibleName]: ours!.settings[key] }, label).toEqual({ [ansibleName]: value });
      expect({ [ansibleName]: ours!.origins[key] }, label).toEqual({ [ansibleName]: origin });
      setSomewhere.add(ansibleName);
      compared++;
    }
  });
  // The generator must reach both outcomes often enough to mean something.
  expect(compared).toBeGreaterThan(200);
  expect([...setSomewhere].sort()).toEqual(Object.values(ANSIBLE_NAMES).map((n) => n.name).sort());
  expect(errors).toBeGreaterThan(5);
});
