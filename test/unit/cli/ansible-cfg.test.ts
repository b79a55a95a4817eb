// ansible.cfg and ANSIBLE_* on the command line: what they fill in where no flag is given, that
// flags win over them, and errors that name the file and line (exit 5, nothing run).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "kplay-cfg-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) {
    if (!name.startsWith("ANSIBLE_")) continue;
    if (name in saved) process.env[name] = saved[name];
    else delete process.env[name];
  }
});

const playbook = join(dir, "site.yml");
writeFileSync(playbook, "- hosts: all\n  gather_facts: false\n  roles: [shared]\n");
// The same without the role, for the settings roles_path has nothing to do with.
const plain = join(dir, "plain.yml");
writeFileSync(plain, "- hosts: all\n  gather_facts: false\n  tasks: [{ debug: msg=hi }]\n");
mkdirSync(join(dir, "inventories"));
writeFileSync(join(dir, "inventories", "prod.ini"), "[web]\nweb1 ansible_host=10.0.0.1\n");
writeFileSync(join(dir, "other.ini"), "other1\n");
mkdirSync(join(dir, "galaxy", "shared", "tasks"), { recursive: true });
writeFileSync(join(dir, "galaxy", "shared", "tasks", "main.yml"), "- debug: msg=from-roles-path\n");

/** Writes ansible.cfg into its own directory and points ANSIBLE_CONFIG at it. */
function useConfig(text: string): string {
  const confDir = mkdtempSync(join(dir, "conf-"));
  const file = join(confDir, "ansible.cfg");
  writeFileSync(file, text);
  process.env.ANSIBLE_CONFIG = file;
  return confDir;
}

const FULL = (root: string) => `[defaults]
inventory = ${root}/inventories/prod.ini
forks = 7
remote_user = deploy
private_key_file = keys/id_deploy   ; relative to this file
timeout = 33
host_key_checking = False
roles_path = ${root}/galaxy

[privilege_escalation]
become = True
become_user = admin
`;

