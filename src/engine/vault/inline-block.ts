// The YAML that `encrypt_string` prints, as ansible-vault formats it: `name: !vault |` and the
// vault text indented by 10 spaces, ready to paste into a vars file.

const INDENT = " ".repeat(10);

export function inlineVaultBlock(vaultText: string, name?: string): string {
  const lines = vaultText.split("\n").filter((line) => line !== "");
  return [`${name ? `${name}: ` : ""}!vault |`, ...lines.map((line) => INDENT + line)].join("\n");
}
