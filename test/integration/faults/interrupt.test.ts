// Ctrl-C on the real built CLI (`node bin/kplay.js`, a child process): the first stops new tasks
// and lets running ones finish within a grace period, then cuts them; a second cuts at once.
// Either way the recap is printed, the exit code is 99 (as ansible-playbook's), and no command
// kplay started is left running on the hosts. SIGTERM cuts at once, and the exit code is 143.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { INTERRUPT_GRACE_MS } from "../../../src/engine/executor/interrupt.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { buildCli } from "../../support/built-cli.js";

let bed: TestHosts;
let cli: string;

beforeAll(async () => {
  [bed, cli] = await Promise.all([startHosts(2, { light: true }), buildCli()]);
  // node2 runs the long task as deploy with sudo: its command is root's, behind sudo.
  const u = bed.deployUser;
  const r = await bed.host("node2").exec(`install -d -o ${u} -m 700 ~${u}/.ssh && install -o ${u} -m 600 /root/.ssh/authorized_keys ~${u}/.ssh/`);
  expect(r.rc, r.stderr).toBe(0);
});

afterAll(async () => {
  await bed?.stopAll();
});

interface CliRun {
  code: number | null;
  out: string;
  err: string;
  /** When each SIGINT was sent and when the process exited (performance.now()). */
  signalledAt: number[];
  exitedAt: number;
}

/** Runs the CLI on `playbook`; once `trigger` shows in stdout, sends `signal` at each of `delaysMs` after it. */
function runCli(playbook: string, trigger: string, delaysMs: number[], flags: string[] = [], signal: NodeJS.Signals = "SIGINT"): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), "kplay-int-"));
  writeFileSync(join(dir, "inventory.ini"), bed.inventoryIni());
  writeFileSync(join(dir, "playbook.yml"), playbook);
  const child = spawn(process.execPath, [cli, "-i", join(dir, "inventory.ini"), ...flags, join(dir, "playbook.yml")], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  const run: CliRun = { code: null, out: "", err: "", signalledAt: [], exitedAt: 0 };
  let triggered = false;
  child.stdout.on("data", (d: Buffer) => {
    run.out += d.toString();
    if (triggered || !run.out.includes(trigger)) return;
    triggered = true;
    for (const delay of delaysMs) {
      setTimeout(() => {
        run.signalledAt.push(performance.now());
        child.kill(signal);
      }, delay);
    }
  });
  child.stderr.on("data", (d: Buffer) => (run.err += d.toString()));
  return new Promise((done) => {
    child.on("close", (code) => {
      run.exitedAt = performance.now();
      run.code = code;
      done(run);
    });
  });
}

/** Processes on the host whose command line matches `pattern` (none: ""). */
async function remaining(host: string, pattern: string): Promise<string> {
  // "[s]leep 61" matches the command but not the line of the shell running pgrep.
  const r = await bed.host(host).exec(`pgrep -af '[${pattern[0]}]${pattern.slice(1)}' || :`);
  return r.stdout.trim();
}

const playbook = (longCommand: string, extra = "") => `- hosts: all
  gather_facts: false
  tasks:
    - name: first
      command: "true"
    - name: long
      command: ${longCommand}
${extra}
    - name: after
      command: "true"
`;

function expectInterrupted(run: CliRun): void {
  expect(run.code, run.out + run.err).toBe(99);
  expect(run.out).not.toContain("TASK [after]");
  expect(run.out).toMatch(/^PLAY RECAP \*+$/m);
  expect(run.out).toMatch(/^node1 +: ok=/m);
  expect(run.err).toContain("User interrupted execution");
}

test("first Ctrl-C: the running task finishes within the grace, no new task starts, recap, exit 99", async () => {
  const run = await runCli(playbook("sleep 2"), "TASK [long]", [500]);
  expectInterrupted(run);
  expect(run.err).toContain("Ctrl-C again");
  // The running task was not cut: it finished normally on both hosts.
  expect(run.out).toMatch(/^changed: \[node1\]$/m);
  expect(run.out).toMatch(/^node2 +: ok=2 +changed=2 +unreachable=0 +failed=0/m);
});

