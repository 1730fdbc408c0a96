#!/usr/bin/env bash
# Lints the packaged template with the project's pinned cfn-lint (requirements-cfn.txt, in .venv).
# Run scripts/package-offline.sh first. Settings and justified ignores: .cfnlintrc.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."

template=.serverless/cloudformation-template-update-stack.json
if [[ ! -x .venv/bin/cfn-lint ]]; then
  echo "cfn-lint: .venv/bin/cfn-lint is missing; run: npm run setup:python (or python3 -m venv .venv && .venv/bin/pip install -r requirements-cfn.txt)" >&2
  exit 2
fi
if [[ ! -s "$template" ]]; then
  echo "cfn-lint: $template is missing; run: npm run package:offline" >&2
  exit 2
fi
exec .venv/bin/cfn-lint "$template"
