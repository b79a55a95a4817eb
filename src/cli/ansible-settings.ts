// What ansible.cfg and ANSIBLE_* fill in where the command line says nothing, as ansible-playbook
// lets them: the command line first, then the variable, then the file (engine/config/).
import { loadAnsibleConfig, type AnsibleSettings, type SettingOrigins } from "../engine/config/ansible-config.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../engine/connection/spec.js";
import { isKplayError, type ErrorContext } from "../engine/errors.js";
import type { CliIO } from "./io.js";
import type { PlaybookFlags } from "./playbook-command.js";
import type { VaultFlags } from "./vault-flags.js";

/** kplay's own default where neither the command line nor the configuration says (Ansible's is 5). */
const DEFAULT_FORKS = 50;

/** The flags as commander hands them over: forks and timeout only when given. */
export type GivenPlaybookFlags = Omit<PlaybookFlags, "forks" | "timeout"> & { forks?: number; timeout?: number };

/** Reads ansible.cfg and ANSIBLE_*, printing Ansible's warnings; a broken file is an error to print (exit 5). */
export function readAnsibleSettings(io: CliIO, env: NodeJS.ProcessEnv = process.env): { settings?: AnsibleSettings; origins?: SettingOrigins; errors: ErrorContext[] } {
  try {
    const config = loadAnsibleConfig(env);
    for (const warning of config.warnings) io.stderr.write(`[WARNING]: ${warning}\n`);
    return { settings: config.settings, origins: config.origins, errors: [] };
  } catch (e) {
    if (isKplayError(e)) return { errors: [e.context] };
    throw e;
  }
}

/** Vault secrets from the configuration come with the command line's: identities first, password file last (as Ansible). */
export function withVaultSettings<F extends VaultFlags>(flags: F, settings: AnsibleSettings): F {
  return {
    ...flags,
    vaultId: [...(settings.vaultIdentityList ?? []).filter(Boolean), ...flags.vaultId],
    vaultPasswordFile: [...flags.vaultPasswordFile, ...(settings.vaultPasswordFile ? [settings.vaultPasswordFile] : [])],
  };
}

/** "inventory in /path/ansible.cfg" or "ANSIBLE_INVENTORY", for messages about a configured value. */
function describeOrigin(key: string, origin: string): string {
  return origin.startsWith("env: ") ? origin.slice("env: ".length) : `${key} in ${origin}`;
}

/** The -i sources, else the configured ones with where they were set (for messages), as ansible-playbook and ansible-inventory take them. */
export function inventorySources(given: string[], settings: AnsibleSettings, origins: SettingOrigins = {}): { inventory: string[]; from?: string } {
  if (given.length > 0 || !settings.inventory) return { inventory: given };
  return { inventory: settings.inventory, ...(origins.inventory ? { from: describeOrigin("inventory", origins.inventory) } : {}) };
}

function atLeast(name: string, value: number, minimum: number): ErrorContext[] {
  return value >= minimum ? [] : [{ kind: "usage", message: `${name} must be at least ${minimum}, not ${value}`, hint: "fix it in ansible.cfg or the ANSIBLE_* variable that sets it" }];
}

/** The playbook command's flags with the configuration's values where the command line gave none. */
export function withPlaybookSettings(given: GivenPlaybookFlags, settings: AnsibleSettings, origins: SettingOrigins = {}): { flags: PlaybookFlags; errors: ErrorContext[] } {
  const errors: ErrorContext[] = [];
  if (settings.becomeMethod !== undefined && settings.becomeMethod !== "sudo") {
    errors.push({
      kind: "usage",
      message: `become_method ${settings.becomeMethod} (from ansible.cfg or ANSIBLE_BECOME_METHOD): kplay becomes another user with sudo only`,
      hint: "set become_method = sudo, or remove it",
    });
  }
  const forks = given.forks ?? settings.forks ?? DEFAULT_FORKS;
  const timeout = given.timeout ?? settings.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  errors.push(...atLeast("forks", forks, 1), ...atLeast("timeout", timeout, 1));
  const { inventory, from: inventoryFrom } = inventorySources(given.inventory, settings, origins);
  const flags: PlaybookFlags = {
    ...withVaultSettings(given, settings),
    inventory,
    ...(inventoryFrom ? { inventoryFrom } : {}),
    forks,
    timeout,
    user: given.user ?? settings.remoteUser,
    privateKey: given.privateKey ?? settings.privateKeyFile,
    askPass: given.askPass === true || settings.askPass === true,
    // host_key_checking = False: kplay records the keys of new hosts, but still refuses a changed one.
    acceptNewHostKeys: given.acceptNewHostKeys === true || settings.hostKeyChecking === false,
    become: given.become === true || settings.become === true,
    becomeUser: given.becomeUser ?? settings.becomeUser,
    askBecomePass: given.askBecomePass === true || settings.becomeAskPass === true,
    rolesPath: settings.rolesPath,
    ...(settings.sshArgs !== undefined || settings.sshCommonArgs !== undefined || settings.sshExtraArgs !== undefined
      ? { sshArgs: { args: settings.sshArgs, common: settings.sshCommonArgs, extra: settings.sshExtraArgs } }
      : {}),
  };
  return { flags, errors };
}
