// stat: reports what a path is (Ansible's `stat` return value) from one probe; never changes anything.
import { probeFile, type ChecksumAlgorithm, type FileState } from "./lib/file-state.js";
import { defineOperation, type Plan } from "./lib/operation.js";
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

/** Ansible's `stat` dictionary. */
export function statResult(s: FileState): Record<string, unknown> {
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
    ...(s.linkTarget !== undefined ? { lnk_target: s.linkTarget } : {}),
  };
}

export const stat = defineOperation<StatArgs, FileState, Plan>({
  name: "stat",
  schema,
  probe: (ctx, args) => probeFile(ctx, args.path, { follow: args.follow, checksum: args.get_checksum && args.checksum_algorithm }),
  plan: (_args, state) => ({ changed: false, result: { stat: statResult(state) } }),
});
