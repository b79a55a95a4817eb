// Where roles are found, in order: `roles/` beside the playbook, the playbook's own directory,
// kplay's project `roles/`, the current directory's `roles/`, then KPLAY_ROLES_PATH entries.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** kplay's install directory: the nearest parent of this file holding package.json. */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const projectRoot = findProjectRoot();

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export interface RoleSearchOptions {
  playbookDir: string;
  cwd: string;
  /** Extra directories, searched last (KPLAY_ROLES_PATH). */
  rolesPath: string[];
}

export function roleSearchDirs(options: RoleSearchOptions): string[] {
  const dirs = [
    join(options.playbookDir, "roles"),
    options.playbookDir,
    join(projectRoot, "roles"),
    join(options.cwd, "roles"),
    ...options.rolesPath.map((p) => resolve(options.cwd, p)),
  ];
  return [...new Set(dirs)];
}

/** A role named by path (`../roles/x`, `/opt/roles/x`) is taken as written, relative to the playbook. */
export function findRoleDir(name: string, options: RoleSearchOptions): { path?: string; searched: string[] } {
  const looksLikePath = isAbsolute(name) || name.startsWith("./") || name.startsWith("../");
  const searched = looksLikePath ? [resolve(options.playbookDir, name)] : roleSearchDirs(options).map((d) => join(d, name));
  return { path: searched.find(isDirectory), searched };
}

/** `tasks/main.yml`, `.yaml`, `.json` or `tasks/main` as written, the first that exists (Ansible's order). */
export function findRoleFile(roleDir: string, subdir: string, base: string): string | undefined {
  return [".yml", ".yaml", ".json", ""]
    .map((ext) => join(roleDir, subdir, base + ext))
    .find((p) => existsSync(p) && statSync(p).isFile());
}

export function rolesPathFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.KPLAY_ROLES_PATH ?? "").split(":").filter(Boolean);
}
