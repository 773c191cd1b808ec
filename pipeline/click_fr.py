"""French for click's own words ("Usage:", "Options", error messages...).

Click marks its strings for gettext but ships no French catalogue, and gettext
would pick the language from the environment. The staff's machines are not all set
to French, so the CLI installs this small catalogue into click's modules.
"""

from __future__ import annotations

import importlib

FRENCH = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour obtenir de l'aide.",
    "No such option: {name}": "Option inconnue : {name}",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "Missing argument {param_hint}.": "Argument manquant : {param_hint}.",
    "Missing option {param_hint}.": "Option manquante : {param_hint}.",
    "Missing parameter {param_hint}.": "Paramètre manquant : {param_hint}.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Option {name!r} requires an argument.": "L'option {name!r} attend une valeur.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} est introuvable.",
    "file": "le fichier",
    "directory": "le dossier",
    "path": "le chemin",
    "{value!r} is not {choice}.": "{value!r} n'est pas {choice}.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Positional arguments": "Arguments",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas modifiable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{value!r} does not match the format {format}.":
        "{value!r} ne correspond pas au format {format}.",
    "{value!r} does not match the formats {formats}.":
        "{value!r} ne correspond à aucun des formats {formats}.",
    "{value!r} is not one of {choices}.": "{value!r} n'est pas parmi {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide.",
    "Aborted!": "Interrompu.",
    "(dynamic)": "(dynamique)",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
}


def _translate(message: str) -> str:
    return FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translate(singular if n == 1 else plural)


def install() -> None:
    """Replace gettext in click's modules by the French catalogue above."""
    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types",
                 "termui", "utils", "_termui_impl"):
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = _translate
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
