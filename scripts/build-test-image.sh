#!/usr/bin/env bash
# Builds the container image the integration tests boot as "real hosts": Debian bookworm with
# systemd and OpenSSH. No registry is reachable, so the root filesystem comes from debootstrap
# and enters Docker through `docker import`.
#
# Usage: DEPLOY_PASSWORD=... build-test-image.sh IMAGE:TAG
# `docker import` cannot set STOPSIGNAL: test/support/hosts.ts sets SIGRTMIN+3 so systemd halts cleanly.
# The caller (test/support/docker.ts) derives TAG from a hash of this file and the password,
# so editing the recipe below produces a new image and an unchanged recipe is never rebuilt.
set -euo pipefail

image="${1:?usage: DEPLOY_PASSWORD=... $0 IMAGE:TAG}"
deploy_password="${DEPLOY_PASSWORD:?DEPLOY_PASSWORD must be set}"
# The mirror this machine's apt uses for bookworm: the only one CI machines may reach.
apt_mirror="$(apt-get indextargets --no-release-info --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' 2>/dev/null \
  | awk '$1 == "bookworm" { print $2; exit }')"
mirror="${DEBIAN_MIRROR:-${apt_mirror:-http://deb.debian.org/debian}}"
# Downloaded .debs survive between builds so a recipe change does not fetch everything again.
deb_cache="${KPLAY_TESTBED_DEB_CACHE:-$HOME/.cache/kplay-testbed/debs}"

packages=(
  systemd systemd-sysv openssh-server iproute2 procps kmod sudo
  # What module tests need offline.
  curl ca-certificates iptables tar gzip unzip xz-utils netcat-openbsd file
  # Not for kplay (it needs only sh): lets ansible-playbook run against the same hosts for comparisons.
  # python3-minimal alone lacks modules Ansible's payloads import (shutil), hence the standard library.
  python3-minimal libpython3-stdlib
)

rootfs="$(mktemp -d /var/tmp/kplay-testbed-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$deb_cache"

include="$(IFS=,; echo "${packages[*]}")"
debootstrap --variant=minbase --cache-dir="$deb_cache" --include="$include" bookworm "$rootfs" "$mirror"

# A sudoer who must type a password: exercises `become` with a password.
chroot "$rootfs" useradd --create-home --shell /bin/bash --groups sudo deploy
printf 'deploy:%s\n' "$deploy_password" | chroot "$rootfs" chpasswd

# Root logs in by key only; the key is copied into each container when it starts.
install -d -m 0700 "$rootfs/root/.ssh"
cat > "$rootfs/etc/ssh/sshd_config.d/kplay-testbed.conf" <<'CONF'
PermitRootLogin prohibit-password
PasswordAuthentication yes
UseDNS no
# Generated per container by kplay-host-keys (below).
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
HostKey /etc/ssh/ssh_host_rsa_key
CONF

# Every container must have its own host keys (known_hosts tests depend on it): drop the baked
# ones and generate the missing ones of the given types when the container starts.
# RSA is 2048 bits: 3072 took seconds of every boot on the shared 2-core machines.
rm -f "$rootfs"/etc/ssh/ssh_host_*
cat > "$rootfs/usr/local/sbin/kplay-host-keys" <<'SH'
#!/bin/sh
set -eu
for type in "$@"; do
  key="/etc/ssh/ssh_host_${type}_key"
  [ -e "$key" ] || ssh-keygen -q -t "$type" -b "$([ "$type" = rsa ] && echo 2048 || echo 256)" -N '' -f "$key"
done
SH
chmod 0755 "$rootfs/usr/local/sbin/kplay-host-keys"
cat > "$rootfs/etc/systemd/system/kplay-host-keys.service" <<'UNIT'
[Unit]
Description=Generate this container's SSH host keys
Before=ssh.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/kplay-host-keys ed25519 ecdsa rsa

[Install]
WantedBy=multi-user.target
UNIT
ln -s /etc/systemd/system/kplay-host-keys.service \
  "$rootfs/etc/systemd/system/multi-user.target.wants/kplay-host-keys.service"
# Checks ext4 snapshots: meaningless in a container and a second of every boot.
ln -s /dev/null "$rootfs/etc/systemd/system/e2scrub_reap.service"

# Light mode (no systemd, for many-host benchmarks) runs this instead of systemd; no RSA key, so
# hundreds of hosts start cheaply (-h replaces the configured HostKey list).
cat > "$rootfs/usr/local/sbin/kplay-light-sshd" <<'SH'
#!/bin/sh
set -eu
mkdir -p /run/sshd
/usr/local/sbin/kplay-host-keys ed25519 ecdsa
exec /usr/sbin/sshd -D -e -h /etc/ssh/ssh_host_ed25519_key -h /etc/ssh/ssh_host_ecdsa_key
SH
chmod 0755 "$rootfs/usr/local/sbin/kplay-light-sshd"

# An empty machine-id makes systemd create a distinct one in each container.
: > "$rootfs/etc/machine-id"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb

tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["/lib/systemd/systemd"]' \
  -c 'ENV container=docker' \
  -c 'EXPOSE 22' \
  - "$image"