describe("ansible.cfg", () => {
  it("fills in inventory, forks, user, key, timeout, host keys, become and roles_path", async () => {
    const confDir = useConfig(FULL(dir));
    const { code, request, stderr } = await runCli([playbook]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const r = request!;
    expect(r.inventorySources).toEqual([join(dir, "inventories/prod.ini")]);
    expect(r.inventory.groupsMap().web).toEqual(["web1"]);
    expect(r.forks).toBe(7);
    expect(r.connection).toMatchObject({ user: "deploy", privateKeyFile: join(confDir, "keys/id_deploy"), timeoutSeconds: 33, acceptNewHostKeys: true });
    expect(r.become).toMatchObject({ enabled: true, user: "admin" });
    // The playbook loaded: its role is only under roles_path (without it: "role `shared` not found", below).
    expect(r.playbooks[0]!.path).toBe(playbook);
  });

  it("gives way to the command line, and ANSIBLE_* variables win over the file", async () => {
    useConfig(FULL(dir));
    process.env.ANSIBLE_FORKS = "9";
    process.env.ANSIBLE_BECOME_USER = "ops";
    const fromEnv = (await runCli([plain])).request!;
    expect(fromEnv.forks).toBe(9);
    expect(fromEnv.become.user).toBe("ops");
    const { request } = await runCli(["-i", join(dir, "other.ini"), "-f", "3", "-u", "me", "--timeout", "5", "--private-key", "/k", "--become-user", "root", plain]);
    expect(request!.inventorySources).toEqual([join(dir, "other.ini")]);
    expect(request!.forks).toBe(3);
    expect(request!.connection).toMatchObject({ user: "me", timeoutSeconds: 5, privateKeyFile: "/k" });
    expect(request!.become.user).toBe("root");
  });

  it("keeps kplay's defaults where nothing is set", async () => {
    useConfig("[defaults]\n# nothing set\n");
    const { request, stderr } = await runCli(["-i", join(dir, "other.ini"), plain]);
    expect(stderr).toBe("");
    expect(request!.forks).toBe(50);
    expect(request!.connection).toMatchObject({ timeoutSeconds: 10, acceptNewHostKeys: false });
    expect(request!.become.enabled).toBe(false);
    const withoutRolesPath = await runCli(["-i", join(dir, "other.ini"), playbook]);
    expect(withoutRolesPath.stderr).toContain("role `shared` not found");
  });

  it.each([
    ["[defaults]\nforks = many\n", 2, "must be a whole number"],
    ["[defaults]\nforks = 5\nFORKS = 6\n", 3, "forks is set twice in [defaults]"],
    ["forks = 5\n[defaults]\n", 1, "before any [section] header"],
    ["[defaults]\nforks = 0\n", undefined, "forks must be at least 1"],
    ["[privilege_escalation]\nbecome_method = su\n", undefined, "sudo only"],
    ["[defaults]\ninventory = missing.ini\n", undefined, "inventory source not found"],
  ])("refuses %j before running anything, saying where", async (text, line, words) => {
    const confDir = useConfig(text);
    const fromConfig = text.includes("inventory");
    const { code, request, stderr } = await runCli([...(fromConfig ? [] : ["-i", join(dir, "other.ini")]), plain]);
    expect(code).toBe(5);
    expect(request).toBeUndefined();
    expect(stderr).toContain(words);
    if (line !== undefined) expect(stderr).toContain(`${join(confDir, "ansible.cfg")}:${line}:`);
    if (fromConfig) expect(stderr).toContain(`(set by inventory in ${join(confDir, "ansible.cfg")})`);
  });

  it("passes [ssh_connection] arguments on to the connections (Kubespray's ansible.cfg)", async () => {
    useConfig(`[ssh_connection]
pipelining=True
ssh_args = -o ControlMaster=auto -o ControlPersist=30m -o ConnectionAttempts=100 -o UserKnownHostsFile=/dev/null
#control_path = ~/.ssh/ansible-%%r@%%h:%%p
[defaults]
host_key_checking=False
`);
    process.env.ANSIBLE_SSH_EXTRA_ARGS = "-o Port=2222";
    const { request, stderr } = await runCli(["-i", join(dir, "other.ini"), plain]);
    expect(stderr).toBe("");
    expect(request!.connection).toMatchObject({
      acceptNewHostKeys: true,
      sshArgs: { args: "-o ControlMaster=auto -o ControlPersist=30m -o ConnectionAttempts=100 -o UserKnownHostsFile=/dev/null", extra: "-o Port=2222" },
    });
  });

  it("refuses a config file that cannot be read, naming it", async () => {
    // ANSIBLE_CONFIG names a directory, so its ansible.cfg is the file: here a directory too.
    const confDir = join(dir, "cfgdir");
    mkdirSync(join(confDir, "ansible.cfg"), { recursive: true });
    process.env.ANSIBLE_CONFIG = confDir;
    const { code, stderr } = await runCli(["-i", join(dir, "other.ini"), plain]);
    expect(code).toBe(5);
    expect(stderr).toContain(`cannot read the config file ${join(confDir, "ansible.cfg")}`);
  });

  it("gives kplay inventory its inventory, and kplay vault its password file", async () => {
    const password = join(dir, "vault-pass");
    writeFileSync(password, "s3cret\n");
    const secret = join(dir, "secret.yml");
    writeFileSync(secret, "token: abc\n");
    useConfig("[defaults]\n# no password here yet\n");
    expect((await runCli(["vault", "encrypt", secret, "--vault-password-file", password])).code).toBe(0);
    useConfig(`[defaults]\ninventory = ${dir}/inventories/prod.ini\nvault_password_file = ${password}\n`);
    const view = await runCli(["vault", "view", secret]);
    expect(view.stderr).toBe("");
    expect(view.stdout).toBe("token: abc\n");
    const graph = await runCli(["inventory", "--graph"]);
    expect(graph.stdout).toContain("web1");
  });
});
