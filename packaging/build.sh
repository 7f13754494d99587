#!/usr/bin/env bash
# Builds the double-click bundle from a clean checkout: dist/b24desk/b24desk (one folder).
# B24DESK_ONEFILE=1 builds dist/b24desk (one file) instead. Works on Linux, Windows (Git Bash)
# and macOS; only Linux is built and tried by our CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" = "Linux" ]; then
  scripts/bootstrap
  PY=.venv/bin/python
else
  [ -d .venv ] || python -m venv .venv
  PY=.venv/bin/python; [ -x "$PY" ] || PY=.venv/Scripts/python.exe
  "$PY" -m pip install -q -e ".[test]"
fi
"$PY" -m pip install -q --disable-pip-version-check -e ".[packaging]"
"$PY" packaging/write_version_info.py
# Compiled translations (.qm) are build products: made here from the .ts sources.
for ts in b24desk/i18n/*.ts; do
  if [ -e "$ts" ]; then "$(dirname "$PY")/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"; fi
done
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/b24desk.spec
if [ -d dist/b24desk ]; then
  echo "bundle: dist/b24desk ($(du -sh dist/b24desk | cut -f1))"
fi