test("first Ctrl-C: a host still waiting for a fork does not start the running task", async () => {
  const run = await runCli(playbook("sleep 3"), "TASK [long]", [1000], ["-f", "1"]);
  expectInterrupted(run);
  expect(run.out).toMatch(/^changed: \[node1\]$/m);
  expect(run.out).toMatch(/^node1 +: ok=2 +changed=2 /m);
  expect(run.out).toMatch(/^node2 +: ok=1 +changed=1 +unreachable=0 +failed=0/m);
});

test("first Ctrl-C: a task longer than the grace is cut when it ends, and its command is gone from the host", async () => {
  const run = await runCli(playbook("sleep 61"), "TASK [long]", [1000]);
  expectInterrupted(run);
  const afterSignalS = (run.exitedAt - run.signalledAt[0]!) / 1000;
  console.log(`first Ctrl-C on a long task: exit after ${afterSignalS.toFixed(1)} s (grace ${INTERRUPT_GRACE_MS / 1000} s)`);
  expect(afterSignalS).toBeGreaterThanOrEqual(INTERRUPT_GRACE_MS / 1000);
  expect(afterSignalS).toBeLessThan(INTERRUPT_GRACE_MS / 1000 + 8);
  expect(run.out).toMatch(/^fatal: \[node1\]: FAILED! => .*interrupted/m);
  expect(await remaining("node1", "sleep 61")).toBe("");
  expect(await remaining("node2", "sleep 61")).toBe("");
});

test("second Ctrl-C: aborts at once, recap, exit 99, no command left on the hosts (also behind sudo)", async () => {
  const become = `      become: "{{ inventory_hostname == 'node2' }}"
      vars:
        ansible_user: "{{ 'deploy' if inventory_hostname == 'node2' else 'root' }}"
        ansible_become_password: ${bed.deployPassword}`;
  const run = await runCli(playbook("sleep 62", become), "TASK [long]", [1000, 1500]);
  expectInterrupted(run);
  const afterSecondS = (run.exitedAt - run.signalledAt[1]!) / 1000;
  console.log(`second Ctrl-C: exit after ${afterSecondS.toFixed(1)} s`);
  // Before the first Ctrl-C's grace could have ended the run (that takes the grace at least).
  expect(run.exitedAt - run.signalledAt[0]!).toBeLessThan(INTERRUPT_GRACE_MS);
  expect(await remaining("node1", "sleep 62")).toBe("");
  expect(await remaining("node2", "sleep 62")).toBe("");
});

test("SIGTERM: cuts at once, recap, exit 143, journal kept for --resume, no command left on the hosts", async () => {
  const journal = join(mkdtempSync(join(tmpdir(), "kplay-term-")), "run.jsonl");
  const run = await runCli(playbook("sleep 63"), "TASK [long]", [1000], ["--journal", journal], "SIGTERM");
  expect(run.code, run.out + run.err).toBe(143);
  expect(run.err).toContain("terminated (SIGTERM)");
  expect(run.err).toContain("Terminated by SIGTERM");
  expect(run.out).not.toContain("TASK [after]");
  expect(run.out).toMatch(/^PLAY RECAP \*+$/m);
  expect(run.out).toMatch(/^fatal: \[node1\]: FAILED! => .*interrupted: the run was stopped \(SIGTERM\)/m);
  // Well before the grace a first Ctrl-C would give.
  expect(run.exitedAt - run.signalledAt[0]!).toBeLessThan(INTERRUPT_GRACE_MS);
  expect(await remaining("node1", "sleep 63")).toBe("");
  expect(await remaining("node2", "sleep 63")).toBe("");
  // The journal was closed properly: both hosts' "first", and the footer --resume reads.
  const lines = readFileSync(journal, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { t: string; status?: string });
  expect(lines.filter((l) => l.t === "result" && l.status === "changed")).toHaveLength(2);
  expect(lines.at(-1)!.t).toBe("footer");
});
