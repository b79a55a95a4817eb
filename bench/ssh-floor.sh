#!/bin/bash
# The floor: what plain OpenSSH needs for the no-op run's round trips. Per host, one multiplexed
# ControlMaster connection, then the 30 read-only probes a no-op run makes (floor-probes.txt: one
# per task and loop item: stat, cat, sha256sum, /proc/sys ...) one after another; all hosts in parallel.
# Usage: ssh-floor.sh PRIVATE_KEY KNOWN_HOSTS ADDRESS:PORT...
set -u
key=$1 known_hosts=$2
shift 2
control_dir=$(mktemp -d /tmp/kplay-bench-floor-XXXXXX)
trap 'rm -rf "$control_dir"' EXIT
mapfile -t probes < "$(dirname "$0")/floor-probes.txt"
one_host() {
  local address=${1%:*} port=${1##*:} socket="$control_dir/$1"
  local opts=(-p "$port" -i "$key" -o UserKnownHostsFile="$known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes -o ControlPath="$socket")
  ssh "${opts[@]}" -o ControlMaster=yes -o ControlPersist=yes -N -f "root@$address" || return 1
  local probe failed=0
  for probe in "${probes[@]}"; do
    ssh "${opts[@]}" "root@$address" "$probe" > /dev/null || failed=1
  done
  ssh "${opts[@]}" -O exit "root@$address" 2> /dev/null
  return $failed
}
pids=()
for target in "$@"; do
  one_host "$target" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
echo "ssh floor: ${#probes[@]} round trips per host on $# hosts, status $status"
exit $status
