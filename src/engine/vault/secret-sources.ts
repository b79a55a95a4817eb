// Where vault secrets come from, as Ansible's CLI gathers them: each `--vault-id LABEL@SOURCE`
// (SOURCE a password file, an executable that prints the password, or `prompt`), then each
// `--vault-password-file` (labelled `default`; ansible.cfg's vault_password_file comes last), then
// `--ask-vault-pass`. The order is the order secrets are tried in.
import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, extname, resolve } from "node:path";
import { KplayError } from "../errors.js";
import { DEFAULT_VAULT_ID } from "./envelope.js";
import { VaultKeyring, type VaultSecret } from "./keyring.js";

export interface VaultSecretRequest {
  /** `--vault-id` values: `LABEL@SOURCE`, or just `SOURCE`. */
  vaultIds: readonly string[];
  /** `--vault-password-file` values. */
  passwordFiles: readonly string[];
  /** `--ask-vault-pass`. */
  askVaultPass: boolean;
  /** Ask when nothing else was given (ansible-vault does; ansible-playbook does not). */
  promptWhenNone?: boolean;
  /** The password is a new one (encrypt, create, rekey): ask twice and compare, as ansible-vault. */
  newPassword?: boolean;
}

/** Reads one answer from the terminal without echo. */
export type AskSecret = (question: string) => Promise<string>;

const PROMPT = "prompt";
/** How build_vault_ids names `--ask-vault-pass`: the prompt without a label in it. */
const ASK_VAULT_PASS = "prompt_ask_vault_pass";

const fail = (message: string, hint?: string): KplayError => new KplayError({ kind: "usage", message, hint });

interface SecretSpec {
  id: string;
  source: string;
}

/** `LABEL@SOURCE` → both; a bare SOURCE is labelled `default`. */
function splitVaultId(text: string): SecretSpec {
  const at = text.indexOf("@");
  const spec = at < 0 ? { id: DEFAULT_VAULT_ID, source: text } : { id: text.slice(0, at) || DEFAULT_VAULT_ID, source: text.slice(at + 1) };
  if (spec.id.includes(";")) throw fail(`'${text}' is not a valid vault id: the character ';' is not allowed in vault ids`);
  if (spec.source === "") throw fail(`--vault-id ${text} names no password source`, "use LABEL@FILE, LABEL@SCRIPT or LABEL@prompt");
  return spec;
}

/** Python's bytes.strip(): ASCII whitespace at both ends. */
function stripAscii(data: Buffer, chars = " \t\n\r\v\f"): Buffer {
  let start = 0;
  let end = data.length;
  while (start < end && chars.includes(String.fromCharCode(data[start]))) start++;
  while (end > start && chars.includes(String.fromCharCode(data[end - 1]))) end--;
  return data.subarray(start, end);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a password script; its stderr stays on the terminal so it can prompt, as in Ansible. */
function runScript(path: string, args: string[]): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((done, failed) => {
    const child = spawn(path, args, { stdio: ["inherit", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d));
    child.on("error", failed);
    child.on("close", (code) => done({ code, stdout: Buffer.concat(chunks) }));
  });
}

async function fromScript(spec: SecretSpec, path: string): Promise<Buffer> {
  // A script named `*-client` is asked for one vault-id's password (Ansible's client scripts).
  const client = basename(path, extname(path)).endsWith("-client");
  let result;
  try {
    result = await runScript(path, client ? ["--vault-id", spec.id] : []);
  } catch (e) {
    throw fail(`cannot run the vault password script ${path}: ${(e as Error).message}`, "if it is not a script, remove its executable bit");
  }
  if (client && result.code === 2) throw fail(`the vault password client script ${path} has no secret for vault-id ${spec.id}`);
  if (result.code !== 0) throw fail(`the vault password script ${path} failed (exit code ${result.code})`);
  const password = stripAscii(result.stdout, "\r\n");
  if (password.length === 0) throw fail(`the vault password script ${path} printed an empty password`);
  return password;
}

function fromFile(path: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw fail(`cannot read the vault password file ${path}: ${(e as Error).message}`);
  }
  const password = stripAscii(data);
  if (password.length === 0) throw fail(`the vault password file ${path} is empty`, "write the password on its first line");
  return password;
}

async function fromPrompt(spec: SecretSpec, ask: AskSecret, newPassword: boolean): Promise<Buffer> {
  const labelled = spec.source === PROMPT;
  const question = (word: string): string => (labelled ? `${word} (${spec.id}): ` : `${word}: `);
  const first = (await ask(question(newPassword ? (labelled ? "New vault password" : "New Vault password") : "Vault password"))).trim();
  if (first === "") throw fail("an empty vault password was given");
  if (newPassword) {
    const again = (await ask(question(labelled ? "Confirm new vault password" : "Confirm New Vault password"))).trim();
    if (again !== first) throw fail("the vault passwords do not match");
  }
  return Buffer.from(first, "utf8");
}

async function loadSecret(spec: SecretSpec, ask: AskSecret, newPassword: boolean): Promise<VaultSecret> {
  if (spec.source === PROMPT || spec.source === ASK_VAULT_PASS) {
    return { id: spec.id, password: await fromPrompt(spec, ask, newPassword) };
  }
  const path = resolve(spec.source.replace(/^~(?=$|\/)/, homedir()));
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw fail(`the vault password file ${path} was not found`, "pass an existing file to --vault-password-file or --vault-id LABEL@FILE");
  }
  if (!isFile) throw fail(`the vault password file ${path} is not a file`);
  return { id: spec.id, password: isExecutable(path) ? await fromScript(spec, path) : fromFile(path) };
}

/** Every secret asked for, in the order they will be tried; throws a KplayError (usage). */
export async function loadVaultSecrets(request: VaultSecretRequest, ask: AskSecret): Promise<VaultKeyring> {
  const specs = request.vaultIds.map(splitVaultId);
  for (const file of request.passwordFiles) {
    specs.push({ id: DEFAULT_VAULT_ID, source: file });
  }
  if (request.askVaultPass || (specs.length === 0 && request.promptWhenNone)) specs.push({ id: DEFAULT_VAULT_ID, source: ASK_VAULT_PASS });
  const secrets: VaultSecret[] = [];
  for (const spec of specs) secrets.push(await loadSecret(spec, ask, request.newPassword === true));
  return new VaultKeyring(secrets);
}
