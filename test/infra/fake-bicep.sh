#!/usr/bin/env bash
# A stand-in for the Bicep CLI, for the lint:infra tests: `--version`, `build FILE --outdir DIR`
# and `lint FILE`, each logged to FAKE_BICEP_LOG. FAKE_BICEP_FINDING=build|lint makes that
# command report a warning (exit 0, as the real CLI does for warnings); FAKE_BICEP_FAIL=build|lint
# makes it exit 1 with an error.
set -euo pipefail
echo "$*" >>"$FAKE_BICEP_LOG"
case "$1" in
  --version) echo "Bicep CLI version 0.0.0-fake" ;;
  build | lint)
    if [[ "${FAKE_BICEP_FAIL:-}" == "$1" ]]; then
      echo "$2(3,1) : Error BCP007: This declaration type is not recognized." >&2
      exit 1
    fi
    if [[ "${FAKE_BICEP_FINDING:-}" == "$1" ]]; then
      echo "$2(9,7) : Warning no-unused-params: Parameter \"x\" is declared but never used." >&2
    fi
    if [[ "$1" == build ]]; then echo '{}' >"$4/main.json"; fi
    ;;
  *) echo "fake bicep: unexpected $*" >&2; exit 2 ;;
esac
