// get_url: downloads a URL to a file on the host, either on the host itself (curl or wget) or
// once on the control machine and pushed to every host that needs it (`fetch_on: controller`).
// A dest that already has the wanted checksum costs one probe and no download.
import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { shellQuote } from "../engine/shell-quote.js";
import { attributeCommands, hasAttributeChanges, planAttributes, type AttributeChanges, type WantedAttributes } from "./lib/attributes.js";
import { digestFromSumsFile, displayUrl, parseChecksumSpec, type ChecksumSpec } from "./lib/checksum-spec.js";
import { stateDiff } from "./lib/diff.js";
import { downloadOnController } from "./lib/download-controller.js";
import { DETECT_TOOL_SCRIPT, downloadCommand, downloadConfig, type DownloadRequest, type DownloadTool } from "./lib/download-target.js";
import { parseProbeOutput, probeFilesScript, type ChecksumAlgorithm, type FileState, type PresentFile } from "./lib/file-state.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runAll, runRemote } from "./lib/remote.js";
import { backupCommand, backupRemoteFile, writeRemoteFile } from "./lib/write-file.js";
import type { JsonSchema, ModuleContext } from "./types.js";

export interface GetUrlArgs extends WantedAttributes {
  url: string;
  dest: string;
  checksum: string;
  force: boolean;
  timeout: number;
  headers: Record<string, string>;
  url_username?: string;
  url_password?: string;
  validate_certs: boolean;
  retries: number;
  fetch_on: "target" | "controller";
  backup: boolean;
  force_basic_auth?: boolean;
  http_agent: string;
}

export interface GetUrlProbe {
  checksum?: ChecksumSpec & { digest: string };
  algorithm: ChecksumAlgorithm;
  /** dest, dest/<url file name> and dest's parent, as the host has them. */
  dest: FileState;
  inside: FileState;
  parent: FileState;
  tool: DownloadTool | "none";
}

export interface GetUrlPlan extends Plan {
  path: string;
  download: boolean;
  attributes: AttributeChanges;
  current?: PresentFile;
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    url: { type: "string", minLength: 1 },
    dest: { type: "string", minLength: 1 },
    checksum: { type: "string", default: "" },
    mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
    force: { type: "boolean", default: false, aliases: ["thirsty"] },
    timeout: { type: "number", exclusiveMinimum: 0, default: 10 },
    headers: { type: "object", additionalProperties: { type: "string" }, default: {} },
    url_username: { type: "string", aliases: ["username"] },
    url_password: { type: "string", aliases: ["password"] },
    validate_certs: { type: "boolean", default: true },
    retries: { type: "integer", minimum: 0, default: 0 },
    fetch_on: { type: "string", enum: ["target", "controller"], default: "target" },
    backup: { type: "boolean", default: false },
    force_basic_auth: { type: "boolean" },
    http_agent: { type: "string", default: "kplay-httpget" },
  },
  required: ["url", "dest"],
  additionalProperties: false,
};

const RETRY_DELAY_MS = 2000;
// Exit codes of the download script.
const DOWNLOAD_FAILED = 91;
const CHECKSUM_MISMATCH = 92;

function requestOf(args: GetUrlArgs, url = args.url): DownloadRequest {
  return {
    url,
    timeout: args.timeout,
    validateCerts: args.validate_certs,
    headers: { "User-Agent": args.http_agent, ...args.headers },
    ...(args.url_username !== undefined ? { username: args.url_username } : {}),
    ...(args.url_password !== undefined ? { password: args.url_password } : {}),
  };
}

/** The directory dest must be in; "dir/" names the directory itself, as in Ansible. */
function parentOf(dest: string): string {
  return dest.endsWith("/") && dest.length > 1 ? dest.slice(0, -1) : posix.dirname(dest);
}

export function urlFileName(url: string): string {
  // Python's basename, as Ansible uses it: a path ending in "/" names no file.
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1)) || "index.html";
}

function mismatch(url: string, expected: string, got: string, algorithm: string): ModuleFailure {
  return new ModuleFailure(`The checksum for ${displayUrl(url)} did not match ${expected}; it was ${got} (${algorithm})`, {
    checksum_dest: got,
    expected_checksum: expected,
  });
}

