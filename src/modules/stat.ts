// stat: reports what a path is (Ansible's `stat` return value) from one probe; never changes anything.
import { shellQuote } from "../engine/shell-quote.js";
import { parseProbeOutput, probeFilesScript, type ChecksumAlgorithm, type FileState } from "./lib/file-state.js";
import { defineOperation, type Plan } from "./lib/operation.js";
import { runRemote } from "./lib/remote.js";
import type { JsonSchema } from "./types.js";

export interface StatArgs {
  path: string;
  follow: boolean;
  get_checksum: boolean;
  checksum_algorithm: ChecksumAlgorithm;
  /** Accepted so Ansible playbooks port unchanged; kplay reports neither MIME type nor attributes. */
  get_mime?: boolean;
  get_attributes?: boolean;
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string", minLength: 1, aliases: ["dest", "name"] },
    follow: { type: "boolean", default: false },
    get_checksum: { type: "boolean", default: true },
    checksum_algorithm: {
      type: "string",
      enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
      default: "sha1",
      aliases: ["checksum", "checksum_algo"],
    },
    get_mime: { type: "boolean", aliases: ["mime", "mime_type", "mime-type"] },
    get_attributes: { type: "boolean", aliases: ["attr", "attributes"] },
  },
  required: ["path"],
  additionalProperties: false,
};

/** What the probe adds to the file state: access for the user the task runs as, the link's final target. */
export interface StatProbe {
  state: FileState;
  readable: boolean;
  writeable: boolean;
  executable: boolean;
  /** Absolute path a link resolves to. */
  lnkSource?: string;
}

/** Ansible's `stat` dictionary. */
export function statResult(probe: StatProbe): Record<string, unknown> {
  const s = probe.state;
  if (!s.exists) return { exists: false };
  return {
    exists: true,
    path: s.path,
    mode: s.mode,
    isdir: s.type === "directory",
    isreg: s.type === "file",
    islnk: s.type === "link",
    uid: s.uid,
    gid: s.gid,
    pw_name: s.owner,
    gr_name: s.group,
    size: s.size,
    mtime: s.mtime,
    inode: s.inode,
    dev: s.device,
    nlink: s.nlink,
    ...(s.checksum ? { checksum: s.checksum } : {}),
    readable: probe.readable,
    writeable: probe.writeable,
    executable: probe.executable,
    ...(s.linkTarget !== undefined ? { lnk_target: s.linkTarget, lnk_source: probe.lnkSource } : {}),
  };
}

export const stat = defineOperation<StatArgs, StatProbe, Plan>({
  name: "stat",
  schema,
  async probe(ctx, args) {
    const q = shellQuote(args.path);
    const access = `for t in r w x; do if [ -$t ${q} ]; then printf 1; else printf 0; fi; done; echo; readlink -f -- ${q} || echo`;
    const script = `${probeFilesScript([args.path], { follow: args.follow, checksum: args.get_checksum && args.checksum_algorithm })}\n${access}`;
    const r = await runRemote(ctx, script);
    const [state] = parseProbeOutput([args.path], r.stdout);
    const [, rwx = "000", resolved = ""] = r.stdout.split("\n");
    return {
      state,
      readable: rwx[0] === "1",
      writeable: rwx[1] === "1",
      executable: rwx[2] === "1",
      ...(resolved ? { lnkSource: resolved } : {}),
    };
  },
  plan: (_args, probe) => ({ changed: false, result: { stat: statResult(probe) } }),
});
