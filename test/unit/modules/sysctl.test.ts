import { describe, expect, it } from "vitest";
import { sysctl, editSysctlFile, planSysctl, procPath, sysctlValue, type SysctlArgs } from "../../../src/modules/sysctl.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const base: SysctlArgs = {
  name: "net.ipv4.ip_forward",
  value: "1",
  state: "present",
  sysctl_file: "/etc/sysctl.d/99-kplay.conf",
  reload: true,
  sysctl_set: false,
  ignoreerrors: false,
};

describe("sysctl planning", () => {
  it("normalizes values the way Ansible does", () => {
    expect(sysctlValue(true)).toBe("1");
    expect(sysctlValue("no")).toBe("0");
    expect(sysctlValue(" 4096 87380 ")).toBe("4096 87380");
    expect(sysctlValue(65536)).toBe("65536");
  });

  it("maps dotted and slashed names to /proc/sys", () => {
    expect(procPath("net.ipv4.ip_forward")).toBe("/proc/sys/net/ipv4/ip_forward");
    expect(procPath("net/ipv4/conf/eth0.100/forwarding")).toBe("/proc/sys/net/ipv4/conf/eth0.100/forwarding");
  });

  it("replaces the first setting in place, drops duplicates and keeps comments", () => {
    const text = "# forwarding\nnet.ipv4.ip_forward = 0\nvm.swappiness=10\nnet.ipv4.ip_forward=0\n";
    expect(editSysctlFile(text, "net.ipv4.ip_forward", "1", "present")).toBe(
      "# forwarding\nnet.ipv4.ip_forward=1\nvm.swappiness=10\n",
    );
    expect(editSysctlFile(text, "net.ipv4.ip_forward", "0", "absent")).toBe("# forwarding\nvm.swappiness=10\n");
    expect(editSysctlFile("", "a.b", "2", "present")).toBe("a.b=2\n");
  });

  it("keeps a line that already holds the value untouched", () => {
    const text = "net.ipv4.ip_forward = 1\n";
    expect(planSysctl(base, { live: "1", file: text }).changed).toBe(false);
  });

  it("changes the live value when the file is right but the kernel is not", () => {
    const plan = planSysctl(base, { live: "0", file: "net.ipv4.ip_forward=1\n" });
    expect(plan.changed).toBe(true);
    expect(plan.fileAfter).toBeUndefined();
    expect(plan.liveAfter).toBe("1");
    expect(plan.diff?.[0].beforeHeader).toBe("/proc/sys/net/ipv4/ip_forward (live)");
  });

  it("leaves the live value alone with reload and sysctl_set off", () => {
    const plan = planSysctl({ ...base, reload: false }, { live: "0", file: "net.ipv4.ip_forward=1\n" });
    expect(plan.changed).toBe(false);
  });

  it("compares multi-valued keys word by word", () => {
    const args = { ...base, name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" };
    expect(planSysctl(args, { live: "4096\t87380\t6291456", file: "net.ipv4.tcp_rmem=4096 87380 6291456\n" }).changed).toBe(false);
  });

  it("fails on a key the kernel lacks, naming the module that provides it", () => {
    const args = { ...base, name: "net.bridge.bridge-nf-call-iptables" };
    expect(() => planSysctl(args, {})).toThrow(/does not exist on this kernel.*modprobe: name=br_netfilter/);
    expect(planSysctl({ ...args, ignoreerrors: true }, {}).changed).toBe(true);
  });

  it("removes the key from the file with state absent, without touching the kernel", () => {
    const plan = planSysctl({ ...base, state: "absent" }, { live: "1", file: "net.ipv4.ip_forward=1\n" });
    expect(plan).toMatchObject({ changed: true, fileAfter: "" });
    expect(plan.liveAfter).toBeUndefined();
    expect(planSysctl({ ...base, state: "absent" }, { live: "1" }).changed).toBe(false);
  });
});

describe("sysctl arguments", () => {
  it("accepts Ansible's aliases and fills defaults", () => {
    const { args, errors } = normalizeModuleArgs<SysctlArgs>(sysctl, { key: "net.ipv4.ip_forward", val: 1, reload: "yes" });
    expect(errors).toEqual([]);
    expect(args).toMatchObject({ name: "net.ipv4.ip_forward", value: "1", state: "present", reload: true, sysctl_file: "/etc/sysctl.d/99-kplay.conf" });
  });

  it("requires a value when present and rejects unknown arguments", () => {
    expect(normalizeModuleArgs(sysctl, { name: "a.b" }).errors.map((e) => e.message)).toEqual([
      "sysctl: missing required argument `value`",
    ]);
    expect(normalizeModuleArgs(sysctl, { name: "a.b", value: 1, sysctlfile: "/x" }).errors[0].message).toMatch(/did you mean `sysctl_file`/);
    expect(normalizeModuleArgs(sysctl, { name: "a.b", value: "1\nkernel.panic=1" }).errors).toHaveLength(1);
    expect(normalizeModuleArgs(sysctl, { name: "a.b; reboot", value: "1" }).errors).toHaveLength(1);
  });
});
