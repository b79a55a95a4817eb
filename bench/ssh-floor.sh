#!/bin/bash
# The floor: what plain OpenSSH needs for the no-op run's round trips. Per host, one multiplexed
# ControlMaster connection, then the 30 read-only probes a no-op run makes (one per task and loop
# item: stat, cat, sha256sum, grep of /proc/sys ...) one after another; all hosts in parallel.
# Usage: ssh-floor.sh PRIVATE_KEY KNOWN_HOSTS ADDRESS:PORT...
set -u
key=$1 known_hosts=$2
shift 2
control_dir=$(mktemp -d /tmp/kplay-bench-floor-XXXXXX)
trap 'rm -rf "$control_dir"' EXIT
root=/opt/kbench
probes=(
  "stat -c '%F %a %U %G' $root"
  "stat -c '%F %a %U %G' $root/conf.d"
  "stat -c '%F %a %U %G' $root/data"
  "stat -c '%F %a %U %G' $root/log"
  "stat -c '%F %a' $root/data/alpha"
  "stat -c '%F %a' $root/data/beta"
  "stat -c '%F %a' $root/data/gamma"
  "stat -c '%F %a' $root/data/delta"
  "stat -c '%F %a' $root/data/epsilon"
  "sha256sum $root/conf.d/main.conf; stat -c '%a %U %G' $root/conf.d/main.conf"
  "sha256sum $root/env; stat -c '%a %U %G' $root/env"
  "sha256sum $root/VERSION; stat -c '%a %U %G' $root/VERSION"
  "sha256sum $root/README; stat -c '%a %U %G' $root/README"
  "sha256sum $root/conf.d/bench.conf; stat -c '%a %U %G' $root/conf.d/bench.conf"
  "sha256sum $root/conf.d/limits.conf; stat -c '%a %U %G' $root/conf.d/limits.conf"
  "cat $root/settings.ini"
  "cat $root/settings.ini"
  "cat $root/settings.ini"
  "cat $root/settings.ini"
  "cat /proc/sys/net/ipv4/ip_forward /etc/sysctl.d/90-kbench.conf"
  "cat /proc/sys/net/ipv4/ip_local_port_range /etc/sysctl.d/90-kbench.conf"
  "cat /proc/sys/net/ipv4/tcp_max_syn_backlog /etc/sysctl.d/90-kbench.conf"
  "cat /etc/hostname"
  "uname -r"
  "test -d $root"
  "sha256sum $root/even $root/odd 2>/dev/null; true"
  "readlink $root/current"
  "stat -c '%a %U %G' $root/conf.d/main.conf"
  "stat -c '%F %a' $root/cache $root/tmp; test ! -e $root/leftover"
  "sha256sum $root/cache/marker; cat $root/VERSION"
)
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
