// CPU time the host containers spent (sshd, shells and the programs they start): on 2 cores that
// is most of what a 50-host run costs, and each engine spends it differently. It is read from the
// Docker cgroup, so it counts every container on the machine: run the benchmark alone.
import { readdirSync, readFileSync } from "node:fs";

const CGROUP_V1 = "/sys/fs/cgroup/cpuacct/docker/cpuacct.usage";
const CGROUP_V2_SLICE = "/sys/fs/cgroup/system.slice";

function v1(): number {
  return Number(readFileSync(CGROUP_V1, "utf8")) / 1e9;
}

function v2(): number {
  let micros = 0;
  for (const scope of readdirSync(CGROUP_V2_SLICE).filter((d) => d.startsWith("docker-") && d.endsWith(".scope"))) {
    const usage = /^usage_usec (\d+)$/m.exec(readFileSync(`${CGROUP_V2_SLICE}/${scope}/cpu.stat`, "utf8"));
    micros += Number(usage?.[1] ?? 0);
  }
  return micros / 1e6;
}

/** Seconds of CPU all containers have used so far; undefined where neither cgroup layout is found. */
export function containersCpuSeconds(): number | undefined {
  for (const read of [v1, v2]) {
    try {
      return read();
    } catch {
      // the other layout
    }
  }
  return undefined;
}