/** Reads a sums file where the download itself would happen. */
async function fetchSums(ctx: ModuleContext, args: GetUrlArgs, spec: ChecksumSpec, tool: DownloadTool | "none"): Promise<string> {
  const req = requestOf(args, spec.sumsUrl);
  if (args.fetch_on === "controller") return (await readFile((await downloadOnController(req, "sha256")).path, "utf8"));
  if (tool === "none") throw new ModuleFailure("neither curl nor wget is installed on the host (or use fetch_on: controller)");
  const script = `tmp=$(mktemp) || exit ${DOWNLOAD_FAILED}\n${downloadCommand(tool, req)}\nif [ "$rc" -ne 0 ]; then rm -f "$tmp"; exit ${DOWNLOAD_FAILED}; fi\necho "$code"; cat "$tmp"; rm -f "$tmp"`;
  const r = await runRemote(ctx, script, downloadConfig(tool, req));
  const [status, ...body] = r.stdout.split("\n");
  if (r.rc !== 0 || !/^2\d\d$/.test(status)) {
    throw new ModuleFailure(`downloading ${displayUrl(spec.sumsUrl!)} failed: ${r.rc !== 0 ? r.stderr.trim() : `HTTP status ${status}`}`);
  }
  return body.join("\n");
}

export function planGetUrl(args: GetUrlArgs, probe: GetUrlProbe): GetUrlPlan {
  const intoDirectory = probe.dest.exists && probe.dest.type === "directory";
  const path = intoDirectory ? posix.join(args.dest, urlFileName(args.url)) : args.dest;
  const state = intoDirectory ? probe.inside : probe.dest;
  if (!intoDirectory && !probe.parent.exists) throw new ModuleFailure(`Destination dir ${parentOf(args.dest)} does not exist`);
  if (state.exists && state.type !== "file") throw new ModuleFailure(`${path} exists and is not a regular file`);
  const current = state.exists ? (state as PresentFile) : undefined;
  const wanted = probe.checksum?.digest;
  const download = !current || (wanted !== undefined ? current.checksum !== wanted : args.force);
  const attributes = planAttributes(path, args, current, { mode: 0o644, isDirectory: false });
  const result = { dest: path, url: displayUrl(args.url), ...(current?.checksum ? { checksum_dest: current.checksum } : {}) };
  if (!download) {
    const changed = hasAttributeChanges(attributes);
    return { changed, path, download, attributes, ...(current ? { current } : {}), msg: "file already exists", result };
  }
  return {
    changed: true,
    path,
    download,
    attributes,
    ...(current ? { current } : {}),
    result,
    diff: [
      stateDiff(
        path,
        { state: current ? "file" : "absent", [probe.algorithm]: current?.checksum },
        { state: "file", source: displayUrl(args.url), [probe.algorithm]: wanted ?? "(known after download)" },
      ),
    ],
  };
}

