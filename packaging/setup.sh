#!/usr/bin/env bash
# One-command set-up for a fresh Debian machine with Python 3.11:
#   bash packaging/setup.sh demo [sitroom demo options]   install, then start the live demo
#   bash packaging/setup.sh test [pytest options]         install, then run every check and test
#   bash packaging/setup.sh install                       install only
# System packages (apt): Qt's X11/EGL libraries, Xvfb and a CJK font for Hangul.
set -euo pipefail
cd "$(dirname "$0")/.."

action="${1:-install}"
[ $# -gt 0 ] && shift

APT_PACKAGES=(python3-venv xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libxcb-cursor0
  libxkbcommon-x11-0 libegl1 libgl1 libdbus-1-3 libfontconfig1 fonts-noto-cjk fonts-dejavu-core
  libpulse0 haproxy poppler-utils)  # haproxy: the load balancer of a scale-out (packaging/haproxy). QtMultimedia (alert sounds) links libpulse.so.0; it plays through PipeWire's pulse too; poppler-utils: the report tests check PDFs with pdftoppm and pdffonts

install_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "sitroom setup: installing system packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_python_packages() {
  local py="${PYTHON:-python3.11}"
  command -v "$py" >/dev/null || py=python3
  if [ ! -x .venv/bin/python ]; then
    echo "sitroom setup: creating .venv with $py" >&2
    "$py" -m venv .venv
  fi
  # Re-install only when the project's requirements changed.
  local stamp=.venv/.sitroom-installed
  if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    echo "sitroom setup: installing Python packages into .venv" >&2
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[dev]'
    cp pyproject.toml "$stamp"
  fi
}

install_system_packages
install_python_packages

case "$action" in
  install) echo "sitroom installed: .venv/bin/sitroom --help" ;;
  demo)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "sitroom demo: no display found; running on a virtual X server (xvfb-run)." >&2
      exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/sitroom demo "$@"
    fi
    exec .venv/bin/sitroom demo "$@" ;;
  test) exec bash packaging/check.sh "$@" ;;
  *) echo "usage: bash packaging/setup.sh {demo|test|install} [options]" >&2; exit 2 ;;
esac
