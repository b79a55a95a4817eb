// How tasks are named in events and output: "role : name", or the module when unnamed.
import type { TaskInfo } from "../output/events.js";
import type { TaskNode } from "../playbook/model.js";
import { formatPosition } from "../errors.js";

let nextId = 0;
// One identity per task node, so every host's results (also under `free`) belong to one task.
const infos = new WeakMap<TaskNode, TaskInfo>();

export function taskInfo(task: TaskNode, handler: boolean): TaskInfo {
  let info = infos.get(task);
  if (!info) infos.set(task, (info = describe(task, handler)));
  return info;
}

function describe(task: TaskNode, handler: boolean): TaskInfo {
  const name = task.name ?? task.action;
  return {
    id: `t${++nextId}`,
    title: task.role ? `${task.role.name} : ${name}` : name,
    module: task.module,
    path: formatPosition(task.position),
    handler,
  };
}
