// A task's `timeout:` ends its command on the host itself, and the host stays usable afterwards.
import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunEvent } from "../../../src/engine/output/index.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runKplay } from "./run-kplay.js";

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(1, { light: true });
});

afterAll(async () => {
  await bed?.stopAll();
});

type HostResult = Extract<RunEvent, { type: "host_result" }>;

test("a timed-out task fails in time, its command is gone from the host, the next task runs", async () => {
  const started = new Map<string, number>();
  const took = new Map<string, number>();
  const r = await runKplay({
    inventory: bed.inventoryIni(),
    playbook: `- hosts: all
  gather_facts: false
  tasks:
    - name: slow command
      command: sleep 100
      timeout: 2
      ignore_errors: true
    - name: slow shell
      shell: "sleep 101; echo never"
      timeout: 2
      ignore_errors: true
    - name: after
      command: echo still here
`,
    onEvent: (e) => {
      if (e.type === "task_start") started.set(e.task.title, performance.now());
      if (e.type === "host_result") took.set(e.task.title, performance.now() - (started.get(e.task.title) ?? 0));
    },
  });
  expect(r.code, r.out + r.err).toBe(0);
  const result = (title: string) => r.events.find((e): e is HostResult => e.type === "host_result" && e.task.title === title);
  for (const title of ["slow command", "slow shell"]) {
    expect(result(title)?.result).toMatchObject({ failed: true, rc: 124 });
    expect(result(title)?.result.msg).toMatch(/^task timed out after 2 s/);
    // The host ends the command at 2 s; the executor's own fallback would only give up at 7 s.
    expect(took.get(title)).toBeGreaterThanOrEqual(2000);
    expect(took.get(title)).toBeLessThan(5000);
  }
  expect(result("after")?.result).toMatchObject({ rc: 0, stdout: "still here" });
  const left = await bed.host("node1").exec("pgrep -a sleep || true");
  expect(left.stdout).not.toMatch(/sleep 10[01]/);
});