/** Downloads on the host into a temp file beside dest, checks it, and installs it only if it differs. */
async function applyOnTarget(ctx: ModuleContext, args: GetUrlArgs, plan: GetUrlPlan, probe: GetUrlProbe) {
  if (probe.tool === "none") throw new ModuleFailure("neither curl nor wget is installed on the host (or use fetch_on: controller)");
  const req = requestOf(args);
  const q = shellQuote(plan.path);
  const mode = plan.attributes.mode?.[1] ?? plan.current?.mode ?? "0644";
  // The new file takes the wanted owner/group, else those of the file it replaces.
  const owner = plan.attributes.owner?.[1] ?? plan.current?.owner;
  const group = plan.attributes.group?.[1] ?? plan.current?.group;
  const chown = owner || group ? [`chown ${shellQuote(`${owner ?? ""}${group ? `:${group}` : ""}`)} "$tmp" || { rm -f "$tmp"; exit 94; }`] : [];
  const script = [
    `tmp=$(mktemp ${shellQuote(`${posix.dirname(plan.path)}/.kplay-get_url.XXXXXX`)}) || exit ${DOWNLOAD_FAILED}`,
    downloadCommand(probe.tool, req),
    `if [ "$rc" -ne 0 ]; then rm -f "$tmp"; echo "error $rc $code"; exit ${DOWNLOAD_FAILED}; fi`,
    `case "$code" in 2??) ;; *) rm -f "$tmp"; echo "status $code"; exit ${DOWNLOAD_FAILED} ;; esac`,
    `sum=$(${probe.algorithm}sum < "$tmp" | cut -d' ' -f1); echo "sum $sum $(stat -c %s "$tmp") $code"`,
    ...(probe.checksum ? [`if [ "$sum" != ${probe.checksum.digest} ]; then rm -f "$tmp"; exit ${CHECKSUM_MISMATCH}; fi`] : []),
    `if [ "$sum" = ${shellQuote(plan.current?.checksum ?? "")} ]; then rm -f "$tmp"; echo same; exit 0; fi`,
    ...(args.backup && plan.current ? [`${backupCommand(plan.path)} && echo "backup $b" || exit 93`] : []),
    ...chown,
    `chmod ${mode} "$tmp" && mv -f -- "$tmp" ${q} || { rm -f "$tmp"; exit 94; }`,
    "echo installed",
  ].join("\n");
  for (let attempt = 0; ; attempt++) {
    const r = await runRemote(ctx, script, downloadConfig(probe.tool, req));
    const said = (word: string) => r.stdout.split("\n").find((l) => l.startsWith(`${word} `))?.split(" ").slice(1);
    if (r.rc === DOWNLOAD_FAILED) {
      const status = said("status");
      const error = said("error");
      const why = status ? `HTTP status ${status[0] || "(none)"}` : `${probe.tool} exit ${error?.[0]}: ${r.stderr.trim().split("\n").pop() ?? ""}`;
      if (attempt < args.retries) {
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      throw new ModuleFailure(`downloading ${displayUrl(args.url)} failed: ${why}`, {
        url: displayUrl(args.url),
        ...(status ? { status_code: Number(status[0]) } : {}),
      });
    }
    const [sum, size, status] = said("sum") ?? [];
    if (r.rc === CHECKSUM_MISMATCH) throw mismatch(args.url, probe.checksum!.digest, sum, probe.algorithm);
    if (r.rc !== 0) throw new ModuleFailure(`installing ${plan.path} failed (rc ${r.rc}): ${r.stderr.trim()}`);
    const same = r.stdout.includes("\nsame\n") || r.stdout.endsWith("same\n");
    if (same) await runAll(ctx, attributeCommands(plan.attributes), `set attributes of ${plan.path}`);
    return {
      changed: !same || hasAttributeChanges(plan.attributes),
      checksum_src: sum,
      checksum_dest: sum,
      size: Number(size),
      status_code: Number(status),
      msg: same ? "file already exists" : `OK (${size} bytes)`,
      ...(said("backup") ? { backup_file: said("backup")![0] } : {}),
    };
  }
}

/** Downloads once on the control machine (shared by all hosts) and uploads where it differs. */
async function applyFromController(ctx: ModuleContext, args: GetUrlArgs, plan: GetUrlPlan, probe: GetUrlProbe) {
  let cached;
  for (let attempt = 0; ; attempt++) {
    try {
      cached = await downloadOnController(requestOf(args), probe.algorithm, probe.checksum?.digest);
      break;
    } catch (e) {
      if (!(e instanceof ModuleFailure) || attempt >= args.retries) throw e;
      await sleep(RETRY_DELAY_MS);
    }
  }
  if (probe.checksum && cached.digest !== probe.checksum.digest) throw mismatch(args.url, probe.checksum.digest, cached.digest, probe.algorithm);
  const facts = { checksum_src: cached.digest, checksum_dest: cached.digest, size: cached.size, status_code: cached.status };
  if (cached.digest === plan.current?.checksum) {
    await runAll(ctx, attributeCommands(plan.attributes), `set attributes of ${plan.path}`);
    return { ...facts, changed: hasAttributeChanges(plan.attributes), msg: "file already exists" };
  }
  const backup = args.backup && plan.current ? { backup_file: await backupRemoteFile(ctx, plan.path) } : {};
  await writeRemoteFile(ctx, plan.path, await readFile(cached.path), {
    attributes: plan.attributes,
    ...(plan.current ? { current: plan.current } : {}),
  });
  return { ...facts, ...backup, changed: true, msg: `OK (${cached.size} bytes)` };
}

export const getUrl = defineOperation<GetUrlArgs, GetUrlProbe, GetUrlPlan>({
  name: "get_url",
  schema,
  async probe(ctx, args) {
    const spec = args.checksum ? parseChecksumSpec(args.checksum) : undefined;
    const algorithm = spec?.algorithm ?? "sha256";
    const inside = posix.join(args.dest, urlFileName(args.url));
    const paths = [args.dest, inside, parentOf(args.dest)];
    const script = `${probeFilesScript(paths, { checksum: algorithm, follow: true })}\n${DETECT_TOOL_SCRIPT}`;
    const r = await runRemote(ctx, script);
    const [dest, insideState, parent] = parseProbeOutput(paths, r.stdout);
    const tool = (r.stdout.split("\n")[paths.length] ?? "none") as DownloadTool | "none";
    let checksum: GetUrlProbe["checksum"];
    if (spec) {
      const digest = spec.digest ?? digestFromSumsFile(await fetchSums(ctx, args, spec, tool), urlFileName(args.url), spec);
      checksum = { ...spec, digest };
    }
    return { algorithm, dest, inside: insideState, parent, tool, ...(checksum ? { checksum } : {}) };
  },
  plan: (args, probe) => planGetUrl(args, probe),
  apply: (ctx, args, plan, probe) => (args.fetch_on === "controller" ? applyFromController(ctx, args, plan, probe) : applyOnTarget(ctx, args, plan, probe)),
});
