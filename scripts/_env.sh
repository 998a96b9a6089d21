# Shared by scripts/serve and scripts/test: one virtual environment, installed from pinned versions.
set -euo pipefail
# Everything the service writes (database and its -wal/-shm, secret key, cache, media, backups)
# holds patient data or opens it: readable by this user only, from its creation on.
umask 077
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"

timer_start() { SECONDS_AT_START=$(date +%s); }
timer_report() { echo "==> $1 took $(( $(date +%s) - SECONDS_AT_START ))s"; }

ensure_venv() {
  # $1: the extra to install ("" for runtime only, "dev" for tests)
  local extra="$1" spec="." stamp
  [ -n "$extra" ] && spec=".[$extra]"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV"; then
      echo "Could not create a virtual environment. On Debian/Ubuntu: apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  stamp="$VENV/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)-${extra:-runtime}"
  if [ ! -f "$stamp" ]; then
    # The machine's pip configuration may list local mirrors that do not exist; hide that noise.
    { "$VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1; } | { grep -v "is ignored: it is neither" || true; }
    { "$VENV/bin/python" -m pip install --quiet -c constraints.txt -e "$spec" 2>&1; } | { grep -v "is ignored: it is neither" || true; }
    touch "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
  # The committed .po files -> the .mo files Django reads (Babel, no GNU gettext needed).
  python -m clinic.translations >/dev/null
}
