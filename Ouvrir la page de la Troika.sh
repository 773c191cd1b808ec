#!/bin/sh
# Double-click (Linux): opens the Troïka page in the browser. Keep the terminal open while
# using the page; its « Quitter » button or Ctrl+C stops it. The first run (and the first
# after an update of requirements/runtime.txt) makes the tool's environment (.venv, a few
# minutes) through `make`, which says in French what is missing when it cannot.
cd "$(dirname "$0")" || exit 1
make --no-print-directory environnement || {
  printf "Appuyez sur Entrée pour fermer. "; read -r _; exit 1; }
.venv/bin/troika interface "$@" || { printf "Appuyez sur Entrée pour fermer. "; read -r _; exit 1; }
