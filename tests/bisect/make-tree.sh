#!/usr/bin/env bash
# make-tree.sh: the e2e test's kernel tree for nestbench bisect, printed as
#   REPO GOOD BAD SLOW
# a git repository (cached) whose commits are Debian's linux-source-7.2 as
# shipped (GOOD, images/src-git.sh), then this directory's patches in order:
# two harmless ones, the planted slow one (SLOW: 10001 instructions per MMIO
# data abort at L0, seen at depth 1), one more harmless one (BAD). Fixed
# names and dates: the hashes are the same on every run and every machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../images/lib.sh"
export GIT_AUTHOR_NAME=nestbench GIT_AUTHOR_EMAIL=nestbench@localhost
export GIT_COMMITTER_NAME=nestbench GIT_COMMITTER_EMAIL=nestbench@localhost
export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
g() { GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_DIR=$repo git "$@"; }

src=$NESTBENCH_CACHE/src/linux-source-7.2
[ -f "$src/.debversion" ] || die "finding linux-source-7.2" "" "run make images first"
repo=$NESTBENCH_CACHE/src/linux-source-7.2-$(hash_of "$src/.debversion").git
good=$("$here/../../images/src-git.sh" "$repo")

# commit PARENT PATCH: a commit of PARENT's tree with PATCH applied, the
# patch's Subject and body its message; prints the hash
commit() {
	local parent=$1 p=$2 idx tree subj body
	idx=$(mktemp "${TMPDIR:-/tmp}/nb-index.XXXXXX")
	GIT_INDEX_FILE=$idx g read-tree "$parent"
	GIT_INDEX_FILE=$idx g apply --cached "$p"
	tree=$(GIT_INDEX_FILE=$idx g write-tree)
	rm -f "$idx"
	subj=$(sed -n 's/^Subject: //p' "$p" | head -1)
	body=$(sed -n '/^Subject: /,/^---$/p' "$p" | sed '1d;$d' | sed '/./,$!d')
	g commit-tree "$tree" -p "$parent" -m "$subj" -m "$body"
}

head=$good
slow=
for p in "$here"/0*.patch; do
	head=$(commit "$head" "$p")
	case $p in *slow*) slow=$head ;; esac
done
g update-ref refs/heads/bisect-test "$head"
echo "$repo $good $head $slow"
