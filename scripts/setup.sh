#!/usr/bin/env bash
# What `npm start` and `npm test` need from the OS: Node >= 20.19 and redis-server (the launcher
# starts its own; a system Redis service is not used), plus with --test docker-compose (the test
# suite validates docker-compose.yml with it), Debian's chromium at /usr/bin/chromium (the
# browser test drives it headless with playwright-core) and, when Go is installed, FerretDB in
# .tools/bin (scripts/install-ferretdb.sh; the MongoDB store's tests run against it). Idempotent:
# when everything is there it only checks.
set -euo pipefail

usage() { echo "usage: bash scripts/setup.sh [--test]"; }
with_test_tools=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test_tools=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

# Node: the engines field of package.json.
if ! command -v node >/dev/null 2>&1; then
  echo "setup: Node.js >= 20.19 is required; install it from https://nodejs.org" >&2
  exit 1
fi
node_version=$(node -p 'process.versions.node')
IFS=. read -r node_major node_minor _ <<<"$node_version"
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
  echo "setup: Node.js >= 20.19 is required, this is $node_version; install a newer one from https://nodejs.org" >&2
  exit 1
fi

# Optional: without Go, or when its build fails, the MongoDB store's tests skip and say why.
if ((with_test_tools)); then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: Go is not on PATH, so FerretDB is not built and the MongoDB store tests will be skipped (install Go >= 1.24 to run them)"
  elif ! bash "$(dirname "$0")/install-ferretdb.sh"; then
    echo "setup: FerretDB was not built (see above); the MongoDB store tests will be skipped" >&2
  fi
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ((with_test_tools)); then
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  # The browser test launches this exact path, so a chromium elsewhere on PATH does not count.
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
fi
((${#missing[@]} == 0)) && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  brew=("${missing[@]/redis-server/redis}")
  echo "setup: please install ${missing[*]} (macOS: brew install ${brew[*]}), then run this again" >&2
  if [[ " ${missing[*]} " == *" chromium "* ]]; then
    echo "setup: the browser test runs Chromium from /usr/bin/chromium, where Debian's chromium package puts it" >&2
  fi
  exit 1
fi
if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup: not root and no sudo; as root run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
root() { "${as_root[@]+"${as_root[@]}"}" "$@"; }

# Debian starts a package's service on install; we run our own redis-server, and a system one
# would hold port 6379 (or fail the install when that port is taken). policy-rc.d says "don't".
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
  trap 'root rm -f "$policy"' EXIT
fi

log=$(mktemp)
echo "setup: installing ${missing[*]} …"
if ! root apt-get update -qq >"$log" 2>&1 ||
  ! root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  rm -f "$log"
  echo "setup: installing ${missing[*]} failed (output above)" >&2
  exit 1
fi
rm -f "$log"

# Not needed at boot either: the launcher and the tests start redis-server themselves.
if [[ " ${missing[*]} " == *" redis-server "* ]]; then
  if [[ -d /run/systemd/system ]]; then
    root systemctl disable --now redis-server.service >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/redis-server ]]; then
    root /etc/init.d/redis-server stop >/dev/null 2>&1 || true
    root update-rc.d redis-server disable >/dev/null 2>&1 || true
  fi
fi
echo "setup: done"
