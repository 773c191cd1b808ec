#!/bin/sh
# Double-click (Linux): opens the Troïka page in the browser. Keep the terminal open while
# using the page; its « Quitter » button or Ctrl+C stops it. The first run creates the
# tool's environment (.venv, a few minutes) through `make`, which says in French what
# is missing when it cannot.
cd "$(dirname "$0")" || exit 1
if [ ! -x .venv/bin/troika ]; then
  echo "Première utilisation : installation de l'outil (quelques minutes)…"
  make --no-print-directory .venv/bin/troika || {
    printf "Appuyez sur Entrée pour fermer. "; read -r _; exit 1; }
fi
.venv/bin/troika interface "$@" || { printf "Appuyez sur Entrée pour fermer. "; read -r _; exit 1; }
