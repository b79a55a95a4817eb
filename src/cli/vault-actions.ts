// What `kplay vault ACTION` does, as ansible-vault does it on the same files: encrypt, decrypt,
// view, edit, create, encrypt_string and rekey. Files are replaced atomically, keeping their mode.
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ErrorContext } from "../engine/errors.js";
import { writeFileAtomic } from "../engine/atomic-file.js";
import { editText } from "../engine/vault/editor.js";
import { DEFAULT_VAULT_ID, isVaulted } from "../engine/vault/envelope.js";
import { inlineVaultBlock } from "../engine/vault/inline-block.js";
import { encryptWith, VaultError, type Decrypted, type VaultKeyring, type VaultSecret } from "../engine/vault/keyring.js";
import { vaultErrorContext } from "../engine/vault/vault-errors.js";
import { loadVaultSecrets, type VaultSecretRequest } from "../engine/vault/secret-sources.js";
import { printErrors, type CliIO } from "./io.js";
import { TerminalQuestions, vaultFlagError, vaultSecretRequest } from "./open-vault.js";
import type { VaultFlags } from "./vault-flags.js";

export const VAULT_ACTIONS = ["encrypt", "decrypt", "view", "edit", "create", "encrypt_string", "rekey"] as const;
type Action = (typeof VAULT_ACTIONS)[number];

export interface VaultCommandFlags extends VaultFlags {
  output?: string;
  encryptVaultId?: string;
  newVaultPasswordFile?: string;
  newVaultId?: string;
  name: string[];
  stdinName?: string;
  prompt?: boolean;
}

/** A problem with what the user asked: printed as an error, exit 5. */
class VaultUsageError extends Error {
  constructor(readonly context: ErrorContext) {
    super(context.message);
  }
}

const usage = (message: string, hint?: string): VaultUsageError => new VaultUsageError({ kind: "usage", message, hint });
const STDIO = "-";

