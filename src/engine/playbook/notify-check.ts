// Every literal `notify:` must name a handler of its play (by name, `role : name`, or a `listen`
// topic). Ansible finds out only when the notification fires, mid-run; kplay says so up front.
import type { ErrorContext } from "../errors.js";
import type { Play, PlayItem, TaskNode } from "./model.js";
import { isTemplated } from "./module-args.js";
import { didYouMean } from "./suggest.js";

function tasksIn(items: PlayItem[]): TaskNode[] {
  return items.flatMap((i) => (i.kind === "task" ? [i] : [...tasksIn(i.block), ...tasksIn(i.rescue), ...tasksIn(i.always)]));
}

export function checkNotifications(play: Play): ErrorContext[] {
  const tasks = [...tasksIn([...play.pre_tasks, ...play.roles, ...play.tasks, ...play.post_tasks]), ...play.handlers];
  // Handlers brought in by include_role, or named with a template, are known only at run time.
  if (tasks.some((t) => t.module === "include_role")) return [];
  if (play.handlers.some((h) => isTemplated(h.name) || isTemplated(h.listen ?? []))) return [];
  const known = new Set<string>();
  for (const h of play.handlers) {
    if (h.name) known.add(h.name);
    if (h.name && h.role) known.add(`${h.role.name} : ${h.name}`);
    h.listen?.forEach((topic) => known.add(topic));
  }
  const errors: ErrorContext[] = [];
  for (const task of tasks) {
    for (const name of task.notify ?? []) {
      if (known.has(name) || isTemplated(name)) continue;
      errors.push({
        kind: "playbook",
        message: `\`notify\` names \`${name}\`, which no handler of the play has as its name or \`listen\` topic`,
        hint: didYouMean(name, [...known]),
        position: task.positions?.notify ?? task.position,
      });
    }
  }
  return errors;
}
