#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing (idempotent; needs root or
# sudo). Known names: chromium, ripgrep, unzip, jq, libkrb5-dev, clickhouse-server.
set -euo pipefail
missing=()
for package in "$@"; do
  case "$package" in
    chromium) command -v chromium >/dev/null || missing+=(chromium) ;;
    ripgrep) command -v rg >/dev/null || missing+=(ripgrep) ;;
    # Debian's package installs the server without starting it (tests start their own).
    clickhouse-server) [ -x /usr/sbin/clickhouse-server ] || missing+=(clickhouse-server) ;;
    libkrb5-dev) [ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev) ;;
    *) command -v "$package" >/dev/null || missing+=("$package") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
