// The ansible.cfg settings kplay has a use for, read as ansible-core's ConfigManager reads them:
// the first of $ANSIBLE_CONFIG, ./ansible.cfg (not in a world-writable directory), ~/.ansible.cfg
// and /etc/ansible/ansible.cfg; each setting from its ANSIBLE_* variable, else from the file,
// else unset; typed as Ansible types it (booleans, integers, paths relative to the file).
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { KplayError } from "../errors.js";
import { parseIniFile, type IniFile } from "./ini-file.js";

type SettingType = "string" | "integer" | "boolean" | "path" | "pathlist" | "pathspec" | "list";

interface SettingDefinition {
  /** ansible-config's name for it (a plugin's option name for a plugin's setting). */
  ansibleName: string;
  /** The plugin whose option it is, for ansible-config (`-t connection`). */
  plugin?: "connection:ssh";
  env: string;
  section: string;
  key: string;
  type: SettingType;
}

const DEFINITIONS = {
  inventory: { ansibleName: "DEFAULT_HOST_LIST", env: "ANSIBLE_INVENTORY", section: "defaults", key: "inventory", type: "pathlist" },
  forks: { ansibleName: "DEFAULT_FORKS", env: "ANSIBLE_FORKS", section: "defaults", key: "forks", type: "integer" },
  remoteUser: { ansibleName: "DEFAULT_REMOTE_USER", env: "ANSIBLE_REMOTE_USER", section: "defaults", key: "remote_user", type: "string" },
  privateKeyFile: { ansibleName: "DEFAULT_PRIVATE_KEY_FILE", env: "ANSIBLE_PRIVATE_KEY_FILE", section: "defaults", key: "private_key_file", type: "path" },
  timeout: { ansibleName: "DEFAULT_TIMEOUT", env: "ANSIBLE_TIMEOUT", section: "defaults", key: "timeout", type: "integer" },
  hostKeyChecking: { ansibleName: "HOST_KEY_CHECKING", env: "ANSIBLE_HOST_KEY_CHECKING", section: "defaults", key: "host_key_checking", type: "boolean" },
  askPass: { ansibleName: "DEFAULT_ASK_PASS", env: "ANSIBLE_ASK_PASS", section: "defaults", key: "ask_pass", type: "boolean" },
  vaultPasswordFile: { ansibleName: "DEFAULT_VAULT_PASSWORD_FILE", env: "ANSIBLE_VAULT_PASSWORD_FILE", section: "defaults", key: "vault_password_file", type: "path" },
  vaultIdentityList: { ansibleName: "DEFAULT_VAULT_IDENTITY_LIST", env: "ANSIBLE_VAULT_IDENTITY_LIST", section: "defaults", key: "vault_identity_list", type: "list" },
  rolesPath: { ansibleName: "DEFAULT_ROLES_PATH", env: "ANSIBLE_ROLES_PATH", section: "defaults", key: "roles_path", type: "pathspec" },
  become: { ansibleName: "DEFAULT_BECOME", env: "ANSIBLE_BECOME", section: "privilege_escalation", key: "become", type: "boolean" },
  becomeUser: { ansibleName: "DEFAULT_BECOME_USER", env: "ANSIBLE_BECOME_USER", section: "privilege_escalation", key: "become_user", type: "string" },
  becomeAskPass: { ansibleName: "DEFAULT_BECOME_ASK_PASS", env: "ANSIBLE_BECOME_ASK_PASS", section: "privilege_escalation", key: "become_ask_pass", type: "boolean" },
  becomeMethod: { ansibleName: "DEFAULT_BECOME_METHOD", env: "ANSIBLE_BECOME_METHOD", section: "privilege_escalation", key: "become_method", type: "string" },
  // The ssh connection's options: where a host sets no ansible_ssh_args / _common_args / _extra_args.
  sshArgs: { ansibleName: "ssh_args", plugin: "connection:ssh", env: "ANSIBLE_SSH_ARGS", section: "ssh_connection", key: "ssh_args", type: "string" },
  sshCommonArgs: { ansibleName: "ssh_common_args", plugin: "connection:ssh", env: "ANSIBLE_SSH_COMMON_ARGS", section: "ssh_connection", key: "ssh_common_args", type: "string" },
  sshExtraArgs: { ansibleName: "ssh_extra_args", plugin: "connection:ssh", env: "ANSIBLE_SSH_EXTRA_ARGS", section: "ssh_connection", key: "ssh_extra_args", type: "string" },
} as const satisfies Record<string, SettingDefinition>;

type SettingName = keyof typeof DEFINITIONS;
type ValueOf<T extends SettingType> = T extends "integer" ? number : T extends "boolean" ? boolean : T extends "pathlist" | "pathspec" | "list" ? string[] : string;

/** Each setting that is set, typed. */
export type AnsibleSettings = { -readonly [K in SettingName]?: ValueOf<(typeof DEFINITIONS)[K]["type"]> };

/** Where each set value came from: "env: ANSIBLE_X" or the file's path, as ansible-config dump says. */
export type SettingOrigins = Partial<Record<SettingName, string>>;

export interface AnsibleConfig {
  /** The file read, if any. */
  file?: string;
  settings: AnsibleSettings;
  origins: SettingOrigins;
  warnings: string[];
}

const S_IWOTH = 0o002;

/** Ansible's os.path.expandvars: $NAME and ${NAME} of variables that are set; others stay. */
function expandVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const value = env[name.startsWith("{") ? name.slice(1, -1) : name];
    return value === undefined ? whole : value;
  });
}

function expandUser(text: string, env: NodeJS.ProcessEnv): string {
  if (text !== "~" && !text.startsWith("~/")) return text;
  return (env.HOME ?? homedir()) + text.slice(1);
}

