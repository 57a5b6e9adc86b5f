#!/usr/bin/env bash
# Set up a virtual environment in .venv with the package and its test tools.
#   scripts/setup.sh            Python packages only
#   scripts/setup.sh --office   also LibreOffice, Gnumeric, CJK fonts, poppler and Chromium (Debian packages)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--office" ]]; then
  if ! command -v soffice >/dev/null 2>&1 || ! command -v ssconvert >/dev/null 2>&1 \
     || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
     || ! fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null; then
    SUDO=""
    if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
    echo "== installing LibreOffice, Gnumeric, CJK fonts, poppler-utils and Chromium (Debian packages)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      libreoffice-calc libreoffice-writer gnumeric fonts-noto-cjk poppler-utils chromium >/dev/null
  fi
fi

if [[ ! -x .venv/bin/python ]]; then
  # without pip when this Python's own pip can put uv into it (ensurepip's copy of pip takes 8 s)
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m venv --without-pip .venv
  else
    python3 -m venv .venv
  fi
fi
# already set up from this pyproject.toml and this script, and intact: nothing to install (uv pip check: every
# installed package's requirements are met; the package imports from this checkout).  Delete
# .venv/.setup-stamp to install again.
stamp="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"
if [[ -x .venv/bin/uv && "$(cat .venv/.setup-stamp 2>/dev/null)" == "$stamp" ]] \
   && .venv/bin/uv pip check --python .venv/bin/python -q >/dev/null 2>&1 \
   && [[ "$(.venv/bin/python -c 'import govinfo_xlsx; print(govinfo_xlsx.__file__)' 2>/dev/null)" == "$PWD/govinfo_xlsx/__init__.py" ]]; then
  exit 0
fi
rm -f .venv/.setup-stamp
# uv (a PyPI package) installs from its cache in seconds what pip takes half a minute for; pip when uv
# cannot be had.  (uv writes no bytecode: each module is compiled when first imported, see scripts/test.sh.)
venv_pip() {  # pip inside .venv (ensurepip when the venv was made without it)
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip >/dev/null
  .venv/bin/python -m pip "$@"
}
get_uv() {
  [[ -x .venv/bin/uv ]] \
    || python3 -m pip --python .venv/bin/python install -q --disable-pip-version-check uv >/dev/null 2>&1 \
    || venv_pip install -q --disable-pip-version-check uv >/dev/null 2>&1
}
if get_uv && UV_NATIVE_TLS=1 .venv/bin/uv pip install --python .venv/bin/python -q -e '.[test]'; then
  :
else
  venv_pip install -q --disable-pip-version-check --upgrade pip
  venv_pip install -q --disable-pip-version-check -e '.[test]'
fi
echo "$stamp" > .venv/.setup-stamp
