#!/usr/bin/env bash
# npm run validate: template.yaml + the included OpenAPI contract, through the SAM translator and cfn-lint.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cfn-lint >/dev/null || { echo "validate: cfn-lint is not installed (pip install cfn-lint)" >&2; exit 1; }
exec python3 scripts/validate_template.py
