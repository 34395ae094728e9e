#!/usr/bin/env bash
# fetch-deb.sh SUITE ARCH OUTDIR PKG...
# Download .debs from a Debian suite the host does not use (e.g.
# trixie-backports) through a private apt state under the cache, so the
# host's own apt configuration is never touched.
set -euo pipefail
suite=$1 arch=$2 out=$3; shift 3
cache=${NESTBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestbench}
st=$cache/apt/$suite-$arch
mkdir -p "$st/lists/partial" "$st/archives/partial" "$st/etc" "$out"
release=${suite%%-*}
cat > "$st/etc/sources.list" <<EOS
deb [arch=$arch] http://deb.debian.org/debian $release main
deb [arch=$arch] http://deb.debian.org/debian $suite main
EOS
opts=(-o "Dir::Etc::SourceList=$st/etc/sources.list"
      -o "Dir::Etc::SourceParts=/nonexistent"
      -o "Dir::State=$st" -o "Dir::State::Lists=$st/lists"
      -o "Dir::State::status=/dev/null"
      -o "Dir::Cache=$st" -o "Dir::Cache::archives=$st/archives"
      -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
# Lists older than a day are refreshed; a fresh cache always fetches them.
if [ -z "$(find "$st/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
	apt-get "${opts[@]}" update -qq >&2
fi
cd "$out"
apt-get "${opts[@]}" download "$@" >&2
