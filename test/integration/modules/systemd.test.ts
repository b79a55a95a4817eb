// systemd on a real host (systemd is PID 1 in the test containers) with a unit the test installs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;
const UNIT = "kplay-demo.service";

beforeAll(async () => {
  bed = await startHosts(1, { names: "systemd" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
  const unit = "[Unit]\nDescription=kplay demo\n\n[Service]\nExecStart=/bin/sleep infinity\nExecReload=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n";
  await host.exec(`printf '%s' '${unit}' > /lib/systemd/system/${UNIT}`); // where packages put units: masking needs /etc free
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

async function systemctl(verb: string): Promise<string> {
  return (await host.exec(`systemctl ${verb} ${UNIT}`)).stdout.trim();
}

describe("systemd", () => {
  it("reloads systemd, starts and enables a new unit, then reports ok", async () => {
    const args = { name: UNIT, state: "started", enabled: true, daemon_reload: true };
    const first = await runModule(conn, "systemd", args);
    expect(first).toMatchObject({ changed: true, name: UNIT, state: "started", enabled: true });
    expect(await systemctl("is-active")).toBe("active");
    expect(await systemctl("is-enabled")).toBe("enabled");

    const second = await runModule(conn, "systemd", { name: UNIT, state: "started", enabled: true });
    expect(second.changed).toBe(false);
    expect((second.status as Record<string, string>).ActiveState).toBe("active");
    expect(second.sent.runs).toHaveLength(1);
  });

  it("check mode reports a stop and shows it, leaving the unit running", async () => {
    const r = await runModule(conn, "systemd_service", { name: UNIT, state: "stopped", enabled: false }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff?.[0]).toMatchObject({ before: "state: started\nenabled: true\nmasked: false\n", after: "state: stopped\nenabled: false\nmasked: false\n" });
    expect(await systemctl("is-active")).toBe("active");
    expect(await systemctl("is-enabled")).toBe("enabled");
  });

  it("restarts every time, as Ansible does", async () => {
    const pid = await host.exec(`systemctl show -p MainPID --value ${UNIT}`);
    const r = await runModule(conn, "service", { name: UNIT, state: "restarted" });
    expect(r.changed).toBe(true);
    const after = await host.exec(`systemctl show -p MainPID --value ${UNIT}`);
    expect(after.stdout).not.toBe(pid.stdout);
  });

  it("stops, disables and masks, then unmasks", async () => {
    const r = await runModule(conn, "systemd", { name: UNIT, state: "stopped", enabled: false });
    expect(r.msg).toBeUndefined();
    expect(r.changed).toBe(true);
    expect(await systemctl("is-active")).toBe("inactive");
    expect(await systemctl("is-enabled")).toBe("disabled");

    const masked = await runModule(conn, "systemd", { name: UNIT, masked: true });
    expect(masked.msg).toBeUndefined();
    expect(masked.changed).toBe(true);
    expect(await systemctl("is-enabled")).toBe("masked");
    expect((await runModule(conn, "systemd", { name: UNIT, masked: true })).changed).toBe(false);
    expect((await runModule(conn, "systemd", { name: UNIT, masked: false })).changed).toBe(true);
    expect(await systemctl("is-enabled")).toBe("disabled");
  });

  it("masks a unit that is not installed (Kubespray masks swap.target this way)", async () => {
    const r = await runModule(conn, "systemd", { name: "kplay-absent.service", masked: true });
    expect(r.changed).toBe(true);
    expect((await host.exec("systemctl is-enabled kplay-absent.service")).stdout.trim()).toBe("masked");
  });

  it("fails on a unit that does not exist", async () => {
    const r = await runModule(conn, "systemd", { name: "kplay-nope.service", state: "started" });
    expect(r).toMatchObject({ failed: true, msg: "Could not find the requested service kplay-nope.service: host" });
  });

  it("rejects invalid arguments before any remote command", async () => {
    const r = await runModule(conn, "systemd", { name: UNIT, state: "running" });
    expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    const none = await runModule(conn, "systemd", { name: UNIT });
    expect(none).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
  });
});
