#!/usr/bin/env bash
# nestbench bisect on a real kernel tree (tests/bisect/make-tree.sh): Debian's
# source as shipped (good), two harmless commits, the planted slow one (10001
# instructions per MMIO data abort at L0), one more harmless one (bad); depth-1
# steps, 2 boots per arm. The bisect names the planted commit; interrupted
# after its first decided step, the same command resumes and reuses that step;
# usage errors exit 2. Each step builds only what its diff touches: the good
# revision is byte for byte Debian's source and shares its build tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
set +e
plan 18

EXP=$TOP/tests/experiments/bisect.ini
CACHE=${NESTBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestbench}
t0=$(date +%s)
if ! read -r repo good bad slow < <("$TOP/tests/bisect/make-tree.sh" 2> "$WORK/tree.log") || [ -z "$slow" ]; then
	not_ok "the 4-commit tree could not be made"; diag "$WORK/tree.log"
	exit 1
fi
ok "the 4-commit tree: good ${good:0:12}, planted slow ${slow:0:12}, bad ${bad:0:12} ($(( $(date +%s) - t0 )) s)"
state=$WORK/res/bisect/${good:0:12}..${bad:0:12}

# +5 %: 2 boots per arm resolve about +-2 % here; the planted commit adds about +11 %
bis() { "$NB" bisect --ksrc "$repo" --good "$good" --bad "$bad" --threshold +5% --results "$WORK/res" "$@"; }
usage() {	# DESCRIPTION ARGS...: exit 2 and a message, nothing started
	local d=$1 rc; shift
	"$NB" bisect "$@" > "$WORK/usage.log" 2>&1; rc=$?
	check "usage error, exit 2 ($rc): $d" test "$rc" -eq 2 -a -s "$WORK/usage.log" -a ! -e "$state"
}
usage "no --bad" --ksrc "$repo" --good "$good" "$EXP"
usage "--threshold without %" --ksrc "$repo" --good "$good" --bad "$bad" --threshold 2 "$EXP"
usage "--good not an ancestor of --bad" --ksrc "$repo" --good "$bad" --bad "$good" "$EXP"
usage "an experiment whose kernels are not base and patched" --ksrc "$repo" --good "$good" --bad "$bad" \
	"$TOP/experiments/control.ini"

# Interrupted (the whole process group, as ^C) once its first step is decided
# and the second step's experiment has finished a repetition.
t0=$(date +%s)
setsid "$NB" bisect --ksrc "$repo" --good "$good" --bad "$bad" --threshold +5% --results "$WORK/res" \
	"$EXP" > "$WORK/first.log" 2>&1 &
pid=$!
rev1= rev2=
for i in $(seq 7200); do
	rev1=$(grep -sP '^[0-9a-f]{40}\t(good|bad|skip)\t' "$state/bisect.log" | head -1 | cut -f1)
	rev2=$(grep -sP '^[0-9a-f]{40}\trunning\t' "$state/bisect.log" | head -1 | cut -f1)
	[ -n "$rev1" ] && [ -n "$rev2" ] && grep -qs ' mark end 1 ' "$state"/steps/"${rev2:0:12}"/*/*/raw/boot-*/frames.log && break
	kill -0 $pid 2> /dev/null || break
	sleep 0.5
done
kill -TERM -- -$pid 2> /dev/null; wait $pid 2> /dev/null
t_first=$(( $(date +%s) - t0 ))
check "interrupted after step ${rev1:0:12} was decided, inside step ${rev2:0:12}'s experiment ($t_first s)" \
	test -n "$rev1" -a -n "$rev2" || diag "$WORK/first.log"
sleep 2
check "no QEMU left behind by the interrupted bisect" bash -c "! pgrep -f '[q]emu-system-aarch64.*$WORK' > /dev/null"
check "the step booted the good revision's kernel from Debian's build tree (source identity shared)" \
	grep -q "^kernel.base.source=linux-source-7.2_" "$state/steps/${rev1:0:12}/images.manifest"
# what makes the sharing truthful: the good commit's files are Debian's, byte for byte
check "the good revision's worktree is byte-identical to Debian's source" \
	diff -r -q --no-dereference -x .git -x .ok -x .debversion -x .gittree \
	"$CACHE/worktrees/$good" "$CACHE/src/linux-source-7.2"
reps1=$(ls "$state"/steps/"${rev1:0:12}"/*/*/reps.csv 2> /dev/null)
sum1=$(md5sum $reps1 2> /dev/null)