async function readInput(file: string, io: CliIO): Promise<Buffer> {
  if (file !== STDIO) {
    try {
      return await readFile(file);
    } catch (e) {
      throw usage(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function writeOutput(file: string, data: Buffer | string, io: CliIO): Promise<void> {
  if (file === STDIO) io.stdout.write(data);
  else await writeFileAtomic(file, data);
}

function decryptFile(keyring: VaultKeyring, data: Buffer, file: string): Decrypted {
  const text = data.toString("utf8");
  if (!isVaulted(text)) throw usage(`${file} is not vault-encrypted`, "only files made by `kplay vault` or `ansible-vault` can be decrypted");
  try {
    return keyring.decrypt(text);
  } catch (e) {
    if (e instanceof VaultError) throw new VaultUsageError(vaultErrorContext(e, file, 1, "usage"));
    throw e;
  }
}

function encryptionSecret(keyring: VaultKeyring, encryptVaultId?: string): VaultSecret {
  try {
    return keyring.encryptionSecret(encryptVaultId);
  } catch (e) {
    if (e instanceof VaultError) throw usage(e.message);
    throw e;
  }
}

class VaultRun {
  constructor(
    private readonly flags: VaultCommandFlags,
    private readonly files: string[],
    private readonly io: CliIO,
    private readonly questions: TerminalQuestions,
  ) {}

  private secrets(request: VaultSecretRequest): Promise<VaultKeyring> {
    return loadVaultSecrets(request, this.questions.ask);
  }

  /** The secrets to decrypt with; asked for when no source was given, as ansible-vault does. */
  private readSecrets(): Promise<VaultKeyring> {
    return this.secrets(vaultSecretRequest(this.flags, { promptWhenNone: true }));
  }

  /** The secret to encrypt with: a new password is asked twice. */
  private async newSecret(): Promise<VaultSecret> {
    const keyring = await this.secrets(vaultSecretRequest(this.flags, { promptWhenNone: true, newPassword: true }));
    return encryptionSecret(keyring, this.flags.encryptVaultId);
  }

  /** encrypt/decrypt read files, or stdin when none is named. */
  private inputs(): string[] {
    if (this.flags.output !== undefined && this.files.length > 1) throw usage("--output takes one input file only");
    return this.files.length > 0 ? this.files : [STDIO];
  }

  /** view, edit and rekey work on named files only. */
  private namedFiles(action: string): string[] {
    if (this.files.length === 0) throw usage(`kplay vault ${action} needs at least one file name`);
    return this.files;
  }

  /**
   * Converts every input before writing any output: one bad file (already vaulted, wrong
   * secret) leaves all of them as they were.
   */
  private async convertAll(files: string[], convert: (data: Buffer, file: string) => Buffer | string): Promise<Array<{ file: string; data: Buffer | string }>> {
    const converted = [];
    for (const file of files) converted.push({ file, data: convert(await readInput(file, this.io), file) });
    return converted;
  }

  async encrypt(): Promise<void> {
    const secret = await this.newSecret();
    const results = await this.convertAll(this.inputs(), (data, file) => {
      if (isVaulted(data.toString("latin1"))) throw usage(`${file} is already vault-encrypted`);
      return encryptWith(secret, data);
    });
    for (const { file, data } of results) await writeOutput(this.flags.output ?? file, data, this.io);
  }

  async decrypt(): Promise<void> {
    const keyring = await this.readSecrets();
    const results = await this.convertAll(this.inputs(), (data, file) => decryptFile(keyring, data, file).plaintext);
    for (const { file, data } of results) await writeOutput(this.flags.output ?? file, data, this.io);
  }

  async view(): Promise<void> {
    const files = this.namedFiles("view");
    const keyring = await this.readSecrets();
    for (const { data } of await this.convertAll(files, (data, file) => decryptFile(keyring, data, file).plaintext)) this.io.stdout.write(data);
  }

  async edit(): Promise<void> {
    const files = this.namedFiles("edit");
    const keyring = await this.readSecrets();
    for (const file of files) {
      const { plaintext, secret, label } = decryptFile(keyring, await readInput(file, this.io), file);
      const edited = await editText(plaintext, file);
      // Unchanged text keeps its file, salt and all: nothing to commit. A changed one keeps the
      // label it had (1.1 stays 1.1), as ansible-vault does, whichever secret opened it.
      if (!edited.equals(plaintext)) await writeFileAtomic(file, encryptWith(secret, edited, label ?? DEFAULT_VAULT_ID));
    }
  }

  async create(): Promise<void> {
    if (this.files.length !== 1) throw usage("kplay vault create takes exactly one file name");
    const [file] = this.files;
    if (existsSync(file)) throw usage(`${file} exists already`, "use `kplay vault edit` to change it");
    const secret = await this.newSecret();
    const text = await editText(Buffer.alloc(0), file);
    if (!existsSync(dirname(file))) {
      this.io.stderr.write(`[WARNING]: ${dirname(file)} does not exist, creating...\n`);
      mkdirSync(dirname(file), { recursive: true });
    }
    await writeFileAtomic(file, encryptWith(secret, text));
  }

  async encryptString(): Promise<void> {
    const { flags } = this;
    const fromStdin = this.files.length === 0 || this.files.includes(STDIO) || flags.stdinName !== undefined;
    if (flags.prompt && fromStdin) throw usage("--prompt cannot be used while the string is read from stdin", "give the string as an argument, or drop --prompt");
    const secret = await this.newSecret();
    const inputs: Array<{ text: Buffer; name?: string }> = [];
    if (flags.prompt) inputs.push(await this.promptedString());
    if (fromStdin) {
      const text = await readInput(STDIO, this.io);
      if (text.length === 0) throw usage("stdin was empty: nothing to encrypt");
      inputs.push({ text, name: flags.stdinName });
    }
    this.files
      .filter((arg) => arg !== STDIO)
      .forEach((arg, i) => {
        if (arg === "") throw usage("an empty string cannot be encrypted");
        inputs.push({ text: Buffer.from(arg, "utf8"), name: flags.name[i] });
      });
    const blocks = inputs.map(({ text, name }) => inlineVaultBlock(encryptWith(secret, text), name));
    await writeOutput(flags.output ?? STDIO, `${blocks.join("\n")}\n`, this.io);
  }

  private async promptedString(): Promise<{ text: Buffer; name?: string }> {
    const name = await this.questions.ask("Variable name (enter for no name): ");
    const text = await this.questions.ask("String to encrypt (hidden): ");
    if (text === "") throw usage("the string given at the prompt was empty: nothing to encrypt");
    return { text: Buffer.from(text, "utf8"), ...(name ? { name } : {}) };
  }

  async rekey(): Promise<void> {
    const files = this.namedFiles("rekey");
    const keyring = await this.readSecrets();
    const { newVaultPasswordFile, newVaultId } = this.flags;
    const next = await this.secrets({
      vaultIds: newVaultId ? [newVaultId] : [],
      passwordFiles: newVaultPasswordFile ? [newVaultPasswordFile] : [],
      askVaultPass: false,
      promptWhenNone: true,
      newPassword: true,
    });
    const secret = encryptionSecret(next);
    const results = await this.convertAll(files, (data, file) => encryptWith(secret, decryptFile(keyring, data, file).plaintext));
    for (const { file, data } of results) await writeFileAtomic(file, data);
    this.io.stderr.write("Rekey successful\n");
  }
}

export async function vaultCommand(action: string, files: string[], flags: VaultCommandFlags, io: CliIO): Promise<number> {
  if (!(VAULT_ACTIONS as readonly string[]).includes(action)) {
    return printErrors([{ kind: "usage", message: `unknown vault action "${action}"`, hint: `use one of ${VAULT_ACTIONS.join(", ")}` }], io);
  }
  const questions = new TerminalQuestions(io);
  const run = new VaultRun(flags, files, io, questions);
  const actions: Record<Action, () => Promise<void>> = {
    encrypt: () => run.encrypt(),
    decrypt: () => run.decrypt(),
    view: () => run.view(),
    edit: () => run.edit(),
    create: () => run.create(),
    encrypt_string: () => run.encryptString(),
    rekey: () => run.rekey(),
  };
  try {
    await actions[action as Action]();
    return 0;
  } catch (e) {
    return printErrors([e instanceof VaultUsageError ? e.context : vaultFlagError(e)], io);
  } finally {
    questions.done();
  }
}
