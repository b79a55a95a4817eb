import { describe, expect, it } from "vitest";
import { systemd, parseSystemctlShow, planSystemd, systemctl, type SystemdArgs, type SystemdState } from "../../../src/modules/systemd.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const args = (more: Partial<SystemdArgs>): SystemdArgs => ({ name: "web.service", scope: "system", ...more });
const unit = (active: string, isEnabled: string, rc = isEnabled === "enabled" || isEnabled === "static" ? 0 : 1): SystemdState => ({
  status: { LoadState: "loaded", ActiveState: active, Id: "web.service" },
  isEnabled,
  isEnabledRc: rc,
});

describe("systemd planning", () => {
  it("parses systemctl show, keeping = inside values", () => {
    expect(parseSystemctlShow("Id=a.service\nExecStart={ path=/bin/sleep ; argv[]=/bin/sleep 1 }\n")).toEqual({
      Id: "a.service",
      ExecStart: "{ path=/bin/sleep ; argv[]=/bin/sleep 1 }",
    });
  });

  it("starts a stopped unit and enables it, in Ansible's order", () => {
    const plan = planSystemd(args({ state: "started", enabled: true, masked: false }), unit("inactive", "masked"));
    expect(plan.actions).toEqual(["unmask", "enable", "start"]);
    expect(plan.result).toMatchObject({ enabled: true, state: "started" });
  });

  it("is a no-op when the unit already matches", () => {
    expect(planSystemd(args({ state: "started", enabled: true }), unit("active", "enabled")).changed).toBe(false);
    expect(planSystemd(args({ state: "stopped", enabled: false }), unit("inactive", "disabled")).changed).toBe(false);
    // static units count as enabled, as in Ansible
    expect(planSystemd(args({ enabled: true }), unit("inactive", "static")).changed).toBe(false);
  });

  it("treats indirect units as disabled", () => {
    expect(planSystemd(args({ enabled: true }), unit("inactive", "indirect", 0)).actions).toEqual(["enable"]);
  });

  it("always restarts or reloads a running unit, and starts a stopped one", () => {
    expect(planSystemd(args({ state: "restarted" }), unit("active", "enabled")).actions).toEqual(["restart"]);
    expect(planSystemd(args({ state: "reloaded" }), unit("active", "enabled")).actions).toEqual(["reload"]);
    expect(planSystemd(args({ state: "reloaded" }), unit("failed", "enabled")).actions).toEqual(["start"]);
  });

  it("stops a deactivating unit", () => {
    expect(planSystemd(args({ state: "stopped" }), unit("deactivating", "enabled")).actions).toEqual(["stop"]);
  });

  it("fails on a unit systemd does not know, with Ansible's message", () => {
    const missing: SystemdState = { status: { LoadState: "not-found", ActiveState: "inactive" }, isEnabled: "", isEnabledRc: 1 };
    expect(() => planSystemd(args({ state: "started" }), missing)).toThrow("Could not find the requested service web.service: host");
    // masking works on units that are not installed
    expect(planSystemd(args({ masked: true }), missing).actions).toEqual(["mask"]);
  });

  it("shows before/after of state, enablement and masking", () => {
    const plan = planSystemd(args({ state: "started" }), unit("inactive", "enabled"));
    expect(plan.diff?.[0]).toMatchObject({ before: expect.stringContaining("state: stopped"), after: expect.stringContaining("state: started") });
  });

  it("adds the scope flag", () => {
    expect(systemctl(args({ scope: "user" }), "start", "--", "a b")).toBe("systemctl --user start -- 'a b'");
  });
});

describe("systemd arguments", () => {
  it("accepts Ansible's spellings", () => {
    const { args: a, errors } = normalizeModuleArgs<SystemdArgs>(systemd, { service: "ssh", "daemon-reload": "yes", enabled: "no" });
    expect(errors).toEqual([]);
    expect(a).toMatchObject({ name: "ssh", daemon_reload: true, enabled: false, scope: "system" });
  });

  it("needs something to do, and a name for unit actions", () => {
    expect(normalizeModuleArgs(systemd, { name: "ssh" }).errors.map((e) => e.message).join()).toMatch(/one of `state`, `enabled`/);
    expect(normalizeModuleArgs(systemd, { state: "started" }).errors.map((e) => e.message)).toEqual(["systemd: missing required argument `name`"]);
    expect(normalizeModuleArgs(systemd, { daemon_reload: true }).errors).toEqual([]);
    expect(normalizeModuleArgs(systemd, { name: "ssh", state: "start" }).errors[0].message).toMatch(/did you mean `started`/);
  });
});
