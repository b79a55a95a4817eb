// Where `import_tasks`/`include_tasks` look for a file: beside the file that names it, then the
// role's `tasks/`, then the playbook's directory (Ansible's search, minus its `tasks/` variants).
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

export function findTaskFile(
  name: string,
  fromFile: string,
  roleDir: string | undefined,
  playbookDir: string,
): { path?: string; searched: string[] } {
  const dirs = isAbsolute(name) ? [""] : [dirname(resolve(fromFile)), ...(roleDir ? [join(roleDir, "tasks")] : []), playbookDir];
  const searched = [...new Set(dirs.map((d) => (d ? join(d, name) : name)))];
  return { path: searched.find((p) => existsSync(p) && statSync(p).isFile()), searched };
}
