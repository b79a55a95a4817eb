// Ending a shell's processes on the host: the shell and everything it started, found by parent
// pid. Closing an SSH channel alone ends nothing (sshd signals no process of a session without a
// terminal), and sshd refuses the protocol's `signal` request for root logins.

/** POSIX sh that sends TERM to each pid and all its descendants (ps and awk, as on any Linux host). */
export function killTreeScript(pids: readonly number[]): string {
  return [
    `pids='${pids.join(" ")}' all=`,
    `while [ -n "$pids" ]; do`,
    `  all="$all $pids"`,
    `  pids=$(ps -e -o pid= -o ppid= | awk -v p=" $pids " 'index(p, " " $2 " ") { printf "%s ", $1 }')`,
    `done`,
    // A command under `timeout` forwards the TERM to its own process group.
    `kill -TERM $all 2>/dev/null || :`,
  ].join("\n");
}
