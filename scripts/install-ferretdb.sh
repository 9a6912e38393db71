#!/usr/bin/env bash
# Builds FerretDB (Apache-2.0, the MongoDB wire protocol on SQLite) into .tools/bin/ferretdb, so
# that the MongoDB store's tests and `npm run bench -- --store mongo` have a server to run against.
# Needs Go on PATH and the Go module proxy. Idempotent: when the binary is there and reports the
# pinned version it only checks (a few milliseconds). Exits 1 with the reason when it cannot build.
#
# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the module as published
# lacks build/version/version.txt (FerretDB's release tooling generates it), and a binary built
# without it panics at start. So this copies the module's source out of the module cache, writes
# that file, and builds it with -trimpath, which keeps the Go build cache valid across copies
# (a rebuild from a warm cache takes a few seconds).
set -euo pipefail

version=v1.24.2
module=github.com/FerretDB/FerretDB
root=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=$root/.tools/bin
bin=$bin_dir/ferretdb
log=$root/.tools/ferretdb-build.log

installed_version() { "$bin" --version 2>/dev/null | sed -n 's/^version: //p'; }

if [[ -x $bin && $(installed_version) == "$version" ]]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-ferretdb: Go is not on PATH; install Go >= 1.24 (https://go.dev/dl/) and run this again" >&2
  exit 1
fi

mkdir -p "$bin_dir"
# A binary of another version is not what the tests and docs describe: replace it or have none.
rm -f "$bin"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work" "$bin.tmp.$$"' EXIT
echo "install-ferretdb: building FerretDB $version into .tools/bin (about 2 minutes the first time) …"
start=$SECONDS
# Every step checks its own status: `set -e` does not apply inside a function called from `if !`.
build() {
  local source_dir
  # The module's directory in the module cache, downloaded if needed.
  source_dir=$(go mod download -json "$module@$version" | node -e '
    let json = ""; process.stdin.on("data", (d) => (json += d)).on("end", () => {
      const info = JSON.parse(json);
      if (info.Error || !info.Dir) { console.error(info.Error ?? "no Dir in go mod download output"); process.exit(1); }
      console.log(info.Dir);
    });') || return 1
  if [[ ! -f $source_dir/go.mod || ! -d $source_dir/cmd/ferretdb ]]; then
    echo "go mod download gave no FerretDB source directory (got \"$source_dir\")"
    return 1
  fi
  cp -R "$source_dir/." "$work/src" && chmod -R u+w "$work/src" || return 1
  echo "$version" >"$work/src/build/version/version.txt" || return 1
  # Pure Go (modernc.org/sqlite): no C compiler needed, and a static binary.
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$bin.tmp.$$" ./cmd/ferretdb) || return 1
  mv -f "$bin.tmp.$$" "$bin"
}
if ! build >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "install-ferretdb: building FerretDB $version failed (full output in .tools/ferretdb-build.log)" >&2
  exit 1
fi
if [[ $(installed_version) != "$version" ]]; then
  echo "install-ferretdb: the built binary does not report version $version: $("$bin" --version 2>&1 | head -n 3)" >&2
  rm -f "$bin"
  exit 1
fi
rm -f "$log"
echo "install-ferretdb: FerretDB $version ready in .tools/bin ($((SECONDS - start)) s)"
