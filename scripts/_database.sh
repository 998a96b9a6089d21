# Shared by scripts/backup and scripts/restore: which database DATABASE_URL names, read as
# the settings read it (unset: the embedded SQLite file under var/).
database_is_postgres() {
  case "${DATABASE_URL:-}" in
    postgres://*|postgresql://*|pgsql://*) return 0 ;;
    ""|sqlite://*) return 1 ;;
    *) echo "Unsupported DATABASE_URL: ${DATABASE_URL%%:*}://..." >&2; exit 2 ;;
  esac
}

sqlite_path() {
  # sqlite:////abs/path is absolute; sqlite:///rel/path is relative to the project folder.
  local path="${DATABASE_URL:-sqlite:///var/db.sqlite3}"
  path="${path#sqlite:///}"
  case "$path" in
    /*) echo "$path" ;;
    *) echo "$root/$path" ;;
  esac
}
