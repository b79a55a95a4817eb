// How each engine is started on the same inventory and workload: kplay, ansible-playbook
// (pipelining, ControlPersist, forks = hosts), ansible with Mitogen, kplay on local hosts
// (no network: what remains is the engine's own cost per task), and the two floors.
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { TimedCommand } from "./measure.js";

export const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
export const REPO_DIR = path.dirname(BENCH_DIR);
export const WORKLOAD = path.join(BENCH_DIR, "workload.yml");
export const EMPTY_PLAYBOOK = path.join(BENCH_DIR, "empty.yml");
const FLOOR_PROBES = path.join(BENCH_DIR, "floor-probes.txt");

/** What every engine is given: the inventory, forks, and arguments both CLIs read alike (-e). */
export interface RunSpec {
  inventory: string;
  forks: number;
  extraArgs: string[];
}

/** @param nodeArgs e.g. `--cpu-prof` to profile the run */
export function kplayCommand(spec: RunSpec, playbook = WORKLOAD, nodeArgs: string[] = []): TimedCommand {
  return { command: process.execPath, args: [...nodeArgs, path.join(REPO_DIR, "bin/kplay.js"), "-i", spec.inventory, "-f", String(spec.forks), ...spec.extraArgs, playbook] };
}

/**
 * kplay against `ansible_connection=local` hosts inside a network namespace of the benchmark's
 * own, so the net.* sysctls it writes stay there and the control machine is untouched. The
 * namespace outlives each run (`ip netns`), so the re-runs find the values the first run set.
 */
export function kplayLocalCommand(spec: RunSpec, netns: string): TimedCommand {
  const kplay = kplayCommand(spec);
  return { command: "ip", args: ["netns", "exec", netns, kplay.command, ...kplay.args] };
}

export interface AnsibleSetup {
  command: TimedCommand;
  /** Why this variant cannot run here; the command is then not run. */
  unavailable?: string;
}

/** ansible.cfg as an operator who tuned Ansible for speed would write it. */
function ansibleConfig(forks: number, controlPathDir: string, mitogenStrategyDir?: string): string {
  return [
    "[defaults]",
    `forks = ${forks}`,
    "retry_files_enabled = False",
    "interpreter_python = /usr/bin/python3",
    "deprecation_warnings = False",
    ...(mitogenStrategyDir ? [`strategy_plugins = ${mitogenStrategyDir}`, "strategy = mitogen_linear"] : []),
    "",
    "[ssh_connection]",
    "pipelining = True",
    "ssh_args = -o ControlMaster=auto -o ControlPersist=60s",
    `control_path_dir = ${controlPathDir}`,
    "",
  ].join("\n");
}

/** Where Ansible would find Mitogen's strategy plugins, if the installed Mitogen ships them. */
function mitogenStrategyDir(): string | undefined {
  try {
    const dir = execFileSync("python3", ["-c", "import ansible_mitogen, os; print(os.path.dirname(ansible_mitogen.__file__))"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return path.join(dir.trim(), "plugins", "strategy");
  } catch {
    return undefined;
  }
}

export async function ansibleSetup(spec: RunSpec, workDir: string, mitogen: boolean): Promise<AnsibleSetup> {
  const strategyDir = mitogen ? mitogenStrategyDir() : undefined;
  const configPath = path.join(workDir, mitogen ? "ansible-mitogen.cfg" : "ansible.cfg");
  await writeFile(configPath, ansibleConfig(spec.forks, path.join(workDir, "cp"), strategyDir));
  const command: TimedCommand = {
    command: "ansible-playbook",
    args: ["-i", spec.inventory, ...spec.extraArgs, WORKLOAD],
    env: { ...process.env, ANSIBLE_CONFIG: configPath, ANSIBLE_NOCOLOR: "1" },
  };
  if (mitogen && !strategyDir) {
    return { command, unavailable: "Debian's python3-mitogen 0.3.3 ships only the mitogen library, not ansible_mitogen (no mitogen_linear strategy); PyPI is not reachable here" };
  }
  return { command };
}

/** Sum of `changed=N` over the PLAY RECAP lines both engines print. */
export function changedInRecap(output: string): number | undefined {
  const counts = [...output.matchAll(/\bchanged=(\d+)/g)].map((m) => Number(m[1]));
  return counts.length > 0 ? counts.reduce((a, b) => a + b, 0) : undefined;
}

/** Where the floors connect: the container's own address, or Docker's published port. */
export interface FloorTargets {
  privateKeyPath: string;
  knownHostsPath: string;
  /** ADDRESS:PORT of each host. */
  targets: string[];
}

/** Plain OpenSSH, one ControlMaster per host, running the probes a no-op run makes. */
export function opensshFloorCommand(floor: FloorTargets): TimedCommand {
  return { command: path.join(BENCH_DIR, "ssh-floor.sh"), args: [floor.privateKeyPath, floor.knownHostsPath, ...floor.targets] };
}

/**
 * The same probes through the raw ssh2 prototype (bench/ssh2-prototype.ts), bundled first so it
 * starts as a program rather than through a TypeScript loader. The bundle sits under
 * node_modules/.cache, from where it finds the repository's ssh2.
 */
export async function ssh2PrototypeCommand(floor: FloorTargets): Promise<TimedCommand> {
  const outfile = path.join(REPO_DIR, "node_modules/.cache/kplay-bench/ssh2-prototype.mjs");
  await build({ entryPoints: [path.join(BENCH_DIR, "ssh2-prototype.ts")], outfile, bundle: true, platform: "node", format: "esm", target: "node20", external: ["ssh2"], logLevel: "warning" });
  return { command: process.execPath, args: [outfile, FLOOR_PROBES, floor.privateKeyPath, floor.knownHostsPath, ...floor.targets] };
}
