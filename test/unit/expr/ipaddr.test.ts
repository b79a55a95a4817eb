// Expected values were checked against ansible.utils' ipaddr filters (netaddr) under ansible-core 2.14.
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { evaluate } from "../../../src/engine/expr/index.js";

describe("ipaddr", () => {
  it.each([
    ["'10.233.0.0/18' | ipaddr('net')", "10.233.0.0/18"],
    ["kube_service_addresses | ipaddr('net') | ipaddr(1) | ipaddr('address')", "10.233.0.1"],
    ["'10.233.0.0/18' | ipaddr('prefix')", 18],
    ["'10.233.5.7/18' | ipaddr('network')", "10.233.0.0"],
    ["'10.233.5.7/18' | ipaddr('net')", null],
    ["'10.233.0.0/18' | ipaddr('address')", null],
    ["'10.233.0.0/18' | ipaddr('host')", null],
    ["'10.233.5.7/18' | ipaddr('host')", "10.233.5.7/18"],
    ["'10.233.5.7/18' | ipaddr('subnet')", "10.233.0.0/18"],
    ["'10.0.0.0/24' | ipaddr(-1)", "10.0.0.255/24"],
    ["'10.0.0.0/24' | ipaddr('300')", false],
    ["'10.0.0.5/24' | ipaddr('broadcast')", "10.0.0.255"],
    ["'10.0.0.5/24' | ipaddr('netmask')", "255.255.255.0"],
    ["'10.0.0.5/255.255.0.0' | ipaddr('prefix')", 16],
    ["'10.0.0.5/24' | ipaddr('size')", 256],
    ["'10.0.0.5/24' | ipaddr('first_usable')", "10.0.0.1"],
    ["'10.0.0.5/24' | ipaddr('last_usable')", "10.0.0.254"],
    ["'10.0.0.5/24' | ipaddr('10.0.0.0/16')", "10.0.0.5/24"],
    ["'10.1.0.5/24' | ipaddr('10.0.0.0/16')", false],
    ["'10.0.0.5/24' | ipaddr('address/prefix')", "10.0.0.5/24"],
    ["'10.0.0.1' | ipaddr", "10.0.0.1"],
    ["'localhost' | ipaddr", false],
    ["'10.0.0.256' | ipaddr", false],
    ["['10.0.0.1', 'x', 'fe80::1'] | ipaddr", ["10.0.0.1", "fe80::1"]],
    ["['10.0.0.1', 'fe80::1'] | ipv4", ["10.0.0.1"]],
    ["'10.0.0.5' | ipv6", false],
    ["'fe80::1/64' | ipv6('prefix')", 64],
    ["'fd85:ee78:d8a6:8607::1:0/112' | ipaddr('net') | ipaddr(1) | ipaddr('address')", "fd85:ee78:d8a6:8607::1:1"],
    ["'10.0.0.0/8' | nthhost(305)", "10.0.1.49"],
    ["'10.0.0.0/24' | nthhost(-1)", "10.0.0.255"],
    ["'192.168.1.5' | ipmath(5)", "192.168.1.10"],
    ["'192.168.1.5/24' | ipmath(-6)", "192.168.0.255"],
    ["'192.168.0.0/16' | ipsubnet(20)", 16],
    ["'192.168.0.0/16' | ipsubnet(20, 2)", "192.168.32.0/20"],
    ["'10.0.0.5' | ipwrap", "10.0.0.5"],
    ["'::1' | ipwrap", "[::1]"],
    ["'10.0.0.1' | ipaddr('private')", "10.0.0.1"],
    ["'8.8.8.8' | ipaddr('public')", "8.8.8.8"],
  ])("%s", (text, value) => {
    expect(evaluate(text, { kube_service_addresses: "10.233.0.0/18" })).toEqual(value);
  });

  it("an unknown query is an error listing the known ones", () => {
    try {
      evaluate("'10.0.0.0/8' | ipaddr('nett')", {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KplayError);
      expect((e as KplayError).message).toBe("ipaddr: unknown query 'nett'");
      expect((e as KplayError).context.hint).toContain("net, subnet");
    }
  });
});
