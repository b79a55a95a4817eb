// Which connection a task uses: its host's (or its delegate's), resolved from that host's
// variables once, then reused for the whole run. Kubespray's `bastion` group is honoured.
import { behindBastion, ConnectionPool, resolveConnectionSpec, type Connection, type ConnectionCliOptions, type ConnectionSpec } from "../connection/index.js";
import { lookupVariable, type Vars } from "../expr/evaluator.js";
import { isUndefined } from "../expr/values.js";

/** The variables a connection is resolved from (Ansible's connection variables). */
const CONNECTION_VARS = [
  "ansible_connection", "ansible_host", "ansible_ssh_host", "ansible_port", "ansible_ssh_port", "ansible_user",
  "ansible_ssh_user", "ansible_ssh_private_key_file", "ansible_private_key_file", "ansible_password", "ansible_ssh_pass",
  "ansible_ssh_password", "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_timeout", "ansible_timeout",
];

/** Keywords a play or task may set; variables win over them, as in Ansible. */
export interface ConnectionKeywords {
  remote_user?: string;
  connection?: "ssh" | "local";
}

export class Connections {
  private readonly specs = new Map<string, ConnectionSpec>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly cli: ConnectionCliOptions & { password?: string },
    /** Kubespray's `bastion` group: its host and variables, when the inventory has one. */
    private readonly bastion?: { name: string; vars: Vars },
  ) {}

  /** `vars` are the variables of the host the connection goes to. */
  forHost(name: string, vars: Vars, keywords: ConnectionKeywords = {}): Connection {
    return this.pool.get(this.specFor(name, vars, keywords));
  }

  private specFor(name: string, vars: Vars, keywords: ConnectionKeywords): ConnectionSpec {
    const settings: Record<string, unknown> = {};
    for (const key of CONNECTION_VARS) {
      const value = lookupVariable(vars, key);
      if (value !== undefined && !isUndefined(value)) settings[key] = value;
    }
    settings.ansible_user ??= keywords.remote_user;
    settings.ansible_connection ??= keywords.connection;
    settings.ansible_password ??= this.cli.password;
    const key = `${name}\0${JSON.stringify(settings)}`;
    let spec = this.specs.get(key);
    if (!spec) {
      spec = resolveConnectionSpec(name, settings, this.cli);
      if (this.bastion && name !== this.bastion.name) spec = behindBastion(spec, this.specFor(this.bastion.name, this.bastion.vars, {}));
      this.specs.set(key, spec);
    }
    return spec;
  }

  closeAll(): Promise<void> {
    return this.pool.closeAll();
  }
}
