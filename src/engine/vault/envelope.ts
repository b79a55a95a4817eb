// The text around a vault payload: a `$ANSIBLE_VAULT;1.1;AES256` header (`1.2;AES256;LABEL` when
// the data names its vault-id), then the hex payload in lines of 80 characters, as
// ansible-vault writes it.

const HEADER = "$ANSIBLE_VAULT";
const CIPHER = "AES256";
const LINE_WIDTH = 80;
/** Ansible's identity for secrets given without a label (`--vault-password-file`, `--ask-vault-pass`). */
export const DEFAULT_VAULT_ID = "default";

export interface VaultEnvelope {
  version: string;
  /** The vault-id named in a 1.2 header; a hint for which secret to try first, not a proof. */
  label?: string;
  /** The hex payload, lines joined. */
  payload: string;
}

/** Malformed vault text; `line` counts from the header (line 1). Never quotes the data. */
export class VaultFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Does this text hold vaulted data (what Ansible's is_encrypted checks)? */
export function isVaulted(text: string): boolean {
  return text.startsWith(HEADER);
}

export function parseEnvelope(text: string): VaultEnvelope {
  const [header, ...body] = text.split(/\r?\n/);
  const fields = header.trim().split(";").map((f) => f.trim());
  if (fields[0] !== HEADER || fields.length < 3) {
    throw new VaultFormatError(`the vault header must read "${HEADER};1.1;${CIPHER}" or "${HEADER};1.2;${CIPHER};LABEL"`, 1);
  }
  if (fields[2] !== CIPHER) throw new VaultFormatError(`unsupported vault cipher "${fields[2]}" (only ${CIPHER} exists)`, 1);
  const lines = body.map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new VaultFormatError("the vault data is empty after its header", 2);
  lines.forEach((line, i) => {
    if (!/^[0-9a-fA-F]+$/.test(line)) throw new VaultFormatError("this line of the vault data is not hexadecimal", i + 2);
  });
  const payload = lines.join("");
  if (payload.length % 2 !== 0) throw new VaultFormatError("the vault data is cut short (odd number of hex digits)", lines.length + 1);
  return { version: fields[1], ...(fields[3] ? { label: fields[3] } : {}), payload };
}

export function formatEnvelope(payload: string, label?: string): string {
  const header = label && label !== DEFAULT_VAULT_ID ? `${HEADER};1.2;${CIPHER};${label}` : `${HEADER};1.1;${CIPHER}`;
  const lines = [header];
  for (let i = 0; i < payload.length; i += LINE_WIDTH) lines.push(payload.slice(i, i + LINE_WIDTH));
  return `${lines.join("\n")}\n`;
}
