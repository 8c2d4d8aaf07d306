#!/usr/bin/env bash
# The browser tests (WebPageIT) drive Debian's Chromium through its ChromeDriver. Installs both
# when missing (as root, or through sudo); does nothing when they are there.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
echo "install-chromium: installing Debian's chromium and chromium-driver for the browser tests"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-chromium: run as root or install chromium chromium-driver" >&2; exit 1; }
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium chromium-driver || { $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium chromium-driver; }