# The same command resumes: the decided step is reused, not run again.
t0=$(date +%s)
bis "$EXP" > "$WORK/resume.log" 2> "$WORK/resume.err"
rc=$?
t_resume=$(( $(date +%s) - t0 ))
cat "$WORK/resume.log" | sed 's/^/# /'
check "the resumed bisect finishes, exit 0 ($rc, $t_resume s)" test $rc -eq 0 || diag "$WORK/resume.err"
check "it names the planted commit as the first bad one" grep -q "^first bad commit: $slow " "$WORK/resume.log"
check "the step decided before the interruption is reused" \
	grep -q "step ${rev1:0:12}: [a-z]* (decided before: reused)" "$WORK/resume.err"
check "and its experiment was not run again (one results directory, reps.csv unchanged)" \
	test "$(ls -d "$state"/steps/"${rev1:0:12}"/*/*/ | wc -l)" -eq 1 -a "$(md5sum $reps1 2> /dev/null)" = "$sum1" \
	-a -n "$sum1"
reps2=$(ls "$state"/steps/"${rev2:0:12}"/*/*/reps.csv 2> /dev/null)
rows=$(awk -F, 'NR > 1 && $8 == "\"timing\"" && $9 == "\"0\"" { print $2, $6, $7 }' $reps2 2> /dev/null | sort)
check "the interrupted step's experiment resumed: one directory, 2 boots x 2 reps per arm, each once" \
	bash -c "grep -q 'step ${rev2:0:12}: resuming its experiment' '$WORK/resume.err' &&
		 [ \$(ls -d '$state'/steps/'${rev2:0:12}'/*/*/ | wc -l) -eq 1 ] &&
		 [ \$(echo '$rows' | grep -c .) -eq 8 ] && [ -z \"\$(echo '$rows' | uniq -d)\" ]" ||
	{ echo "# rows: $(echo "$rows" | tr '\n' ' ')"; diag "$WORK/resume.err"; }
check "git bisect was told bad for the planted commit, good for the harmless one before it" \
	bash -c "grep -q '^git bisect bad $slow' '$state/git-bisect.log' &&
		 grep -q '^git bisect good $(git -C "$repo" rev-parse "$slow^")' '$state/git-bisect.log'"
check "the evidence table: the planted commit's row says bad, with its change and CI" \
	grep -qE "^  ${slow:0:12}  .*  \+[0-9.]+%  \+[0-9.]+% \.\. \+[0-9.]+% .* bad$" "$WORK/resume.log"

# Everything decided: a third run replays the log without booting anything.
t0=$(date +%s)
bis "$EXP" > "$WORK/third.log" 2>&1
rc=$?
check "a third run replays every step from the log: exit $rc, same answer, $(( $(date +%s) - t0 )) s" \
	bash -c "[ $rc -eq 0 ] && grep -q '^first bad commit: $slow ' '$WORK/third.log' &&
		 ! grep -q 'running the experiment' '$WORK/third.log'"

# A skipped step (exit 125 to git): the log of this bisect, copied, with the
# harmless commit before the planted one marked inconclusive and the first
# harmless one good (its evidence borrowed: no boot). The replay then cannot
# tell the planted commit from the skipped one: exit 4, both named.
c1=$(git -C "$repo" rev-parse "$slow^^")
c2=$(git -C "$repo" rev-parse "$slow^")
skipped=$WORK/skip/bisect/${good:0:12}..${bad:0:12}
mkdir -p "$WORK/skip/bisect" && cp -r "$state" "$skipped" && rm -f "$skipped/lock"
awk -F'\t' -v OFS='\t' -v c1="$c1" -v c2="$c2" '
	NR == 1 { print; next }
	$1 == c2 { l = $0; $2 = "skip"; $8 = "inconclusive (set by the test)"; print
		   $0 = l; $1 = c1; $2 = "good"; print; next }
	{ print }' "$state/bisect.log" > "$skipped/bisect.log"
"$NB" bisect --ksrc "$repo" --good "$good" --bad "$bad" --threshold +5% --results "$WORK/skip" "$EXP" \
	> "$WORK/skip.log" 2>&1
rc=$?
check "a skipped step: exit 4 ($rc), the planted and the skipped commit both named, git told skip" \
	bash -c "[ $rc -eq 4 ] && grep -q '^no single first bad commit: .*$slow' '$WORK/skip.log' &&
		 grep -q '^no single first bad commit: .*$c2' '$WORK/skip.log' &&
		 grep -q '^git bisect skip $c2' '$skipped/git-bisect.log'" || diag "$WORK/skip.log"
