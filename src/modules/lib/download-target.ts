// Downloading on the managed host with whichever of curl or wget it has. Credentials and
// headers travel in a config fed on stdin, never in argv (where `ps` would show them).
import { shellQuote } from "../../engine/shell-quote.js";
import { ModuleFailure } from "./operation.js";

export type DownloadTool = "curl" | "wget";

export interface DownloadRequest {
  url: string;
  /** Seconds to connect, and the longest stall allowed while reading. */
  timeout: number;
  validateCerts: boolean;
  headers: Record<string, string>;
  username?: string;
  password?: string;
}

/** Prints "curl", "wget" or "none": which downloader the host has. */
export const DETECT_TOOL_SCRIPT = "if command -v curl >/dev/null 2>&1; then echo curl; elif command -v wget >/dev/null 2>&1; then echo wget; else echo none; fi";

function curlQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

function wgetValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new ModuleFailure(`${name} must not contain a line break`);
  return value;
}

/** The config text the download command reads on stdin. */
export function downloadConfig(tool: DownloadTool, req: DownloadRequest): string {
  const lines: string[] = [];
  if (tool === "curl") {
    if (req.username !== undefined) lines.push(`user = ${curlQuote(`${req.username}:${req.password ?? ""}`)}`);
    for (const [k, v] of Object.entries(req.headers)) lines.push(`header = ${curlQuote(`${k}: ${v}`)}`);
  } else {
    if (req.username !== undefined) lines.push(`user = ${wgetValue("url_username", req.username)}`, `password = ${wgetValue("url_password", req.password ?? "")}`);
    for (const [k, v] of Object.entries(req.headers)) lines.push(`header = ${wgetValue("headers", `${k}: ${v}`)}`);
  }
  return lines.map((l) => `${l}\n`).join("");
}

/**
 * Shell lines that download `req.url` into the file named by $tmp and set $rc (the tool's exit
 * code) and $code (the final HTTP status, empty when none was received).
 */
export function downloadCommand(tool: DownloadTool, req: DownloadRequest): string {
  const t = String(Math.max(1, Math.round(req.timeout)));
  if (tool === "curl") {
    const insecure = req.validateCerts ? "" : " -k";
    return `code=$(curl -sS -L --connect-timeout ${t} --speed-time ${t} --speed-limit 1${insecure} -K - -o "$tmp" -w '%{http_code}' -- ${shellQuote(req.url)}); rc=$?`;
  }
  const insecure = req.validateCerts ? "" : " --no-check-certificate";
  return [
    `wrc=$(mktemp) && cat > "$wrc"`,
    `WGETRC="$wrc" wget -S --progress=dot:giga --timeout=${t}${insecure} -O "$tmp" -- ${shellQuote(req.url)} 2>"$tmp.log"; rc=$?`,
    `code=$(sed -n 's/^ *HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p' "$tmp.log" | tail -n 1)`,
    `grep -v '^ ' "$tmp.log" | tail -n 3 >&2; rm -f "$wrc" "$tmp.log"`,
  ].join("\n");
}
