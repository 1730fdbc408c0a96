#!/usr/bin/env bash
# Packages the stack offline (no AWS account): `sls package` with dummy credentials.
# Usage: scripts/package-offline.sh [output-dir]   (default .serverless)
# Quiet on success (one line); on failure prints the whole sls output and exits non-zero.
# ROLLOUT_SERVICES_DIR overrides the manifests folder (tests use it to package a broken manifest).
set -euo pipefail

cd "$(dirname "$0")/.."
out_dir="${1:-.serverless}"

# Never pick up a real profile or session: packaging must not depend on (or touch) an AWS account.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
export AWS_ACCESS_KEY_ID=dummy
export AWS_SECRET_ACCESS_KEY=dummy
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_SDK_LOAD_CONFIG=0
export SLS_TELEMETRY_DISABLED=1
export SLS_NOTIFICATIONS_MODE=off
export SLS_DEPRECATION_DISABLE='*'
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

log="$(mktemp -t sls-package.XXXXXX)"
trap 'rm -f "$log"' EXIT
started=$(date +%s)

if ! npx --no-install sls package --package "$out_dir" >"$log" 2>&1; then
  echo "================ sls package FAILED ================" >&2
  cat "$log" >&2
  echo "====================================================" >&2
  exit 1
fi

template="$out_dir/cloudformation-template-update-stack.json"
if [[ ! -s "$template" ]]; then
  echo "sls package reported success but $template is missing:" >&2
  cat "$log" >&2
  exit 1
fi
echo "packaged into $out_dir in $(( $(date +%s) - started ))s"
