#!/bin/sh
# Everything the tests need on a fresh Debian machine: the package with its test extra, and
# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never downloads
# a browser of its own). Run from the repository root, inside the virtual environment to use.
set -eu
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get install -y -q chromium >/dev/null 2>&1 || {
        $sudo apt-get update -q >/dev/null
        $sudo apt-get install -y -q chromium >/dev/null
    }
fi
python -m pip install --quiet ".[test,explore]"