/** Ansible's unfrackpath(follow=False): variables and ~ expanded, made absolute against `base`, normalised. */
function resolvePath(path: string, base: string, env: NodeJS.ProcessEnv): string {
  const expanded = expandUser(expandVars(path, env), env);
  const absolute = isAbsolute(expanded) ? expanded : join(base, expanded);
  const normal = normalize(absolute);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}

/** Ansible's unquote: one pair of matching quotes around the whole value goes. */
function unquote(text: string): string {
  return text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0] ? text.slice(1, -1) : text;
}

const TRUE_WORDS = new Set(["y", "yes", "on", "1", "true", "t"]);
/** Python's int() of a string: optional sign, digits with single underscores between them, spaces around. */
const PYTHON_INT = /^[+-]?\d+(?:_\d+)*$/;

/** The first config file that exists and can be read, as find_ini_config_file picks it. */
function findConfigFile(env: NodeJS.ProcessEnv, cwd: string, warnings: string[]): string | undefined {
  const candidates: string[] = [];
  const fromEnv = env.ANSIBLE_CONFIG;
  if (fromEnv !== undefined) {
    const path = resolvePath(fromEnv, cwd, env);
    candidates.push(existsSync(path) && statSync(path).isDirectory() ? join(path, "ansible.cfg") : path);
  }
  const inCwd = join(cwd, "ansible.cfg");
  let skippedCwd = false;
  try {
    if (statSync(cwd).mode & S_IWOTH) skippedCwd = existsSync(inCwd);
    else candidates.push(inCwd);
  } catch {
    // an unreadable working directory is no source
  }
  candidates.push(resolvePath("~/.ansible.cfg", cwd, env), "/etc/ansible/ansible.cfg");
  const found = candidates.find((path) => {
    try {
      accessSync(path, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  });
  const usedEnvFile = fromEnv !== undefined && found === candidates[0];
  if (skippedCwd && !usedEnvFile) {
    warnings.push(`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source.`);
  }
  return found;
}

function typed(name: SettingName, raw: string, origin: { file?: string; line?: number; env?: string }, cwd: string, env: NodeJS.ProcessEnv): AnsibleSettings[SettingName] {
  const { type, ansibleName } = DEFINITIONS[name];
  // Relative paths from the file are relative to the file; from a variable, to the working directory.
  const base = origin.file ? dirname(origin.file) : cwd;
  switch (type) {
    case "boolean":
      return TRUE_WORDS.has(raw.trim().toLowerCase());
    case "integer": {
      const text = raw.trim();
      if (!PYTHON_INT.test(text)) {
        const where = origin.env ?? `${DEFINITIONS[name].key} in ${origin.file}`;
        throw new KplayError({
          kind: "usage",
          message: `${where} must be a whole number for ${ansibleName}, not "${raw}"`,
          ...(origin.file && origin.line ? { position: { file: origin.file, line: origin.line, column: 1 } } : {}),
        });
      }
      return Number(text.replaceAll("_", ""));
    }
    case "path":
      return resolvePath(raw, base, env);
    case "pathlist":
      return raw.split(",").map((p) => resolvePath(p.trim(), base, env));
    case "pathspec":
      return raw.split(":").map((p) => resolvePath(p, base, env));
    case "list":
      return raw.split(",").map((item) => unquote(item.trim()));
    case "string":
      return unquote(raw);
  }
}

/** Reads the settings; a file that cannot be read or a value of the wrong type is a KplayError naming it. */
export function loadAnsibleConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AnsibleConfig {
  const warnings: string[] = [];
  const file = findConfigFile(env, cwd, warnings);
  let ini: IniFile | undefined;
  if (file) {
    if (!/\.(cfg|ini)$/.test(file)) {
      throw new KplayError({ kind: "usage", message: `${file}: kplay reads ansible.cfg files in INI form (.cfg or .ini)`, hint: "point ANSIBLE_CONFIG at an ansible.cfg" });
    }
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new KplayError({ kind: "usage", message: `cannot read the config file ${file}: ${(e as Error).message}`, hint: "fix it, or point ANSIBLE_CONFIG at another ansible.cfg" });
    }
    ini = parseIniFile(file, text);
  }
  const settings: AnsibleSettings = {};
  const origins: SettingOrigins = {};
  for (const name of Object.keys(DEFINITIONS) as SettingName[]) {
    const definition = DEFINITIONS[name];
    const fromEnv = env[definition.env];
    // An empty variable that cannot be typed means the default, as Ansible takes it (the file is not read).
    if (fromEnv === "" && definition.type === "integer") continue;
    const fromFile = fromEnv === undefined ? ini?.get(definition.section, definition.key) : undefined;
    if (fromEnv === undefined && !fromFile) continue;
    const origin = fromEnv !== undefined ? { env: definition.env } : { file: ini!.path, line: fromFile!.line };
    (settings as Record<string, unknown>)[name] = typed(name, fromEnv ?? fromFile!.value, origin, cwd, env);
    origins[name] = fromEnv !== undefined ? `env: ${definition.env}` : ini!.path;
  }
  return { ...(file ? { file } : {}), settings, origins, warnings };
}

/** How ansible-config names each setting kplay reads, for the parity test. */
export const ANSIBLE_NAMES: Readonly<Record<SettingName, { name: string; plugin?: string }>> = Object.fromEntries(
  Object.entries(DEFINITIONS).map(([name, d]: [string, SettingDefinition]) => [name, { name: d.ansibleName, ...(d.plugin ? { plugin: d.plugin } : {}) }]),
) as Record<SettingName, { name: string; plugin?: string }>;
