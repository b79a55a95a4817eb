// --list-hosts, --list-tasks and --list-tags in ansible-playbook's exact layout, so operators
// can diff the two. Hosts are listed in inventory order (Ansible prints them in set order).
import type { Play, Playbook, PlayItem, TaskNode } from "../engine/playbook/model.js";
import { filterByTags } from "../engine/playbook/tags.js";

export interface ListingOptions {
  hosts?: (play: Play) => string[];
  tasks: boolean;
  tags: boolean;
  onlyTags: string[];
  skipTags: string[];
}

/** Python's repr of a string, as Ansible prints a pattern list. */
function pyRepr(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** What --list-tasks shows: `role : name` for named role tasks, else the name, else the module as written. */
export function listedTaskName(task: TaskNode): string {
  if (!task.name) return task.action;
  return task.role ? `${task.role.name} : ${task.name}` : task.name;
}

/** Tasks of the play's main lists, rescue/always left out as Ansible's listing does. */
function listedTasks(items: PlayItem[]): TaskNode[] {
  return items.flatMap((item) => (item.kind === "task" ? [item] : listedTasks(item.block)));
}

function playListing(play: Play, index: number, options: ListingOptions): string {
  const playTags = play.tags ?? [];
  let text = `\n  play #${index + 1} (${play.hostsWritten.join(",")}): ${play.name}\tTAGS: [${playTags.join(",")}]`;
  if (options.hosts) {
    const hosts = options.hosts(play);
    text += `\n    pattern: [${play.hostsWritten.map(pyRepr).join(", ")}]\n    hosts (${hosts.length}):`;
    text += hosts.map((h) => `\n      ${h}`).join("");
  }
  text += "\n";
  if (!options.tasks && !options.tags) return text;

  const selected = filterByTags([...play.pre_tasks, ...play.roles, ...play.tasks, ...play.post_tasks], options.onlyTags, options.skipTags);
  const allTags = new Set(playTags);
  let tasks = options.tasks ? "    tasks:\n" : "";
  for (const task of listedTasks(selected)) {
    const tags = [...new Set([...playTags, ...(task.tags ?? [])])].sort();
    tags.forEach((t) => allTags.add(t));
    if (options.tasks) tasks += `      ${listedTaskName(task)}\tTAGS: [${tags.join(", ")}]\n`;
  }
  if (options.tags) tasks += `      TASK TAGS: [${[...allTags].sort().join(", ")}]\n`;
  return text + tasks;
}

export function listPlaybook(playbook: Playbook, options: ListingOptions): string {
  return `\nplaybook: ${playbook.path}\n` + playbook.plays.map((play, i) => playListing(play, i, options)).join("");
}
