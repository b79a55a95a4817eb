import { describe, expect, it } from "vitest";
import { kernelName, planModprobe, probeModprobeScript, type ModprobeArgs, type ModprobeState } from "../../../src/modules/modprobe.js";

const args = (more: Partial<ModprobeArgs> = {}): ModprobeArgs => ({ name: "ip_vs", state: "present", params: "", persistent: "disabled", ...more });
const loadable = (more: Partial<ModprobeState> = {}): ModprobeState => ({ loaded: false, builtin: false, available: true, loadedElsewhere: [], ...more });

describe("modprobe planning for a loadable module", () => {
  it("loads a module that is available but not loaded, with its parameters", () => {
    const plan = planModprobe(args({ params: "conn_tab_bits=12" }), loadable());
    expect(plan.commands).toEqual(["modprobe -- ip_vs conn_tab_bits=12"]);
    expect(plan.diff?.[0]).toMatchObject({ before: "state: not loaded\n", after: "state: loaded\n" });
  });

  it("does nothing for a loaded module (as /proc/modules shows it)", () => {
    expect(planModprobe(args(), loadable({ loaded: true })).changed).toBe(false);
  });

  it("unloads a loaded module and leaves an unloaded one alone", () => {
    expect(planModprobe(args({ state: "absent" }), loadable({ loaded: true })).commands).toEqual(["modprobe -r -- ip_vs"]);
    expect(planModprobe(args({ state: "absent" }), loadable()).changed).toBe(false);
  });

  it("loads and persists in one plan, and only rewrites files that differ", () => {
    const plan = planModprobe(args({ persistent: "present", params: "a=1  b=2" }), loadable({ loadFile: "ip_vs\n", optionsFile: "options ip_vs a=1\n" }));
    expect(plan.commands).toEqual(["modprobe -- ip_vs a=1 b=2"]);
    expect(plan.writes).toEqual([["/etc/modprobe.d/ip_vs.conf", "options ip_vs a=1 b=2\n"]]);
  });

  it("writes no load file when another modules-load.d file already loads the module", () => {
    const plan = planModprobe(args({ persistent: "present" }), loadable({ loaded: true, loadedElsewhere: ["/etc/modules-load.d/kubespray-ip_vs.conf"] }));
    expect(plan.changed).toBe(false);
  });

  it("fails when the module cannot be found", () => {
    expect(() => planModprobe(args(), loadable({ available: false }))).toThrow(/kernel module ip_vs not found/);
  });

  it("never loads a built-in module", () => {
    expect(planModprobe(args(), loadable({ builtin: true, available: true })).changed).toBe(false);
  });
});

describe("modprobe probe", () => {
  it("looks the kernel's spelling up in /proc/modules and both spellings in modules.builtin", () => {
    expect(kernelName("nf-conntrack")).toBe("nf_conntrack");
    const [loaded, builtin] = probeModprobeScript("nf-conntrack");
    expect(loaded.command).toBe("grep -q -- '^nf_conntrack ' /proc/modules");
    expect(builtin.command).toContain("/nf[-_]conntrack\\.ko(\\.[a-z]+)?$");
    expect(builtin.command).toContain("[ -e /proc/sys/net/netfilter/nf_conntrack_max ] && exit 0");
  });
});
