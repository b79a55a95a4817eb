// fetch: copies a remote file to the control machine, into DEST/HOST/SRC (or DEST itself with
// `flat`), skipping the transfer when the local copy already has the remote checksum.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat as localStat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, resolve } from "node:path";
import { probeFile, type FileState } from "./lib/file-state.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import type { JsonSchema } from "./types.js";

export interface FetchArgs {
  src: string;
  dest: string;
  flat: boolean;
  validate_checksum: boolean;
  fail_on_missing: boolean;
}

interface FetchProbe {
  remote: FileState;
  localPath: string;
  localChecksum?: string;
}

interface FetchPlan extends Plan {
  localPath: string;
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    src: { type: "string", minLength: 1 },
    dest: { type: "string", minLength: 1 },
    flat: { type: "boolean", default: false },
    validate_checksum: { type: "boolean", default: true, aliases: ["validate_md5"] },
    fail_on_missing: { type: "boolean", default: true },
  },
  required: ["src", "dest"],
  additionalProperties: false,
};

const sha1 = (data: Buffer) => createHash("sha1").update(data).digest("hex");

/** Where the file lands on the control machine, as Ansible decides it. */
export function fetchDestination(args: FetchArgs, host: string, baseDir: string, destIsDirectory: boolean): string {
  const dest = isAbsolute(args.dest) ? args.dest : resolve(baseDir, args.dest);
  if (!args.flat) return normalize(`${dest}/${host}/${args.src}`);
  if (args.dest.endsWith("/")) return normalize(join(dest, args.src.split("/").pop()!));
  if (destIsDirectory) throw new ModuleFailure("dest is an existing directory, use a trailing slash if you want to fetch src into that directory");
  return normalize(dest);
}

async function localState(path: string): Promise<{ isDirectory: boolean; checksum?: string }> {
  const info = await localStat(path).catch(() => undefined);
  if (!info) return { isDirectory: false };
  if (info.isDirectory()) return { isDirectory: true };
  return { isDirectory: false, checksum: sha1(await readFile(path)) };
}

export const fetchModule = defineOperation<FetchArgs, FetchProbe, FetchPlan>({
  name: "fetch",
  schema,
  async probe(ctx, args) {
    const remote = await probeFile(ctx, args.src, { checksum: "sha1", follow: true });
    const baseDir = typeof ctx.vars.playbook_dir === "string" ? ctx.vars.playbook_dir : process.cwd();
    const flatDest = args.flat && !args.dest.endsWith("/") ? await localState(resolve(baseDir, args.dest)) : undefined;
    const localPath = fetchDestination(args, ctx.host, baseDir, flatDest?.isDirectory ?? false);
    const local = flatDest ?? (await localState(localPath));
    return { remote, localPath, ...(local.checksum ? { localChecksum: local.checksum } : {}) };
  },
  plan(args, probe) {
    const { remote, localPath } = probe;
    if (!remote.exists) {
      if (!args.fail_on_missing) return { changed: false, localPath, msg: "the remote file does not exist, not transferring, ignored", result: { file: args.src } };
      throw new ModuleFailure("the remote file does not exist, not transferring, ignored", { file: args.src });
    }
    if (remote.type === "directory") throw new ModuleFailure("remote file is a directory, fetch cannot work on directories", { file: args.src });
    const changed = remote.checksum !== probe.localChecksum;
    return {
      changed,
      localPath,
      result: { dest: localPath, file: args.src, checksum: probe.localChecksum ?? null, remote_checksum: remote.checksum ?? null },
    };
  },
  async apply(ctx, args, plan, probe) {
    const data = await ctx.conn.get(args.src, ctx.become ? { become: ctx.become } : undefined);
    const checksum = sha1(data);
    const remoteChecksum = probe.remote.exists ? probe.remote.checksum : undefined;
    if (args.validate_checksum && checksum !== remoteChecksum) {
      throw new ModuleFailure(`checksum mismatch: fetched ${checksum}, remote file has ${remoteChecksum}`, {
        file: args.src,
        dest: plan.localPath,
        checksum,
        remote_checksum: remoteChecksum,
      });
    }
    await mkdir(dirname(plan.localPath), { recursive: true });
    // Written beside the destination, then renamed: a reader never sees half a file.
    const temp = `${plan.localPath}.kplay-${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, data);
    await rename(temp, plan.localPath);
    return { checksum };
  },
});
