# Sourced by scripts/deps.sh and scripts/deps_boards.sh: what both do.
#
# One run at a time, what is missing checked under the lock: make -j may
# start scripts/deps.sh and scripts/deps_boards.sh for several goals at
# once, and apt-get fails at once on a lock another apt-get holds. (apt-get
# does not inherit the lock: a daemon a package starts must not keep it.)
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
mkdir -p "$build/deps"
exec 9>"$build/deps/.apt.lock"
flock 9

# the Debian packages to install, from what is missing
need=()
want_cmd() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
want_file() { [ -e "$1" ] || need+=("$2"); }

# install_needed NAME: apt-get installs what is in need, if anything (NAME
# prefixes the line that says so). Called as a plain command, so that set -e
# ends the script when apt-get fails.
install_needed() {
    [ ${#need[@]} -gt 0 ] || return 0
    echo "$1: installing ${need[*]}" >&2
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq >&2 9>&-
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${need[@]}" >&2 9>&-
}
