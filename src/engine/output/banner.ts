// "TASK [name] *****": stars fill the line to 80 columns (Ansible: 79 - len, at least 3).
const WIDTH = 79;

export function banner(text: string, width = WIDTH): string {
  const msg = text.trim();
  return `${msg} ${"*".repeat(Math.max(3, width - msg.length))}`;
}
