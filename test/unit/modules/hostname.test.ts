import { describe, expect, it } from "vitest";
import { planHostname } from "../../../src/modules/hostname.js";

describe("hostname planning", () => {
  it("uses hostnamectl where it works", () => {
    expect(planHostname({ name: "cp1" }, { kernel: "old", file: "old", systemd: true }).commands).toEqual(["hostnamectl set-hostname cp1"]);
  });

  it("writes only what differs without systemd", () => {
    expect(planHostname({ name: "cp1" }, { kernel: "old", file: "cp1", systemd: false }).commands).toEqual(["printf '%s' cp1 > /proc/sys/kernel/hostname"]);
    expect(planHostname({ name: "cp1" }, { kernel: "cp1", systemd: false }).commands).toEqual(["printf '%s\\n' cp1 > /etc/hostname"]);
    expect(planHostname({ name: "cp1" }, { kernel: "cp1", file: "cp1", systemd: true }).changed).toBe(false);
  });

  it("refuses use=systemd without hostnamed", () => {
    expect(() => planHostname({ name: "cp1", use: "systemd" }, { kernel: "x", systemd: false })).toThrow(/systemd-hostnamed/);
  });

  it("returns the facts Ansible sets", () => {
    expect(planHostname({ name: "cp1.k8s.local" }, { kernel: "cp1.k8s.local", file: "cp1.k8s.local", systemd: false }).result).toMatchObject({
      ansible_facts: { ansible_hostname: "cp1", ansible_nodename: "cp1.k8s.local", ansible_domain: "k8s.local" },
    });
  });
});
