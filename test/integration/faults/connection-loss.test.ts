// A host lost while a task runs on it: taken off its network, its link silently down or the host
// hung (no FIN, no RST: only the SSH keepalive can tell), or its sshd killed. The host is
// reported UNREACHABLE under the task it was on, within a bounded time; the other hosts finish;
// exit 4. With any_errors_fatal the play stops after that task, as ansible-playbook does on the
// same playbook.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runKplay, type KplayRun } from "../executor/run-kplay.js";

let bed: TestHosts;

beforeAll(async () => {
  // NET_ADMIN: a host can take its own link down (a silent network cut).
  bed = await startHosts(3, { light: true, capabilities: ["NET_ADMIN"] });
});

afterAll(async () => {
  await bed?.stopAll();
});

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: first
      command: "true"
    - name: long
      command: sleep 5
    - name: after
      command: "true"
`;

function hostsWith(r: KplayRun, title: string): string[] {
  return r.events.flatMap((e) => (e.type === "host_result" && e.task.title === title ? [e.host] : [])).sort();
}

/** The human output of one task: its banner up to the next banner. */
function taskSection(out: string, title: string): string {
  const start = out.indexOf(`TASK [${title}]`);
  if (start < 0) return "";
  const next = out.slice(start + 1).search(/^(TASK|PLAY|RUNNING HANDLER) \[/m);
  return next < 0 ? out.slice(start) : out.slice(start, start + 1 + next);
}

function expectLostDuringLong(r: KplayRun): void {
  expect(r.code, r.out + r.err).toBe(4);
  expect(taskSection(r.out, "long")).toMatch(/^fatal: \[node2\]: UNREACHABLE! => \{/m);
  expect(hostsWith(r, "after")).toEqual(["node1", "node3"]);
  expect(r.out).toMatch(/^node1 +: ok=3 +changed=3 +unreachable=0 +failed=0/m);
  expect(r.out).toMatch(/^node2 +: ok=1 +changed=1 +unreachable=1 +failed=0/m);
  expect(r.out).toMatch(/^node3 +: ok=3 +changed=3 +unreachable=0 +failed=0/m);
}

/** Runs PLAYBOOK, doing `fault` to node2 one second into the `long` task; how long until node2's result. */
async function loseNode2DuringLong(fault: () => Promise<unknown>): Promise<{ r: KplayRun; detectionS: number }> {
  let done: Promise<unknown> | undefined;
  let faultAt = 0;
  let detectedAt = 0;
  const r = await runKplay({
    inventory: bed.inventoryIni(),
    playbook: PLAYBOOK,
    onEvent: (e) => {
      if (e.type === "task_start" && e.task.title === "long") {
        done = new Promise((resolve) => setTimeout(resolve, 1000)).then(() => {
          faultAt = performance.now();
          return fault();
        });
      }
      if (e.type === "host_result" && e.host === "node2" && e.task.title === "long") detectedAt = performance.now();
    },
  });
  await done;
  return { r, detectionS: (detectedAt - faultAt) / 1000 };
}

test("network cut mid-task (host taken off its network): UNREACHABLE under that task, the others finish, exit 4", async () => {
  const node2 = bed.host("node2");
  const { r, detectionS } = await loseNode2DuringLong(() => node2.disconnectNetwork());
  await node2.connectNetwork();
  expectLostDuringLong(r);
  console.log(`network cut: node2 reported after ${detectionS.toFixed(1)} s`);
  expect(detectionS).toBeLessThan(25);
});

test("silent network cut mid-task (link down: no FIN, no RST): keepalive reports the host UNREACHABLE within 25 s", async () => {
  const node2 = bed.host("node2");
  // Every link but lo (re-attaching the network in the test above may have renamed eth0).
  const links = (state: "up" | "down") => node2.exec(`for l in $(ls /sys/class/net); do [ "$l" = lo ] || ip link set "$l" ${state} || exit; done`);
  const { r, detectionS } = await loseNode2DuringLong(async () => expect((await links("down")).rc).toBe(0));
  expect((await links("up")).rc).toBe(0);
  expectLostDuringLong(r);
  expect(taskSection(r.out, "long")).toMatch(/node2.*Keepalive timeout/);
  console.log(`silent network cut: node2 reported after ${detectionS.toFixed(1)} s`);
  expect(detectionS).toBeGreaterThan(10);
  expect(detectionS).toBeLessThan(25);
});

test("host hangs mid-task (TCP stays up, nothing answers): keepalive reports it UNREACHABLE within 25 s", async () => {
  const node2 = bed.host("node2");
  const { r, detectionS } = await loseNode2DuringLong(() => node2.pause());
  await node2.unpause();
  expectLostDuringLong(r);
  expect(taskSection(r.out, "long")).toMatch(/node2.*Keepalive timeout/);
  // ssh2 sends a keepalive every 5 s and gives up after 3 unanswered: 15-20 s, plus scheduling.
  console.log(`hung host: node2 reported after ${detectionS.toFixed(1)} s`);
  expect(detectionS).toBeGreaterThan(10);
  expect(detectionS).toBeLessThan(25);
});

test("sshd killed mid-task: the host is UNREACHABLE at once, the others finish, exit 4", async () => {
  const { r, detectionS } = await loseNode2DuringLong(() => bed.host("node2").exec("pkill -9 sshd"));
  expectLostDuringLong(r);
  expect(taskSection(r.out, "long")).toMatch(/node2.*connection lost while running a command/);
  expect(detectionS).toBeLessThan(5);
});

// node2 kills its own sshd from inside the task, so both engines lose it at the same point.
const FATAL_PLAYBOOK = `- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: first
      command: "true"
    - name: long
      shell: "{{ 'sleep 1; pkill -9 sshd' if inventory_hostname == 'node2' else 'sleep 3' }}"
    - name: after
      command: "true"
`;

/** `ansible-playbook` on the same hosts and playbook: its exit code and recap lines. */
async function ansiblePlaybook(dir: string): Promise<{ code: number; out: string }> {
  writeFileSync(join(dir, "ansible-fatal.yml"), FATAL_PLAYBOOK);
  const run = promisify(execFile)("ansible-playbook", ["-i", join(dir, "inventory.ini"), join(dir, "ansible-fatal.yml")], {
    env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: "True", ANSIBLE_NOCOLOR: "1", ANSIBLE_PYTHON_INTERPRETER: "auto_silent" },
  });
  try {
    return { code: 0, out: (await run).stdout };
  } catch (e) {
    const failed = e as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

function recapLines(out: string): string[] {
  return out.split("\n").filter((l) => /^node\d +: ok=/.test(l)).map((l) => l.replace(/\s+/g, " ").trim());
}

test("any_errors_fatal: a host lost mid-task ends the play after that task for every host, as in ansible-playbook", async () => {
  const r = await runKplay({ inventory: bed.inventoryIni(), playbook: FATAL_PLAYBOOK });
  expect(hostsWith(r, "long")).toEqual(["node1", "node2", "node3"]);
  expect(r.events.some((e) => e.type === "task_start" && e.task.title === "after"), r.out).toBe(false);
  expect(r.out).toContain("NO MORE HOSTS LEFT");
  const ansible = await ansiblePlaybook(r.dir);
  expect(ansible.out).not.toContain("TASK [after]");
  expect(ansible.out).toContain("NO MORE HOSTS LEFT");
  for (const out of [r.out, ansible.out]) expect(taskSection(out, "long")).toMatch(/^fatal: \[node2\]: UNREACHABLE! => \{/m);
  expect(recapLines(r.out)).toEqual(recapLines(ansible.out));
  expect(r.code, r.out).toBe(ansible.code);
});
