import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

const POLL_MS = 250;

/** True once something on 127.0.0.1:port sends an SSH identification line. Docker's port proxy
 * accepts connections before sshd listens, so an open port alone proves nothing. */
function sshBannerAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let received = "";
    const finish = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(2_000, () => finish(false));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\n")) finish(received.startsWith("SSH-"));
    });
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(false));
  });
}

export async function waitForSsh(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await sshBannerAnswers(port))) {
    if (Date.now() > deadline) throw new Error(`sshd on 127.0.0.1:${port} did not answer within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

// `--wait` blocks until boot finishes; "degraded" (a unit failed) still leaves a usable host.
const SYSTEMD_BOOTED =
  'state=$(systemctl is-system-running --wait 2>/dev/null); ' +
  'case "$state" in running|degraded) systemctl is-active --quiet ssh.service ;; *) exit 1 ;; esac';

export async function waitForSystemd(exec: (cmd: string) => Promise<ExecResult>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await exec(SYSTEMD_BOOTED);
    if (result.rc === 0) return;
    if (Date.now() > deadline) {
      const state = await exec("systemctl is-system-running; systemctl --failed --no-legend");
      throw new Error(`systemd did not finish booting within ${timeoutMs} ms: ${state.stdout}${state.stderr}`);
    }
    await sleep(POLL_MS);
  }
}
