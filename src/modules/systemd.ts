// systemd (ansible.builtin.systemd / systemd_service, and `service` on systemd hosts): unit state,
// enablement and masking. One probe reads `systemctl show` and `is-enabled` (after daemon-reload
// when asked, in the same round trip); the plan decides the systemctl verbs in Ansible's order:
// mask/unmask, enable/disable, then start/stop/restart/reload.
import { shellJoin } from "../engine/shell-quote.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { stateDiff } from "./lib/diff.js";
import { runAll } from "./lib/remote.js";
import { runSections } from "./lib/sections.js";

export interface SystemdArgs {
  name?: string;
  state?: "started" | "stopped" | "restarted" | "reloaded";
  enabled?: boolean;
  masked?: boolean;
  daemon_reload?: boolean;
  daemon_reexec?: boolean;
  scope: "system" | "user" | "global";
  no_block?: boolean;
  force?: boolean;
}

export interface SystemdState {
  /** `systemctl show` as key/value pairs (Ansible's `status`); empty when no unit was named. */
  status: Record<string, string>;
  /** First line of `systemctl is-enabled` and its exit code. */
  isEnabled: string;
  isEnabledRc: number;
}

export interface SystemdPlan extends Plan {
  /** systemctl verbs to run, in order. */
  actions: string[];
}

/** `systemctl show` prints Key=Value lines; values may contain `=` and, rarely, continue on `{`...`}` lines. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const status: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) status[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return status;
}

function isRunning(status: Record<string, string>): boolean {
  return status.ActiveState === "active" || status.ActiveState === "activating";
}

/** Ansible's rule: is-enabled exiting 0 means enabled, except units that are only indirect or an alias. */
export function isEnabled(state: SystemdState): boolean {
  return state.isEnabledRc === 0 && state.isEnabled !== "indirect" && state.isEnabled !== "alias";
}

function describeState(running: boolean, enabled: boolean, masked: boolean): Record<string, string> {
  return { state: running ? "started" : "stopped", enabled: String(enabled), masked: String(masked) };
}

export function planSystemd(args: SystemdArgs, state: SystemdState): SystemdPlan {
  const actions: string[] = [];
  const status = state.status;
  const name = args.name;
  if (name === undefined) {
    return { changed: false, actions, result: { status } };
  }
  const found = status.LoadState !== undefined && status.LoadState !== "not-found";
  const masked = state.isEnabled === "masked";
  if (found && !masked && status.LoadError) {
    throw new ModuleFailure(`Error loading unit file '${name}': ${status.LoadError}`, { status });
  }
  const missing = () => new ModuleFailure(`Could not find the requested service ${name}: host`, { status });

  let maskedAfter = masked;
  if (args.masked !== undefined && args.masked !== masked) {
    actions.push(args.masked ? "mask" : "unmask");
    maskedAfter = args.masked;
  }
  const enabled = isEnabled(state);
  let enabledAfter = enabled;
  if (args.enabled !== undefined) {
    if (!found) throw missing();
    if (args.enabled !== enabled) actions.push(args.enabled ? "enable" : "disable");
    enabledAfter = args.enabled;
  }
  const running = isRunning(status);
  let runningAfter = running;
  if (args.state !== undefined) {
    if (!found) throw missing();
    if (args.state === "started" && !running) actions.push("start");
    if (args.state === "stopped" && (running || status.ActiveState === "deactivating")) actions.push("stop");
    if (args.state === "restarted" || args.state === "reloaded") actions.push(running ? args.state.slice(0, -2) : "start");
    runningAfter = args.state !== "stopped";
  }
  const result: Record<string, unknown> = { name, status };
  if (args.enabled !== undefined) result.enabled = enabledAfter;
  if (args.state !== undefined) result.state = args.state === "stopped" ? "stopped" : "started";
  return {
    changed: actions.length > 0,
    actions,
    diff: [stateDiff(name, describeState(running, enabled, masked), describeState(runningAfter, enabledAfter, maskedAfter))],
    result,
  };
}

/** `systemctl` with the scope and flags every verb of this task shares. */
export function systemctl(args: SystemdArgs, ...words: string[]): string {
  const scope = args.scope === "system" ? [] : [`--${args.scope}`];
  return shellJoin(["systemctl", ...scope, ...words]);
}

function verbCommand(args: SystemdArgs, verb: string): string {
  const flags = [
    ...(args.no_block && ["start", "stop", "restart", "reload"].includes(verb) ? ["--no-block"] : []),
    ...(args.force && ["enable", "disable", "mask"].includes(verb) ? ["--force"] : []),
  ];
  return systemctl(args, verb, ...flags, "--", args.name!);
}

export const systemd = defineOperation<SystemdArgs, SystemdState, SystemdPlan>({
  name: "systemd",
  aliases: ["systemd_service", "service"],
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1, aliases: ["service", "unit"] },
      state: { type: "string", enum: ["started", "stopped", "restarted", "reloaded"] },
      enabled: { type: "boolean" },
      masked: { type: "boolean" },
      daemon_reload: { type: "boolean", aliases: ["daemon-reload"] },
      daemon_reexec: { type: "boolean", aliases: ["daemon-reexec"] },
      scope: { type: "string", enum: ["system", "user", "global"], default: "system" },
      no_block: { type: "boolean" },
      force: { type: "boolean" },
    },
    anyOf: [
      { required: ["state"] },
      { required: ["enabled"] },
      { required: ["masked"] },
      { required: ["daemon_reload"] },
      { required: ["daemon_reexec"] },
    ],
    allOf: [
      { if: { required: ["state"] }, then: { required: ["name"] } },
      { if: { required: ["enabled"] }, then: { required: ["name"] } },
      { if: { required: ["masked"] }, then: { required: ["name"] } },
    ],
  },
  async probe(ctx, args) {
    // daemon-reload/-reexec change no unit's state but make systemd see edited unit files; like
    // Ansible they run first, and not in check mode.
    const prelude = [
      ...(args.daemon_reload && !ctx.check ? [{ name: "daemonReload", command: systemctl(args, "daemon-reload") }] : []),
      ...(args.daemon_reexec && !ctx.check ? [{ name: "daemonReexec", command: systemctl(args, "daemon-reexec") }] : []),
    ];
    const unit = args.name === undefined ? [] : [
      { name: "show", command: `${systemctl(args, "show", "--", args.name)} 2>&1` },
      { name: "isEnabled", command: `${systemctl(args, "is-enabled", "--", args.name)} 2>/dev/null` },
    ];
    const get = await runSections(ctx, [...prelude, ...unit]);
    for (const step of prelude) {
      const { rc } = get(step.name);
      if (rc !== 0) throw new ModuleFailure(`failure ${rc} during ${step.name === "daemonReload" ? "daemon-reload" : "daemon-reexec"}`);
    }
    if (args.name === undefined) return { status: {}, isEnabled: "", isEnabledRc: 1 };
    const show = get("show");
    const enabled = get("isEnabled");
    // show answers even for unknown units; failing means systemd itself cannot be asked.
    if (show.rc !== 0) throw new ModuleFailure(`systemctl cannot query ${args.name} (rc ${show.rc}): ${show.text.trim()}`);
    return {
      status: parseSystemctlShow(show.text),
      isEnabled: enabled.text.split("\n")[0].trim(),
      isEnabledRc: enabled.rc,
    };
  },
  plan: (args, state) => planSystemd(args, state),
  async apply(ctx, args, plan) {
    await runAll(ctx, plan.actions.map((verb) => verbCommand(args, verb)), `${plan.actions.join(", ")} ${args.name}`);
  },
});
