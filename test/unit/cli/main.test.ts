import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const fixtures = join(import.meta.dirname, "../../fixtures/playbooks");
const site = join(fixtures, "site/site.yml");
const inventory = join(fixtures, "site/hosts.ini");

describe("kplay PLAYBOOK: flags become a RunRequest", () => {
  it("passes defaults when only a playbook is given", async () => {
    const { code, request, stderr } = await runCli([site]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(request!.playbooks.map((p) => p.path)).toEqual([site]);
    expect(request!.playbooks[0].plays).toHaveLength(3);
    expect({ ...request!, playbooks: undefined, inventory: undefined }).toEqual({
      playbooks: undefined,
      inventory: undefined,
      inventorySources: [],
      limit: undefined,
      extraVars: {},
      tags: [],
      skipTags: [],
      check: false,
      diff: false,
      forks: 50,
      startAtTask: undefined,
      connection: { user: undefined, privateKeyFile: undefined, password: undefined, timeoutSeconds: 10, acceptNewHostKeys: false },
      become: { enabled: false, user: undefined, password: undefined },
      output: { verbosity: 0, json: false, logFile: undefined, profile: false },
      journal: undefined,
      resume: false,
    });
  });

  it("reads every Ansible flag", async () => {
    const { code, request, stderr } = await runCli([
      "-i", inventory, "-i", "extra1,extra2", "-l", "web1", "-e", "a=1 b='two words'", "-e", '{"c": [1, 2], "a": 3}',
      "-t", "x,y", "--tags", "z", "--skip-tags", "s", "-C", "-D", "-f", "7", "-u", "deploy", "--private-key", "/k",
      "-b", "--become-user", "admin", "--start-at-task", "list files", "-vvv", "--json", "--log-file", "/tmp/l",
      "--profile", "--accept-new-host-keys", "--timeout", "3", "--journal", "/tmp/j", "--resume", site,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const r = request!;
    expect(r.inventorySources).toEqual([inventory, "extra1,extra2"]);
    expect(r.inventory.hostNames).toEqual(["web1", "web2", "db1", "extra1", "extra2"]);
    expect(r.extraVars).toEqual({ a: 3, b: "two words", c: [1, 2] });
    expect([r.limit, r.tags, r.skipTags, r.check, r.diff, r.forks, r.startAtTask]).toEqual(["web1", ["x", "y", "z"], ["s"], true, true, 7, "list files"]);
    expect(r.connection).toEqual({ user: "deploy", privateKeyFile: "/k", password: undefined, timeoutSeconds: 3, acceptNewHostKeys: true });
    expect(r.become).toEqual({ enabled: true, user: "admin", password: undefined });
    expect(r.output).toEqual({ verbosity: 3, json: true, logFile: "/tmp/l", profile: true });
    expect([r.journal, r.resume]).toEqual(["/tmp/j", true]);
  });

  it("reads -e @file and asks for passwords with -k and -K", async () => {
    const { request } = await runCli(["-e", `@${join(fixtures, "site/extra-vars.yml")}`, "-k", "-K", site], "sshpw\nbecomepw\n");
    expect(request!.extraVars).toEqual({ from_file: true, nested: { a: 1 } });
    expect(request!.connection.password).toBe("sshpw");
    expect(request!.become.password).toBe("becomepw");
  });
});

describe("invalid input exits 5 before anything runs, printing every error", () => {
  it("rejects an unknown flag", async () => {
    const { code, stderr, request } = await runCli(["--frks", "3", site]);
    expect(code).toBe(5);
    expect(request).toBeUndefined();
    expect(stderr).toMatch(/^ERROR: unknown option '--frks'/);
  });

  it("rejects a bad flag value", async () => {
    const { code, stderr } = await runCli(["-f", "0", site]);
    expect(code).toBe(5);
    expect(stderr).toContain("must be a whole number of at least 1");
  });

  it("rejects a --limit that matches no host or names a missing file", async () => {
    const none = await runCli(["-i", inventory, "-l", "nosuchhost", site]);
    expect([none.code, none.stderr]).toEqual([5, "ERROR: --limit nosuchhost does not match any host of the inventory\n"]);
    const file = await runCli(["-i", inventory, "-l", "@/nonexistent/limit.txt", site]);
    expect(file.code).toBe(5);
    expect(file.stderr).toContain("/nonexistent/limit.txt");
  });

  it("requires a playbook", async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(5);
    expect(stderr).toContain("missing required argument 'playbooks'");
  });

  it("reports playbook, inventory, -e and flag errors together", async () => {
    const { code, stderr, request } = await runCli([
      "-i", join(fixtures, "nosuch.ini"), "-e", "not a pair", "--resume", "--no-journal", join(fixtures, "broken.yml"), join(fixtures, "gone.yml"),
    ]);
    expect(code).toBe(5);
    expect(request).toBeUndefined();
    const lines = stderr.split("\n").filter((l) => l.startsWith("ERROR"));
    expect(lines).toEqual([
      "ERROR: --resume reads the journal that --no-journal turns off",
      "ERROR: -e not a pair: `not a pair` is not key=value",
      `ERROR: ${join(fixtures, "broken.yml")}:4:7: unknown keyword \`notfy\``,
      `ERROR: the playbook ${join(fixtures, "gone.yml")} could not be found`,
      `ERROR: inventory source not found: ${join(fixtures, "nosuch.ini")}`,
    ]);
  });
});

describe("--help and --version", () => {
  it("print and exit 0", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kplay \[options\] PLAYBOOK\.\.\./);
    for (const flag of ["--inventory", "--limit", "--extra-vars", "--tags", "--skip-tags", "--check", "--diff", "--forks", "--become-user", "--list-tasks", "--journal", "--resume"]) {
      expect(help.stdout).toContain(flag);
    }
    const version = await runCli(["--version"]);
    const { version: expected } = JSON.parse(readFileSync(join(import.meta.dirname, "../../../package.json"), "utf8"));
    expect([version.code, version.stdout]).toEqual([0, `${expected}\n`]);
  });
});

