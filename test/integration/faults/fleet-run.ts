// Many hosts, many cheap tasks, through the real CLI as a child process: does every host come
// through, and does the control process leak file descriptors or memory as tasks go by? Shared by
// the many-hosts test (a few dozen hosts) and bench/fault-200.ts (200).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export const FLEET_TASKS = 50;
/** The task after which the first sample is taken: every connection is open by then. */
export const EARLY_TASK = 5;

const taskName = (i: number) => `t${String(i).padStart(2, "0")}`;

/** FLEET_TASKS cheap tasks, in turn a command that changes nothing, a stat, a set_fact and a file. */
export function fleetPlaybook(): string {
  const tasks = Array.from({ length: FLEET_TASKS }, (_, k) => {
    const i = k + 1;
    const body = [
      `      command: "true"\n      changed_when: false`,
      `      stat: { path: /etc/hostname }`,
      `      set_fact: { step_${i}: "{{ inventory_hostname }}-${i}" }`,
      // Read over the SFTP channel: every host holds one besides its shell.
      `      file: { path: /tmp, state: directory }`,
    ][k % 4];
    return `    - name: ${taskName(i)}\n${body}`;
  });
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.join("\n")}\n`;
}

export interface FleetRun {
  code: number | null;
  out: string;
  err: string;
  wallS: number;
  /** Open descriptors of the control process after task EARLY_TASK, and as the last task starts. */
  fdsEarly: number;
  fdsLate: number;
  /** VmHWM of the control process at the end of the run. */
  peakRssMb: number;
}

function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function peakRssMb(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Math.round(Number(kb) / 1024);
}

/** Runs `node cli -i inventory playbook`, sampling the process as task EARLY_TASK+1 and the last task start. */
export function runFleet(cli: string, inventoryPath: string, playbookPath: string, forks: number): Promise<FleetRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "-i", inventoryPath, "-f", String(forks), playbookPath], { env: { ...process.env, NO_COLOR: "1" } });
  const pid = child.pid!;
  const run: FleetRun = { code: null, out: "", err: "", wallS: 0, fdsEarly: -1, fdsLate: -1, peakRssMb: 0 };
  child.stdout.on("data", (d: Buffer) => {
    run.out += d.toString();
    if (run.fdsEarly < 0 && run.out.includes(`TASK [${taskName(EARLY_TASK + 1)}]`)) run.fdsEarly = openFds(pid);
    if (run.fdsLate < 0 && run.out.includes(`TASK [${taskName(FLEET_TASKS)}]`)) {
      run.fdsLate = openFds(pid);
      run.peakRssMb = peakRssMb(pid);
    }
    // Later still (the process may be gone by the time this runs: the earlier figure stands).
    if (run.out.includes("PLAY RECAP")) {
      try {
        run.peakRssMb = peakRssMb(pid);
      } catch {}
    }
  });
  child.stderr.on("data", (d: Buffer) => (run.err += d.toString()));
  return new Promise((resolve) => {
    child.on("close", (code) => {
      run.code = code;
      run.wallS = (performance.now() - started) / 1000;
      resolve(run);
    });
  });
}

/** Recap lines that are not all ok: a host failed, was unreachable, or changed something. */
export function unhealthyRecapLines(out: string): string[] {
  return out
    .split("\n")
    .filter((l) => / : ok=/.test(l))
    .filter((l) => !new RegExp(`: ok=${FLEET_TASKS} +changed=0 +unreachable=0 +failed=0 `).test(l));
}
