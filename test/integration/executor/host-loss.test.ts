// Hosts that go away mid-play, and a run interrupted with Ctrl-C.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runKplay } from "./run-kplay.js";

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(2, { light: true });
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
      command: "sleep {{ 30 if inventory_hostname == 'node2' else 0 }}"
    - name: after
      command: "true"
`;

function hostsOf(events: Awaited<ReturnType<typeof runKplay>>["events"], title: string): string[] {
  return events.flatMap((e) => (e.type === "host_result" && e.task.title === title ? [e.host] : []));
}

test("a host that dies mid-play is reported unreachable, the others finish, exit 4", async () => {
  let stopping: Promise<void> | undefined;
  const r = await runKplay({
    inventory: bed.inventoryIni(),
    playbook: PLAYBOOK,
    onEvent: (e) => {
      if (e.type === "task_start" && e.task.title === "long") stopping = bed.host("node2").stop();
    },
  });
  await stopping;
  expect(r.code, r.out + r.err).toBe(4);
  expect(r.out).toMatch(/^fatal: \[node2\]: UNREACHABLE! => \{/m);
  expect(hostsOf(r.events, "after")).toEqual(["node1"]);
  const recap = r.events.find((e) => e.type === "recap");
  expect(recap?.type === "recap" && recap.stats.node2).toMatchObject({ ok: 1, unreachable: 1, failed: 0 });
  expect(r.out).toMatch(/^node2 +: ok=1 +changed=1 +unreachable=1 +failed=0/m);
  await bed.host("node2").start();
});

test("SIGINT: the running task is abandoned, no new task starts, the recap is printed, exit 99", async () => {
  const r = await runKplay({
    inventory: bed.inventoryIni(),
    playbook: PLAYBOOK,
    onEvent: (e) => {
      if (e.type === "task_start" && e.task.title === "long") setTimeout(() => process.emit("SIGINT"), 300);
    },
  });
  expect(r.code, r.out + r.err).toBe(99);
  expect(hostsOf(r.events, "after")).toEqual([]);
  expect(r.out).toContain("PLAY RECAP");
  expect(r.err).toContain("User interrupted execution");
});
