#!/usr/bin/env bash
# Installs the project's Python tools (moto server, cfn-lint) into a project-local venv, .venv.
# Runs as part of `npm test` from a clean clone, so it must be idempotent and cheap when nothing
# changed: a stamp file records a hash of the requirement files and the interpreter; when it
# matches, nothing is installed. Silent on success; on failure it prints pip's log and exits 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_dir="$repo_root/.venv"
stamp_file="$venv_dir/.requirements.sha256"
python_bin="${PYTHON:-python3}"

fail() {
  echo "setup-python: $*" >&2
  exit 1
}

command -v "$python_bin" >/dev/null 2>&1 || fail "cannot find $python_bin: install Python 3.11+ or set PYTHON=/path/to/python3"

requirement_files=("$repo_root/requirements.txt")
[[ -f "$repo_root/requirements.txt" ]] || fail "missing $repo_root/requirements.txt"
# Owned by the CloudFormation lint work; optional until that lands.
if [[ -f "$repo_root/requirements-cfn.txt" ]]; then
  requirement_files+=("$repo_root/requirements-cfn.txt")
fi

# The stamp covers the file contents and the interpreter version, so a Python upgrade rebuilds too.
wanted_hash="$(
  {
    "$python_bin" -c 'import sys; print(sys.version)'
    for file in "${requirement_files[@]}"; do
      echo "== ${file##*/}"
      cat "$file"
    done
  } | sha256sum | cut -d' ' -f1
)"

if [[ -x "$venv_dir/bin/python" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$wanted_hash" ]]; then
  exit 0
fi

log_file="$(mktemp "${TMPDIR:-/tmp}/setup-python.XXXXXX.log")"
trap 'rm -f "$log_file"' EXIT

run_logged() {
  if ! "$@" >>"$log_file" 2>&1; then
    cat "$log_file" >&2
    fail "'$*' failed (output above)"
  fi
}

# A venv whose interpreter is gone (Python upgraded or removed) cannot be repaired in place.
if [[ -d "$venv_dir" && ! -x "$venv_dir/bin/python" ]]; then
  rm -rf "$venv_dir"
fi
if [[ ! -d "$venv_dir" ]]; then
  run_logged "$python_bin" -m venv "$venv_dir"
fi
rm -f "$stamp_file"

pip_args=(install --quiet --disable-pip-version-check --require-virtualenv)
for file in "${requirement_files[@]}"; do
  pip_args+=(--requirement "$file")
done
# One resolve for all files: a package pinned in two of them either agrees or fails here, loudly.
run_logged "$venv_dir/bin/python" -m pip "${pip_args[@]}"
run_logged "$venv_dir/bin/python" -c 'import moto.server'

echo "$wanted_hash" >"$stamp_file"