describe("--syntax-check", () => {
  it("prints the playbooks and runs nothing", async () => {
    const { code, stdout, request } = await runCli(["--syntax-check", "-i", inventory, site]);
    expect([code, stdout, request]).toEqual([0, `\nplaybook: ${site}\n`, undefined]);
  });
});

describe("kplay inventory", () => {
  it("prints the graph with the inventory command", async () => {
    const { code, stdout } = await runCli(["inventory", "-i", inventory, "--graph"]);
    expect(code).toBe(0);
    expect(stdout).toBe("@all:\n  |--@ungrouped:\n  |--@web:\n  |  |--web1\n  |  |--web2\n  |--@db:\n  |  |--db1\n");
  });

  it("prints one host's variables, and wants exactly one view", async () => {
    const host = await runCli(["inventory", "-i", inventory, "--host", "db1"]);
    expect([host.code, JSON.parse(host.stdout)]).toEqual([0, { ansible_connection: "local" }]);
    const both = await runCli(["inventory", "-i", inventory, "--list", "--graph"]);
    expect(both.code).toBe(5);
    expect(both.stderr).toContain("use exactly one of --list, --host NAME or --graph");
  });

  it("exits 5 when the inventory is wrong", async () => {
    const { code, stderr } = await runCli(["inventory", "-i", "/nonexistent.ini", "--list"]);
    expect(code).toBe(5);
    expect(stderr).toContain("inventory source not found: /nonexistent.ini");
  });
});

describe("an error the run cannot handle", () => {
  it("is printed as an error line and exits 1, never as a stack trace", async () => {
    const { code, stderr } = await runCli([site], "", async () => {
      throw new Error("the journal /x is locked");
    });
    expect([code, stderr]).toEqual([1, "ERROR: the journal /x is locked\n"]);
  });
});
