// uri (ansible.builtin.uri): one HTTP request, from the target (curl, else GNU wget: the target's
// network view, its DNS, its firewall) or from the controller (`run_on: controller`, Node's http).
// Like Ansible it reports changed=false, and is skipped in check mode: a request to an arbitrary
// service cannot be predicted nor safely replayed.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { shellJoin, shellQuote } from "../engine/shell-quote.js";
import { ModuleFailure } from "./lib/operation.js";
import { runRemote } from "./lib/remote.js";
import { sectionedScript } from "./lib/sections.js";
import type { ModuleContext, ModuleDefinition, ModuleResult } from "./types.js";
import { normalizeModuleArgs } from "./validate-args.js";

export interface UriArgs {
  url: string;
  method: string;
  body?: unknown;
  body_format: "raw" | "json" | "form-urlencoded";
  headers: Record<string, string>;
  status_code: number[];
  return_content: boolean;
  validate_certs: boolean;
  timeout: number;
  follow_redirects: "none" | "safe" | "all";
  url_username?: string;
  url_password?: string;
  force_basic_auth: boolean;
  client_cert?: string;
  client_key?: string;
  ca_path?: string;
  run_on: "target" | "controller";
}

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutSeconds: number;
  validateCerts: boolean;
  followRedirects: boolean;
  /** TLS files, on the side that sends the request (target or controller). */
  clientCert?: string;
  clientKey?: string;
  caPath?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** The URL answered last (after redirects). */
  url: string;
  redirects: number;
}

/** The request Ansible would send for these arguments: encoded body, implied Content-Type, basic auth. */
export function buildRequest(args: UriArgs): HttpRequest {
  const headers: Record<string, string> = { ...args.headers };
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  let body: string | undefined;
  if (args.body !== undefined) {
    if (args.body_format === "json") {
      body = typeof args.body === "string" ? args.body : JSON.stringify(args.body);
      if (!has("content-type")) headers["Content-Type"] = "application/json";
    } else if (args.body_format === "form-urlencoded") {
      body = typeof args.body === "string" ? args.body : new URLSearchParams(args.body as Record<string, string>).toString();
      if (!has("content-type")) headers["Content-Type"] = "application/x-www-form-urlencoded";
    } else {
      body = typeof args.body === "string" ? args.body : JSON.stringify(args.body);
    }
  }
  if (args.url_username !== undefined && !has("authorization")) {
    headers.Authorization = `Basic ${Buffer.from(`${args.url_username}:${args.url_password ?? ""}`).toString("base64")}`;
  }
  const method = args.method.toUpperCase();
  return {
    url: args.url,
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    timeoutSeconds: args.timeout,
    validateCerts: args.validate_certs,
    ...(args.client_cert !== undefined ? { clientCert: args.client_cert } : {}),
    ...(args.client_key !== undefined ? { clientKey: args.client_key } : {}),
    ...(args.ca_path !== undefined ? { caPath: args.ca_path } : {}),
    followRedirects: args.follow_redirects === "all" || (args.follow_redirects === "safe" && (method === "GET" || method === "HEAD")),
  };
}

/** The last header block of a `curl -D` dump (one block per redirect hop). */
export function parseHeaderDump(dump: string): { status: number; headers: Record<string, string> } {
  const blocks = dump.replace(/\r/g, "").split(/\n\n+/).filter((b) => /^HTTP\/\S+ \d{3}/.test(b.trim()));
  const last = blocks.at(-1)?.trim() ?? "";
  const [statusLine, ...lines] = last.split("\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(statusLine?.split(" ")[1] ?? -1), headers };
}

/** GNU wget prints the response headers indented by two spaces on stderr with -S. */
export function parseWgetHeaders(stderr: string): { status: number; headers: Record<string, string> } {
  const dump = stderr
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => l.slice(2))
    .join("\n")
    .replace(/\n(?=HTTP\/)/g, "\n\n");
  return parseHeaderDump(dump);
}

/**
 * One sh script that sends the request from the target (body on stdin) and prints what came back
 * as sections: the tool used, its exit code, curl's effective URL and redirect count, the
 * response headers, the tool's stderr and the body. Its work files live in one temp directory.
 */
