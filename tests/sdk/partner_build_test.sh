#!/usr/bin/env bash
# Proves a partner can build a plugin out of tree against an installed Parley:
#   1. install the main build into <work>/install (no component: what a package ships);
#   2. configure examples/partner-plugin as its own project with
#      CMAKE_PREFIX_PATH=<work>/install, and build it;
#   3. check the module exports only the entry symbol;
#   4. <work>/install/bin/parley plugins --plugin-path <partner output> --json
#      must list acme_echo with state "running".
#
# Usage: partner_build_test.sh <main build dir> <main source dir> <work dir>
#          [cmake] [generator] [c++ compiler] [compiler launcher] [config]
set -u

build_dir=${1:?usage: partner_build_test.sh <build dir> <source dir> <work dir> [cmake] [generator] [cxx] [launcher] [config]}
source_dir=${2:?missing the main source dir}
work=${3:?missing the work dir}
cmake=${4:-cmake}
generator=${5:-}
cxx=${6:-}
launcher=${7:-}
config=${8:-}

fail() {
    echo "partner_build_test: FAIL: $*" >&2
    exit 1
}
step() { echo "==> $*"; }

[ -f "$build_dir/CMakeCache.txt" ] || fail "$build_dir is not a configured CMake build dir"
[ -f "$source_dir/examples/partner-plugin/CMakeLists.txt" ] || fail "no examples/partner-plugin under $source_dir"
case "$work" in
    "" | "/" | "$build_dir" | "$source_dir") fail "refusing to use '$work' as the work dir" ;;
esac

# A clean start every run.
rm -rf -- "$work" || fail "cannot clean $work"
mkdir -p "$work" || fail "cannot create $work"
prefix=$work/install
partner_build=$work/build
log=$work/log
mkdir -p "$log"

# Shows the tail of a step's log, then fails.
fail_with_log() {
    local what=$1 file=$2
    echo "---- last lines of $file ----" >&2
    tail -n 40 "$file" >&2
    fail "$what (full log: $file)"
}

config_args=()
[ -n "$config" ] && config_args=(--config "$config")

step "installing $build_dir into $prefix"
"$cmake" --install "$build_dir" --prefix "$prefix" "${config_args[@]}" >"$log/install.txt" 2>&1 ||
    fail_with_log "cmake --install of the main build failed; is everything built (parley and the plugins)?" "$log/install.txt"
parley=$prefix/bin/parley
[ -x "$parley" ] || fail "the install has no bin/parley"
parley_config=$(find "$prefix" -name ParleyConfig.cmake -print -quit)
[ -n "$parley_config" ] || fail "the install has no ParleyConfig.cmake"
[ -f "$(dirname "$parley_config")/parley-plugin.map" ] || fail "the install has no parley-plugin.map next to ParleyConfig.cmake"
[ -f "$prefix/include/parley/plugin.hpp" ] || fail "the install has no include/parley/plugin.hpp"

step "configuring examples/partner-plugin against $prefix"
configure=("$cmake" -S "$source_dir/examples/partner-plugin" -B "$partner_build"
    "-DCMAKE_PREFIX_PATH=$prefix" -DACME_WERROR=ON)
[ -n "$generator" ] && configure+=(-G "$generator")
[ -n "$cxx" ] && configure+=("-DCMAKE_CXX_COMPILER=$cxx")
[ -n "$launcher" ] && configure+=("-DCMAKE_CXX_COMPILER_LAUNCHER=$launcher")
[ -n "$config" ] && configure+=("-DCMAKE_BUILD_TYPE=$config")
# Never pick up a Parley installed elsewhere on the machine.
configure+=(-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
"${configure[@]}" >"$log/configure.txt" 2>&1 ||
    fail_with_log "configuring the partner plugin failed" "$log/configure.txt"
found=$(sed -n 's/^Parley_DIR:PATH=//p' "$partner_build/CMakeCache.txt")
case "$found" in
    "$prefix"/*) ;;
    *) fail "find_package(Parley) found '$found', not the test install under $prefix" ;;
esac

step "building the partner plugin"
"$cmake" --build "$partner_build" --parallel 2 "${config_args[@]}" >"$log/build.txt" 2>&1 ||
    fail_with_log "building the partner plugin failed" "$log/build.txt"
out=$partner_build/plugins
module=$out/acme_echo/libacme-echo.so
[ -f "$module" ] || fail "the build did not produce $module"
[ -f "$out/acme_echo/plugin.toml" ] || fail "the build did not put plugin.toml next to $module"

if command -v nm >/dev/null 2>&1; then
    step "checking the exported symbols"
    exported=$(nm -D --defined-only "$module" | awk 'NF >= 3 && $2 ~ /^[TDBRVWiu]$/ { print $3 }' | sort -u)
    [ "$exported" = "parley_plugin_entry" ] ||
        fail "$module must export only parley_plugin_entry, it exports: $(echo $exported)"
fi

step "parley plugins --plugin-path $out --json"
"$parley" plugins --plugin-path "$out" --json >"$log/plugins.json" 2>"$log/plugins.stderr.txt"
rc=$?
[ $rc -eq 0 ] || fail_with_log "parley plugins exited with $rc" "$log/plugins.stderr.txt"

if command -v python3 >/dev/null 2>&1; then
    python3 - "$log/plugins.json" "$module" <<'EOF' || fail "acme_echo is not running (see above; stderr in $log/plugins.stderr.txt)"
import json, os, sys
path, module = sys.argv[1], sys.argv[2]
try:
    plugins = json.load(open(path))
except ValueError as e:
    sys.exit("parley plugins --json did not print JSON: %s" % e)
mine = [p for p in plugins if p.get("id") == "acme_echo"]
if not mine:
    sys.exit("acme_echo is not listed; found: %s" % ", ".join(p.get("id", "?") for p in plugins))
p = mine[0]
if p.get("state") != "running":
    sys.exit("acme_echo is %s (%s): %s" % (p.get("state"), p.get("refusal"), p.get("reason")))
if os.path.realpath(p.get("path", "")) != os.path.realpath(module):
    sys.exit("acme_echo was loaded from %s, not %s" % (p.get("path"), module))
if (p.get("version"), p.get("kind"), p.get("abi")) != ("0.1.0", "channel", "1.2"):
    sys.exit("acme_echo is listed as %s" % p)
print("acme_echo %s (%s, ABI %s) is running from %s" % (p["version"], p["kind"], p["abi"], p["path"]))
EOF
else
    grep -q '"id":"acme_echo"[^}]*"state":"running"' "$log/plugins.json" ||
        fail "acme_echo is not listed as running: $(cat "$log/plugins.json")"
    echo "acme_echo is running"
fi

echo "partner_build_test: PASS"
