// How tasks are named in events and output: "role : name", or the module when unnamed.
import type { TaskInfo } from "../output/events.js";
import type { TaskNode } from "../playbook/model.js";
import { formatPosition } from "../errors.js";

let nextId = 0;

export function taskInfo(task: TaskNode, handler: boolean, shownName?: string): TaskInfo {
  const name = shownName ?? task.name ?? task.action;
  return {
    id: `t${++nextId}`,
    title: task.role ? `${task.role.name} : ${name}` : name,
    module: task.module,
    path: formatPosition(task.position),
    handler,
  };
}
