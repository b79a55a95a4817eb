import { expect, test } from "vitest";
import { HandlerNotifications } from "../../../src/engine/executor/handlers.js";
import type { TaskNode } from "../../../src/engine/playbook/model.js";

function handler(name: string, extra: Partial<TaskNode> = {}): TaskNode {
  return { kind: "task", name, module: "command", action: "command", args: {}, position: { file: "p.yml", line: 1, column: 1 }, ...extra };
}

const a = handler("restart a");
const b = handler("restart b", { listen: ["web changed"] });
const c = handler("reload", { role: { name: "nginx", path: "/r/nginx", defaults: {}, vars: {}, params: {} } });

function flush(n: HandlerNotifications, hosts: string[]): string[] {
  const ran: string[] = [];
  let from = 0;
  for (let next = n.takeNext(new Set(hosts)); next; next = n.takeNext(new Set(hosts), from)) {
    from = next.next;
    ran.push(`${next.handler.name}:${next.hosts.join(",")}`);
  }
  return ran;
}

test("a flush runs handlers in definition order, each once, on the hosts that notified it", () => {
  const n = new HandlerNotifications([a, b, c]);
  n.notify("restart b", "h1");
  n.notify("restart a", "h2");
  n.notify("restart a", "h2");
  n.notify("restart a", "h1");
  expect(flush(n, ["h1", "h2"])).toEqual(["restart a:h2,h1", "restart b:h1"]);
  expect(flush(n, ["h1", "h2"])).toEqual([]);
});

test("listen topics and role-qualified names reach their handlers; unknown names are reported", () => {
  const n = new HandlerNotifications([a, b, c]);
  expect(n.notify("web changed", "h1")).toBe(true);
  expect(n.notify("nginx : reload", "h1")).toBe(true);
  expect(n.notify("nope", "h1")).toBe(false);
  expect(flush(n, ["h1"])).toEqual(["restart b:h1", "reload:h1"]);
});

test("hosts no longer in the play keep their notification out of the flush", () => {
  const n = new HandlerNotifications([a]);
  n.notify("restart a", "failed-host");
  expect(flush(n, ["h1"])).toEqual([]);
});

test("a handler notified during a flush runs in it when defined later, waits when defined earlier", () => {
  const n = new HandlerNotifications([a, b]);
  n.notify("restart a", "h1");
  const first = n.takeNext(new Set(["h1"]))!;
  expect(first.handler).toBe(a);
  n.notify("restart b", "h1");
  n.notify("restart a", "h1");
  const second = n.takeNext(new Set(["h1"]), first.next)!;
  expect(second.handler).toBe(b);
  expect(n.takeNext(new Set(["h1"]), second.next)).toBeUndefined();
  expect(n.takeNext(new Set(["h1"]))?.handler).toBe(a);
});
