// File probes read over SFTP (and the local file system) must say exactly what the shell's
// `stat` probe says, for every kind of path; where they cannot, they must step aside so the
// shell answers. Real host, real sshd and sftp-server; the local connection on a real directory.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalConnection } from "../../../src/engine/connection/local-connection.js";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import type { BecomeSpec, Connection } from "../../../src/engine/connection/types.js";
import { inspectGroups, INSPECT_READ_LIMIT } from "../../../src/modules/lib/file-inspect.js";
import { parseGuardedProbeOutput, probeGroups, probeGroupsScript, type FileState, type ProbeGroup } from "../../../src/modules/lib/file-state.js";
import type { ModuleContext } from "../../../src/modules/types.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

/** The fixture: one path of each kind under ROOT (a shell script, run on the host or locally). */
function fixtureScript(root: string): string {
  return `set -e
rm -rf ${root}; mkdir -p ${root}/dir/sub ${root}/closed
cd ${root}
printf 'hello\\n' > file; : > empty; printf '\\0\\377bin' > binary; printf 'x' > 'with space'
chmod 4755 file; chmod 1777 dir; chmod 0640 empty; chmod 0700 closed; printf s > closed/secret
ln -s file link-to-file; ln -s dir link-to-dir; ln -s missing dangling; ln -s loop-b loop-a; ln -s loop-a loop-b
ln -s link-to-file link-chain; mkfifo fifo; ln file hardlink
head -c ${INSPECT_READ_LIMIT + 10} /dev/zero > large`;
}

const KINDS = ["file", "hardlink", "empty", "binary", "with space", "dir", "dir/sub", "closed", "link-to-file", "link-to-dir", "dangling", "loop-a", "link-chain", "fifo", "large", "missing", "file/under-a-file", "dangling/x"];

function groupsUnder(root: string): ProbeGroup[] {
  const paths = KINDS.map((k) => `${root}/${k}`);
  return [
    { paths },
    { paths, options: { follow: true } },
    { paths: paths.filter((p) => !p.endsWith("/large")), options: { checksum: "sha256" } },
    { paths: paths.filter((p) => !p.endsWith("/large")), options: { checksum: "sha1", follow: true } },
    { paths: [`${root}/dir`], onlyIf: { path: `${root}/link-to-dir`, is: "link" } },
    { paths: [`${root}/dir`], onlyIf: { path: `${root}/dir`, is: "link" } },
    { paths: [`${root}/file`], onlyIf: { path: `${root}/dangling`, is: "missing" } },
    { paths: [`${root}/file`], onlyIf: { path: `${root}/link-to-file`, is: "missing" } },
  ];
}

function contextFor(conn: Connection, become?: BecomeSpec): ModuleContext {
  return {
    host: conn.host,
    conn,
    check: false,
    diff: false,
    ...(become ? { become } : {}),
    facts: {},
    vars: {},
    findFile: (p) => p,
    renderTemplate: () => "",
  };
}

/** What the shell's probe says, without the fields only it reads (with `linkCounts`, a regular file's nlink stays). */
async function shellProbe(ctx: ModuleContext, groups: ProbeGroup[], linkCounts = false): Promise<(FileState | undefined)[]> {
  const r = await ctx.conn.run(probeGroupsScript(groups), ctx.become ? { become: ctx.become } : {});
  expect(r.rc).toBe(0);
  return parseGuardedProbeOutput(groups.flatMap((g) => g.paths), r.stdout).map((s) => {
    if (!s?.exists) return s;
    const { nlink, inode: _i, device: _d, ...rest } = s;
    return linkCounts && s.type === "file" ? { ...rest, nlink } : rest;
  });
}

let bed: TestHosts;
let root: SshConnection;
let deploy: SshConnection;

beforeAll(async () => {
  bed = await startHosts(1, { light: true, names: "probe" });
  root = new SshConnection(specFor(bed, bed.hosts[0]));
  deploy = new SshConnection(specFor(bed, bed.hosts[0], { user: bed.deployUser, password: bed.deployPassword, privateKeyFiles: [] }));
  const setUp = await bed.hosts[0].exec(fixtureScript("/srv/kinds"));
  expect(setUp.rc, setUp.stderr).toBe(0);
});

afterAll(async () => {
  await Promise.all([root?.close(), deploy?.close()]);
  await bed?.stopAll();
});