export function targetRequestScript(req: HttpRequest): { script: string; parse: ReturnType<typeof sectionedScript>["parse"] } {
  const headerLines = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`);
  const curl = [
    // curl sends HEAD with -I; `-X HEAD` would wait for a body that never comes.
    "curl", "-sS", ...(req.method === "HEAD" ? ["-I"] : ["-X", req.method]), "--max-time", String(req.timeoutSeconds),
    ...(req.validateCerts ? [] : ["-k"]),
    ...(req.clientCert ? ["--cert", req.clientCert] : []),
    ...(req.clientKey ? ["--key", req.clientKey] : []),
    ...(req.caPath ? ["--cacert", req.caPath] : []),
    ...(req.followRedirects ? ["-L", "--max-redirs", "20"] : []),
    ...(req.body !== undefined ? ["--data-binary", "@-"] : []),
  ];
  // Header values (Authorization) reach curl through a file, never argv where `ps` shows them.
  const headerFile = `cat > "$d/req-headers" <<'KPLAY_HEADERS_EOF'\n${headerLines.join("\n")}\nKPLAY_HEADERS_EOF`;
  const wget = [
    "wget", "-q", "-S", "-O", "-", "--content-on-error", `--method=${req.method}`, `--timeout=${req.timeoutSeconds}`, "--tries=1",
    ...(req.validateCerts ? [] : ["--no-check-certificate"]),
    ...(req.clientCert ? [`--certificate=${req.clientCert}`] : []),
    ...(req.clientKey ? [`--private-key=${req.clientKey}`] : []),
    ...(req.caPath ? [`--ca-certificate=${req.caPath}`] : []),
    ...(req.followRedirects ? [] : ["--max-redirect=0"]),
    ...headerLines.map((h) => `--header=${h}`),
    ...(req.body !== undefined ? ["--body-file=-"] : []),
  ];
  const { script, parse } = sectionedScript([
    {
      name: "tool",
      command: [
        headerFile,
        "if command -v curl >/dev/null; then",
        `  ${shellJoin(curl)}${headerLines.length ? ` -H @"$d/req-headers"` : ""} -D "$d/headers" -o "$d/body" -w '%{url_effective} %{num_redirects}' -- ${shellQuote(req.url)} > "$d/meta" 2> "$d/err"; echo $? > "$d/rc"; echo curl`,
        "elif wget --help 2>/dev/null | grep -q -- --method; then",
        `  ${shellJoin(wget)} -- ${shellQuote(req.url)} > "$d/body" 2> "$d/err"; echo $? > "$d/rc"; echo wget`,
        "else exit 91; fi",
      ].join("\n"),
    },
    { name: "rc", command: `cat "$d/rc"` },
    { name: "meta", command: `cat "$d/meta" 2>/dev/null` },
    { name: "headers", command: `cat "$d/headers" 2>/dev/null` },
    { name: "err", command: `cat "$d/err"` },
    { name: "body", command: `cat "$d/body" 2>/dev/null` },
  ]);
  return { script: `d=$(mktemp -d) || exit 90\n${script}\nrm -rf -- "$d"`, parse };
}

async function requestFromTarget(ctx: ModuleContext, req: HttpRequest): Promise<HttpResponse> {
  const { script, parse } = targetRequestScript(req);
  const sent = await runRemote(ctx, script, req.body ?? "");
  const sections = parse(sent.stdout);
  const section = (name: string) => sections.get(name)?.text ?? "";
  const tool = sections.get("tool");
  if (tool?.rc === 91) throw new ModuleFailure("uri needs curl or GNU wget on the target; install one, or use `run_on: controller`");
  if (!tool || tool.rc !== 0 || !sections.has("body")) {
    throw new ModuleFailure(`uri: running the request on the target failed (rc ${sent.rc}): ${sent.stderr.trim()}`);
  }
  const name = tool.text.trim();
  const rc = Number(section("rc").trim());
  const err = section("err");
  // wget exits 8 for an HTTP error status, which is an answer, not a failure to ask.
  const answered = rc === 0 || (name === "wget" && rc === 8);
  if (!answered) throw new ModuleFailure(`Request failed: ${err.trim() || `${name} exited with rc ${rc}`}`, { status: -1, url: req.url });
  const { status, headers } = name === "curl" ? parseHeaderDump(section("headers")) : parseWgetHeaders(err);
  const [effective, redirects] = name === "curl" ? section("meta").trim().split(" ") : [req.url, "0"];
  // curl -I writes the headers where the body would go: a HEAD response has no body.
  const body = req.method === "HEAD" ? "" : section("body");
  return { status, headers, body, url: effective || req.url, redirects: Number(redirects) || 0 };
}

function requestOnce(req: HttpRequest, url: URL): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const r = client.request(
      url,
      {
        method: req.method,
        headers: req.headers,
        timeout: req.timeoutSeconds * 1000,
        rejectUnauthorized: req.validateCerts,
        ...(req.clientCert ? { cert: readFileSync(req.clientCert) } : {}),
        ...(req.clientKey ? { key: readFileSync(req.clientKey) } : {}),
        ...(req.caPath ? { ca: readFileSync(req.caPath) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: res.statusCode ?? -1, headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    r.on("timeout", () => r.destroy(new Error(`timed out after ${req.timeoutSeconds} s`)));
    r.on("error", reject);
    r.end(req.body);
  });
}

async function requestFromController(req: HttpRequest): Promise<HttpResponse> {
  let url = new URL(req.url);
  for (let redirects = 0; ; redirects++) {
    let res;
    try {
      res = await requestOnce(req, url);
    } catch (e) {
      throw new ModuleFailure(`Request failed: ${(e as Error).message}`, { status: -1, url: req.url });
    }
    const location = res.headers.location;
    if (!req.followRedirects || res.status < 300 || res.status > 399 || !location || redirects >= 20) {
      return { ...res, url: url.toString(), redirects };
    }
    url = new URL(location, url);
  }
}

/** Ansible's return values: status, url, headers as top-level keys (`content_type`), json, content, msg. */
export function interpretResponse(args: UriArgs, res: HttpResponse): ModuleResult {
  const result: ModuleResult = { changed: false, status: res.status, url: res.url, redirected: res.redirects > 0 };
  for (const [k, v] of Object.entries(res.headers)) result[k.replaceAll("-", "_")] = v;
  const contentType = res.headers["content-type"] ?? "";
  if (/[/+]json\b/.test(contentType)) {
    try {
      result.json = JSON.parse(res.body);
    } catch {
      // Ansible leaves `json` out when the body does not parse either.
    }
  }
  if (args.return_content) result.content = res.body;
  if (!args.status_code.includes(res.status)) {
    return {
      ...result,
      failed: true,
      msg: `Status code was ${res.status} and not [${args.status_code.join(", ")}]: ${args.method.toUpperCase()} ${args.url}`,
      ...(args.return_content ? {} : { content: res.body.slice(0, 2000) }),
    };
  }
  return { ...result, msg: `OK (${Buffer.byteLength(res.body)} bytes)` };
}

export const uri: ModuleDefinition<UriArgs> = {
  name: "uri",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      url: { type: "string", pattern: "^https?://" },
      method: { type: "string", pattern: "^[A-Za-z]+$", default: "GET" },
      body: {},
      body_format: { type: "string", enum: ["raw", "json", "form-urlencoded"], default: "raw" },
      // A line break in a value would end the header (and the request) early.
      headers: { type: "object", additionalProperties: { type: "string", pattern: "^[^\\r\\n]*$" }, default: {} },
      status_code: { type: "array", items: { type: "integer" }, default: [200] },
      return_content: { type: "boolean", default: false },
      validate_certs: { type: "boolean", default: true },
      timeout: { type: "integer", minimum: 1, default: 30 },
      follow_redirects: { type: "string", enum: ["none", "safe", "all"], default: "safe" },
      url_username: { type: "string", aliases: ["user"] },
      url_password: { type: "string", aliases: ["password"] },
      // Credentials are always sent with the first request, so this is accepted for compatibility.
      force_basic_auth: { type: "boolean", default: false },
      client_cert: { type: "string", minLength: 1 },
      client_key: { type: "string", minLength: 1 },
      ca_path: { type: "string", minLength: 1 },
      run_on: { type: "string", enum: ["target", "controller"], default: "target" },
    },
  },
  async run(ctx, rawArgs) {
    const { args, errors } = normalizeModuleArgs<UriArgs>(uri, rawArgs as unknown as Record<string, unknown>);
    if (errors.length > 0) return { changed: false, failed: true, msg: errors.map((e) => e.message).join("; ") };
    if (ctx.check) return { changed: false, skipped: true, msg: "uri does not run in check mode: a request's effect cannot be predicted" };
    try {
      const req = buildRequest(args);
      const res = args.run_on === "controller" ? await requestFromController(req) : await requestFromTarget(ctx, req);
      return interpretResponse(args, res);
    } catch (e) {
      if (e instanceof ModuleFailure) return { changed: false, failed: true, msg: e.message, ...e.details };
      throw e;
    }
  },
};

