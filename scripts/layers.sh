#!/usr/bin/env bash
# scripts/layers.sh OBJDIR: the architecture's two rules, checked on the code
# as built (docs/architecture.md), one TAP line each:
#  1. includes run downwards only: stack/ collect/ < agent/ workloads/ < stats/ < bench/
#  2. no two source files call each other (from the objects' symbol tables)
set -u
cd "$(dirname "$0")/.."
obj=${1:-build/host}
rank() {
	case $1 in
	stack|collect) echo 0 ;; agent|workloads) echo 1 ;; stats) echo 2 ;; bench) echo 3 ;; *) echo 9 ;;
	esac
}
echo "1..2"
bad=0
for f in stack/*.[ch] collect/*.[ch] agent/*.[ch] workloads/*.[ch] stats/*.[ch] bench/*.[ch]; do
	from=${f%%/*}
	while read -r to; do
		if [ "$(rank "$to")" -gt "$(rank "$from")" ]; then
			echo "# $f includes $to/: a lower folder includes a higher one"
			bad=1
		fi
	done < <(sed -n 's|^#include "\([a-z]*\)/.*|\1|p' "$f")
done
[ $bad = 0 ] && echo "ok 1 - includes run from higher folders to lower ones only" ||
	echo "not ok 1 - includes run from higher folders to lower ones only"

# functions defined (T) and symbols used (U) by each object: a call is a use of another file's function
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$obj" -name '*.o' ! -path '*/tests/*' ! -path '*/simulation/*' | while read -r o; do
	src=${o#"$obj"/}
	nm "$o" 2>/dev/null | awk -v s="${src%.o}.c" '$1 == "U" { print "U", $2, s } $2 == "T" { print "D", $3, s }'
done > "$tmp/syms"
awk '$1 == "D" { def[$2] = $3 } $1 == "U" { use[NR] = $2; by[NR] = $3 }
     END { for (i in use) if (use[i] in def && def[use[i]] != by[i]) print by[i], def[use[i]] }' \
	"$tmp/syms" | sort -u > "$tmp/calls"
cycles=$(awk '{ e[$1 " " $2] = 1 } END { for (k in e) { split(k, p, " "); if ((p[2] " " p[1]) in e && p[1] < p[2]) print p[1] " <-> " p[2] } }' "$tmp/calls")
if [ -z "$cycles" ]; then
	echo "ok 2 - no two files call each other ($(wc -l < "$tmp/calls") caller -> callee file pairs)"
else
	printf '%s\n' "$cycles" | sed 's/^/# /'
	echo "not ok 2 - no two files call each other"
fi
