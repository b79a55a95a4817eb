// The setup module's parser, fed the output its script prints on a Debian host.
import { expect, test } from "vitest";
import { factsFromOutput } from "../../../src/modules/setup.js";

const OUTPUT = `@@uname
Linux
6.1.0-18-amd64
#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)
x86_64
node1.example.com
@@os_release
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION_CODENAME=bookworm
ID=debian
@@debian_version
12.5
@@hostname
node1
node1.example.com
@@meminfo
MemTotal:        4030000 kB
MemFree:         1024000 kB
SwapTotal:             0 kB
@@cpuinfo
processor	: 0
model name	: Intel(R) Xeon(R)
physical id	: 0
cpu cores	: 2
processor	: 1
model name	: Intel(R) Xeon(R)
physical id	: 0
cpu cores	: 2
@@nproc
2
@@init
systemd
@@pkg
apt-get
@@machine_id
0123456789abcdef0123456789abcdef
@@product_uuid
@@route4
default via 172.18.0.1 dev eth0
@@route6
@@addr
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
12: eth0    inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0\\       valid_lft forever preferred_lft forever
12: eth0    inet6 fe80::42:acff:fe12:3/64 scope link \\       valid_lft forever preferred_lft forever
@@link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
12: eth0@if13: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 02:42:ac:12:00:03 brd ff:ff:ff:ff:ff:ff link-netnsid 0
@@user
root
/root
0
0
@@env
HOME=/root
PATH=/usr/sbin:/usr/bin
@@date
1700000000
`;

test("facts carry Ansible's names and values", () => {
  const f = factsFromOutput(OUTPUT);
  expect(f).toMatchObject({
    system: "Linux",
    kernel: "6.1.0-18-amd64",
    architecture: "x86_64",
    hostname: "node1",
    fqdn: "node1.example.com",
    domain: "example.com",
    distribution: "Debian",
    distribution_version: "12.5",
    distribution_major_version: "12",
    distribution_release: "bookworm",
    os_family: "Debian",
    memtotal_mb: 3935,
    swaptotal_mb: 0,
    processor_vcpus: 2,
    processor_cores: 2,
    processor_count: 1,
    processor_threads_per_core: 1,
    service_mgr: "systemd",
    pkg_mgr: "apt",
    machine_id: "0123456789abcdef0123456789abcdef",
    product_uuid: "NA",
    all_ipv4_addresses: ["172.18.0.3"],
    all_ipv6_addresses: ["fe80::42:acff:fe12:3"],
    interfaces: ["lo", "eth0"],
    user_id: "root",
    env: { HOME: "/root", PATH: "/usr/sbin:/usr/bin" },
  });
  expect(f.default_ipv4).toEqual({
    address: "172.18.0.3", prefix: "16", netmask: "255.255.0.0", network: "172.18.0.0", broadcast: "172.18.255.255",
    interface: "eth0", alias: "eth0", gateway: "172.18.0.1", macaddress: "02:42:ac:12:00:03", mtu: 1500, type: "ether",
  });
  expect(f.default_ipv6).toEqual({});
  expect((f.eth0 as { ipv6: unknown[] }).ipv6).toEqual([{ address: "fe80::42:acff:fe12:3", prefix: "64", scope: "link" }]);
});

test("a RedHat-like distribution not in the table gets its family from ID_LIKE", () => {
  const f = factsFromOutput(OUTPUT.replace("ID=debian", 'ID=someel\nID_LIKE="rhel centos fedora"').replace('VERSION_ID="12"', 'VERSION_ID="9.3"'));
  expect(f.os_family).toBe("RedHat");
  expect(f.distribution_version).toBe("9.3");
  expect(f.distribution_major_version).toBe("9");
});
