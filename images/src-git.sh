#!/usr/bin/env bash
# src-git.sh REPO
# A bare git repository whose one commit is Debian's linux-source-7.2 as
# extracted in the cache, byte for byte (the cache's own markers .ok,
# .debversion and .gittree left out: the build reads none of them), with
# fixed names and dates so that its hash is the same on every machine.
# Prints the commit's hash. Made for trees that start from the shipped
# source (nestbench bisect's test plants commits on top of it).
#
# It records the commit's tree hash in the source's .gittree: a git tree
# whose HEAD has that tree and no local change has the very content of the
# source, so build-kernel.sh gives it the source's identity and the two
# share one build tree (no second cold build for the same bytes).
set -euo pipefail
LOG_TAG=src-git
. "$(dirname "$0")/lib.sh"

repo=$1
src=$NESTBENCH_CACHE/src/linux-source-7.2
export GIT_AUTHOR_NAME=nestbench GIT_AUTHOR_EMAIL=nestbench@localhost
export GIT_COMMITTER_NAME=nestbench GIT_COMMITTER_EMAIL=nestbench@localhost
export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'

# git as plainly as it gets: no user or system configuration, no filter,
# no line-ending conversion, modes and symlinks recorded as they are.
g() {
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -c core.autocrlf=false \
		-c core.fileMode=true -c core.symlinks=true "$@"
}

make_repo() {
	local tmp=$1 tree commit
	g init -q --bare "$tmp"
	# -f: the kernel's .gitignore files must not hide a file of the source
	GIT_DIR=$tmp GIT_WORK_TREE=$src g add -f -A -- . ':!.ok' ':!.debversion' ':!.gittree' \
		> "$logf" 2>&1 || die "adding the source to git" "$logf" "check free space in $(dirname "$repo")"
	tree=$(GIT_DIR=$tmp g write-tree)
	commit=$(GIT_DIR=$tmp g commit-tree "$tree" -m "linux-source-7.2 as shipped" \
		-m "$(cat "$src/.debversion"), extracted by nestbench's images/build-kernel.sh")
	GIT_DIR=$tmp g update-ref refs/heads/master "$commit"
	rm -f "$tmp/index"	# bare: the commit is all it holds
	printf '%s\n' "$tree" > "$src/.gittree.tmp" && mv "$src/.gittree.tmp" "$src/.gittree"
}

main() {
	local t0=$(date +%s)
	[ -f "$src/.ok" ] || die "finding linux-source-7.2" "" "run make images first (it fetches the source)"
	if [ ! -f "$repo/.nb-ok" ]; then
		mkdir -p "$(dirname "$repo")"
		logf=$NESTBENCH_CACHE/logs/src-git.log
		log "adding $src to git: $repo"
		rm -rf "$repo.tmp"
		make_repo "$repo.tmp"
		touch "$repo.tmp/.nb-ok"
		publish "$repo.tmp" "$repo"
		log "source repository ready in $(( $(date +%s) - t0 )) s"
	fi
	GIT_DIR=$repo g rev-parse --verify refs/heads/master
}

main
