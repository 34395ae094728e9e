# Shared by the images/ scripts (sourced, not run).
: "${NESTBENCH_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/nestbench}"
export NESTBENCH_CACHE
# every step logs there, whichever of them a cache that is partly filled skips
mkdir -p "$NESTBENCH_CACHE/logs"
IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# unset: the cross toolchain on x86, the native one on arm64; set empty: native
if [ -z "${CROSS_COMPILE+set}" ]; then
	[ "$(uname -m)" = aarch64 ] && CROSS_COMPILE= || CROSS_COMPILE=aarch64-linux-gnu-
fi
JOBS=${JOBS:-$(( $(nproc) + 1 ))}

log() { printf '%s: %s\n' "${LOG_TAG:-images}" "$*" >&2; }

# die STEP LOGFILE FIX...: stop naming the step, where its log is and the fix.
die() {
	local step=$1 logf=$2; shift 2
	log "error: $step failed"
	[ -n "$logf" ] && [ -f "$logf" ] && { log "last lines of $logf:"; tail -n 15 "$logf" >&2; log "full log: $logf"; }
	log "fix: $*"
	exit 1
}

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
hash_str() { printf '%s' "$*" | sha256sum | cut -c1-16; }

# publish TMPDIR DEST: an artifact appears in the cache whole or not at all.
publish() {
	rm -rf "$2.old"
	[ -e "$2" ] && mv "$2" "$2.old"
	mv "$1" "$2"
	rm -rf "$2.old"
}
