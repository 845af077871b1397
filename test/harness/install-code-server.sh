#!/usr/bin/env bash
# Installs code-server (a real VS Code: workbench in the browser, Node extension host) from the npm
# registry into a cache folder outside the repo, once per machine. Works without internet access
# beyond npm: every step that would download a prebuilt binary is replaced by a local build or by
# Debian's binary. Prints the path of code-server's entry.js on its last line.
# code-server 4.100.x is the last line that runs on Node 20 (VS Code 1.100).
set -euo pipefail
VERSION=${CODE_SERVER_VERSION:-4.100.3}
CACHE_ROOT=${K8S_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-audit-dev}
DEST="$CACHE_ROOT/code-server-$VERSION"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"
if [ -f "$DEST/.complete" ] && [ -f "$ENTRY" ]; then echo "$ENTRY"; exit 0; fi
# ripgrep stands in for the binary @vscode/ripgrep would download; kerberos needs the krb5 headers.
bash "$(dirname "$0")/../../scripts/ensure-system-packages.sh" ripgrep libkrb5-dev unzip
rm -rf "$DEST"; mkdir -p "$DEST"; cd "$DEST"
log() { echo "[install-code-server] $*" >&2; }
npm init -y >/dev/null
# Without scripts: code-server's postinstall refuses root and would download ripgrep.
log "npm install code-server@$VERSION"
npm_config_unsafe_perm=true npm install "code-server@$VERSION" --ignore-scripts --no-audit --no-fund >&2
log "building argon2 from source (its prebuilt download is not reachable)"
npm rebuild argon2 >&2
cd node_modules/code-server/lib/vscode
log "installing the VS Code server's own dependencies"
npm install --omit=dev --ignore-scripts --no-audit --no-fund >&2
mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
log "building native modules against the local Node headers"
npm_config_yes=true npm rebuild --foreground-scripts >&2
(cd extensions && npm install --omit=dev --no-audit --no-fund >&2)
touch "$DEST/.complete"
log "done"
echo "$ENTRY"