describe("probes without the shell", () => {
  it("say what the shell's probe says for every kind of path, over SFTP as root", async () => {
    const ctx = contextFor(root);
    const groups = groupsUnder("/srv/kinds");
    const inspected = await inspectGroups(ctx, groups);
    expect(inspected).toBeDefined();
    expect(inspected).toEqual(await shellProbe(ctx, groups));
    // The loop, the fifo and the sticky/setuid modes really were among them.
    expect(inspected!.filter((s) => s?.exists && s.type === "other")).not.toHaveLength(0);
    expect(inspected).toContainEqual(expect.objectContaining({ path: "/srv/kinds/file", mode: "4755", checksum: expect.stringMatching(/^[0-9a-f]{64}$/) }));
  });

  it("say what the shell's probe says on the local connection", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kplay-kinds-"));
    const local = new LocalConnection();
    try {
      const setUp = await local.run(fixtureScript(path.join(dir, "kinds")));
      expect(setUp.rc, setUp.stderr).toBe(0);
      const ctx = contextFor(local);
      const groups = groupsUnder(path.join(dir, "kinds"));
      const inspected = await inspectGroups(ctx, groups);
      expect(inspected).toBeDefined();
      expect(inspected).toEqual(await shellProbe(ctx, groups));
    } finally {
      await local.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("count a regular file's hard links as the shell does, when asked (the file module's `hard` state)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kplay-kinds-"));
    const local = new LocalConnection();
    try {
      expect((await local.run(fixtureScript(path.join(dir, "kinds")))).rc).toBe(0);
      for (const [ctx, root_] of [[contextFor(root), "/srv/kinds"], [contextFor(local), path.join(dir, "kinds")]] as const) {
        const groups: ProbeGroup[] = [{ paths: KINDS.map((k) => `${root_}/${k}`) }];
        const inspected = await inspectGroups(ctx, groups, { linkCounts: true });
        expect(inspected).toEqual(await shellProbe(ctx, groups, true));
        expect(inspected).toContainEqual(expect.objectContaining({ path: `${root_}/hardlink`, nlink: 2 }));
      }
    } finally {
      await local.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("step aside for a file too large to sum over SFTP; the shell sums it", async () => {
    const ctx = contextFor(root);
    const groups: ProbeGroup[] = [{ paths: ["/srv/kinds/large"], options: { checksum: "sha256" } }];
    expect(await inspectGroups(ctx, groups)).toBeUndefined();
    const [large] = await probeGroups(ctx, groups);
    expect(large).toMatchObject({ exists: true, size: INSPECT_READ_LIMIT + 10, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("step aside where the login user may not look (become root as a sudoer): the shell, as root, answers", async () => {
    const become = { user: "root", password: bed.deployPassword };
    const ctx = contextFor(deploy, become);
    const groups: ProbeGroup[] = [{ paths: ["/srv/kinds/closed/secret"], options: { checksum: "sha256" } }, { paths: ["/srv/kinds/file"] }];
    expect(await inspectGroups(ctx, groups)).toBeUndefined();
    expect(await probeGroups(ctx, groups)).toEqual(await shellProbe(ctx, groups).then((states) => states.map((s) => expect.objectContaining(s!))));
    // What the sudoer may read is read over SFTP, and matches what root's shell says.
    const open = groupsUnder("/srv/kinds").filter((g) => g.paths.every((p) => !p.includes("/closed")));
    const inspected = await inspectGroups(ctx, open);
    expect(inspected).toBeDefined();
    expect(inspected).toEqual(await shellProbe(ctx, open));
  });

  it("step aside for another become user, whose view SFTP does not show", async () => {
    expect(await inspectGroups(contextFor(root, { user: "nobody" }), [{ paths: ["/srv/kinds/file"] }])).toBeUndefined();
  });

  it("name owners a task created, and step aside for ids without a name", async () => {
    const ctx = contextFor(root);
    const probe = (p: string) => inspectGroups(ctx, [{ paths: [p] }]);
    expect(await probe("/srv/kinds/file")).toBeDefined(); // names cached from here on
    // A task adds the user: the connection sent a command, so the account files are looked at again.
    await root.run("useradd kplay-late && touch /srv/kinds/late && chown kplay-late:kplay-late /srv/kinds/late");
    expect(await probe("/srv/kinds/late")).toEqual([expect.objectContaining({ owner: "kplay-late", group: "kplay-late" })]);
    // Made behind kplay's back (docker exec), an owner is not in the cached names: the shell names it.
    await bed.hosts[0].exec("useradd kplay-behind && touch /srv/kinds/behind && chown kplay-behind /srv/kinds/behind && touch /srv/kinds/orphan && chown 4242:4242 /srv/kinds/orphan");
    expect(await probe("/srv/kinds/behind")).toBeUndefined();
    expect(await probeGroups(ctx, [{ paths: ["/srv/kinds/behind"] }])).toEqual([expect.objectContaining({ owner: "kplay-behind" })]);
    expect(await probe("/srv/kinds/orphan")).toBeUndefined();
    expect(await probeGroups(ctx, [{ paths: ["/srv/kinds/orphan"] }])).toEqual([expect.objectContaining({ owner: "UNKNOWN", uid: 4242 })]);
  });
});
