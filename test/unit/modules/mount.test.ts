import { describe, expect, it } from "vitest";
import { escapeFstab, planMount, removeFstabEntry, setFstabEntry, type MountArgs, type MountState } from "../../../src/modules/mount.js";

const args = (more: Partial<MountArgs>): MountArgs => ({ path: "/data", dump: "0", passno: "0", state: "present", fstab: "/etc/fstab", boot: true, ...more });
const host = (more: Partial<MountState> = {}): MountState => ({ fstab: "", mountPoints: [], swaps: [], ...more });

describe("fstab editing", () => {
  it("escapes whitespace the way fstab spells it", () => {
    expect(escapeFstab("/mnt/my data\\x")).toBe("/mnt/my\\040data\\134x");
  });

  it("rewrites a matching entry in place and appends a missing one", () => {
    const text = "# static\n/dev/sdb1 /data ext4 defaults 0 2\n";
    expect(setFstabEntry(text, args({ src: "/dev/sdb1", fstype: "ext4", opts: "noatime", passno: "2" }))).toBe("# static\n/dev/sdb1 /data ext4 noatime 0 2\n");
    expect(setFstabEntry(text, args({ path: "/logs", src: "/dev/sdc1", fstype: "xfs" }))).toBe(`${text}/dev/sdc1 /logs xfs defaults 0 0\n`);
  });

  it("marks entries that must not mount at boot with noauto", () => {
    expect(setFstabEntry("", args({ src: "tmpfs", fstype: "tmpfs", boot: false }))).toBe("tmpfs /data tmpfs defaults,noauto 0 0\n");
  });

  it("keeps lines it cannot parse, and an unchanged text byte for byte", () => {
    const text = "garbage line\n/dev/sdb1 /data ext4 defaults 0 0\n";
    expect(removeFstabEntry(text, args({ path: "/other" }))).toBe(text);
    expect(removeFstabEntry(text, args({}))).toBe("garbage line\n");
  });

  it("removes every swap entry for Kubespray's swap-off, telling `none` entries apart by source when given", () => {
    const text = "/swap1 none swap sw 0 0\n/swap2 none swap sw 0 0\nUUID=1 swap swap defaults 0 0\n";
    expect(removeFstabEntry(text, args({ path: "none", fstype: "swap" }))).toBe("UUID=1 swap swap defaults 0 0\n");
    expect(removeFstabEntry(text, args({ path: "none", src: "/swap2", fstype: "swap" }))).toBe("/swap1 none swap sw 0 0\nUUID=1 swap swap defaults 0 0\n");
  });
});

describe("mount planning", () => {
  it("mounts with explicit type, options and source, creating the mount point", () => {
    const plan = planMount(args({ state: "mounted", src: "/dev/sdb1", fstype: "ext4" }), host());
    expect(plan.commands).toEqual(["mkdir -p -- /data && mount -t ext4 -o defaults -- /dev/sdb1 /data"]);
  });

  it("swaps on and off by source", () => {
    const swap = args({ path: "none", src: "/swapfile", fstype: "swap", state: "mounted" });
    expect(planMount(swap, host()).commands).toEqual(["swapon -- /swapfile"]);
    expect(planMount(swap, host({ fstab: "/swapfile none swap defaults 0 0\n", swaps: ["/swapfile"] })).changed).toBe(false);
    expect(planMount({ ...swap, state: "unmounted" }, host({ swaps: ["/swapfile"] })).commands).toEqual(["swapoff -- /swapfile"]);
  });

  it("needs the swap source to swap on or off", () => {
    expect(() => planMount(args({ path: "none", state: "unmounted" }), host({ fstab: "/sw none swap sw 0 0\n" }))).toThrow(/needs `src`/);
  });

  it("remounts a mounted filesystem", () => {
    expect(planMount(args({ state: "remounted", opts: "ro" }), host({ mountPoints: ["/data"] })).commands).toEqual(["mount -o remount,ro -- /data"]);
  });
});
