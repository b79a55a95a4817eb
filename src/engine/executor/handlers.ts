// Which handlers hosts have notified. A flush runs each notified handler once, in the order the
// handlers are DEFINED (not notified), only on the hosts that notified it.
import type { TaskNode } from "../playbook/model.js";

export class HandlerNotifications {
  private readonly pending = new Map<TaskNode, Set<string>>();

  private readonly handlers: TaskNode[];

  constructor(handlers: readonly TaskNode[]) {
    this.handlers = [...handlers];
  }

  /** Handlers of a role brought in by include_role, defined after the play's own. */
  add(handlers: readonly TaskNode[]): void {
    for (const h of handlers) if (!this.handlers.includes(h)) this.handlers.push(h);
  }

  /** Handlers a `notify:` entry names: by name, by "role : name", or by a `listen` topic. */
  matching(name: string): TaskNode[] {
    return this.handlers.filter(
      (h) =>
        h.name === name ||
        (h.role !== undefined && h.name !== undefined && `${h.role.name} : ${h.name}` === name) ||
        (h.listen ?? []).includes(name),
    );
  }

  /** Records a notification; returns false when no handler answers to `name`. */
  notify(name: string, host: string): boolean {
    const found = this.matching(name);
    for (const h of found) {
      let hosts = this.pending.get(h);
      if (!hosts) this.pending.set(h, (hosts = new Set()));
      hosts.add(host);
    }
    return found.length > 0;
  }

  /**
   * The next handler to run in a flush among `hosts`, with its hosts, removed from the pending set.
   * Called with the previous answer's `next` so a handler notified by an earlier one in the same
   * flush still runs, while one defined earlier waits for the next flush (as in Ansible).
   */
  takeNext(hosts: ReadonlySet<string>, from = 0): { handler: TaskNode; hosts: string[]; next: number } | undefined {
    for (let i = from; i < this.handlers.length; i++) {
      const h = this.handlers[i];
      const notified = this.pending.get(h);
      if (!notified) continue;
      const selected = [...notified].filter((n) => hosts.has(n));
      if (selected.length === 0) continue;
      for (const n of selected) notified.delete(n);
      if (notified.size === 0) this.pending.delete(h);
      return { handler: h, hosts: selected, next: i + 1 };
    }
    return undefined;
  }
}
