"""French for click's own words ("Usage:", "Options", error messages...).

Click marks its strings for gettext but ships no French catalogue, and gettext
would pick the language from the environment. The staff's machines are not all set
to French, so the CLI installs this small catalogue into click's modules.
"""

from __future__ import annotations

import importlib

FRENCH = {
    "Usage:": "Utilisation :",
    # click adds the colon: "Options :", with the space French puts before it.
    "Options": "Options ",
    "Commands": "Commandes ",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour obtenir de l'aide.",
    "No such option: {name}": "Option inconnue : {name}",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "Missing argument {param_hint}.": "Argument manquant : {param_hint}.",
    "Missing option {param_hint}.": "Option manquante : {param_hint}.",
    "Missing parameter {param_hint}.": "Paramètre manquant : {param_hint}.",
    "Missing argument": "Argument manquant :",
    "Missing option": "Option manquante :",
    "Missing parameter": "Paramètre manquant :",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Option {name!r} requires an argument.": "L'option {name!r} attend une valeur.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    # click capitalises {name} ("Fichier"): the sentences start with it.
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{value!r} is not {choice}.": "{value!r} n'est pas {choice}.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Positional arguments": "Arguments",
    "{name} {filename!r} is not readable.": "{name} {filename!r} illisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non modifiable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} : c'est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} : c'est un fichier.",
    "{value!r} does not match the format {format}.": "{value!r} ne correspond pas au format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} ne correspond à aucun des formats {formats}.",
    "{value!r} is not one of {choices}.": "{value!r} n'est pas parmi {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide.",
    "Aborted!": "Interrompu.",
    "(dynamic)": "(dynamique)",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    # Wording of click 8.2 and later (the pinned range, see pyproject.toml).
    "No such option {name!r}.": "Option inconnue : {name}.",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'une de celles-ci : "
    "{possibilities} ?)",
    "Missing command.": "Commande manquante.",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option {name} attend {nargs} valeurs.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name} attend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour une option ({option})",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    "unknown error": "erreur inconnue",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} n'est pas une valeur oui/non valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un identifiant UUID valide.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} non exécutable.",
    "{len_type} values are required, but {len_value} was given.": "{len_type} valeurs sont attendues, mais {len_value} a été donnée.",
    "{len_type} values are required, but {len_value} were given.": "{len_type} valeurs sont attendues, mais {len_value} ont été données.",
    "Takes {nargs} values but 1 was given.": "Attend {nargs} valeurs mais 1 a été donnée.",
    "Takes {nargs} values but {len} were given.": "Attend {nargs} valeurs mais {len} ont été données.",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Choice({choices})": "Choix({choices})",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Confirm the action without prompting.": "Confirmer l'action sans poser de question.",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies ne correspondent pas.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Windows error: {error}": "Erreur Windows : {error}",
    "{editor}: Editing failed": "{editor} : la modification a échoué",
    "{editor}: Editing failed: {e}": "{editor} : la modification a échoué : {e}",
    "deprecated": "obsolète",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "Avertissement : la commande {name!r} est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "Avertissement : le paramètre {name!r} est obsolète.{extra_message}",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "d": "j",
    # Messages for the programmer who declares options (never shown to staff once the
    # CLI is written), translated so that no English reaches a terminal at all.
    "Could not determine name for option with declarations {decls!r}": "Impossible de déterminer le nom de l'option déclarée par {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": "Aucune option déclarée mais un nom a été donné ({name}) : déclarez un argument, ou "
    "donnez « --{name} ».",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "Un argument se déclare par un seul nom ; reçu {length} : {decls}.",
    "Name '{name}' defined twice": "Le nom « {name} » est déclaré deux fois",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "L'option oui/non {decl!r} ne peut pas utiliser le même nom pour oui et pour non.",
    "Unknown color {colour!r}": "Couleur inconnue : {colour!r}",
    "Unknown standard stream '{name}'": "Flux standard inconnu : « {name} »",
    "Couldn't detect Bash version, shell completion is not supported.": "Version de Bash introuvable : la complétion automatique n'est pas disponible.",
    "Shell completion is not supported for Bash versions older than 4.4.": "La complétion automatique demande Bash 4.4 ou plus récent.",
}


# Names of click's value types: an option without a metavar shows its type's name in
# capitals in the help ("--port INTEGER RANGE"), and some messages quote it.
TYPE_NAMES = {
    "integer": "entier",
    "integer range": "entier",
    "float": "nombre",
    "float range": "nombre",
    "text": "texte",
    "boolean": "oui/non",
    "choice": "choix",
    "datetime": "date",
    "filename": "fichier",
    "uuid": "identifiant",
}


def _translate(message: str) -> str:
    return FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translate(singular if n == 1 else plural)


def install() -> None:
    """Replace gettext in click's modules by the French catalogue above."""
    for name in (
        "core",
        "decorators",
        "exceptions",
        "formatting",
        "parser",
        "types",
        "termui",
        "utils",
        "_termui_impl",
        "_winconsole",
        "shell_completion",
    ):
        try:
            module = importlib.import_module(f"click.{name}")
        except (ImportError, AssertionError):  # _winconsole exists on Windows only
            continue
        if hasattr(module, "_"):
            module._ = _translate
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
    _name_types()


def _name_types() -> None:
    """French names for click's value types, on the classes and on the shared instances."""
    from click import types

    for value in vars(types).values():
        if isinstance(value, type) and issubclass(value, types.ParamType):
            name = value.__dict__.get("name")
            if isinstance(name, str) and name in TYPE_NAMES:
                value.name = TYPE_NAMES[name]
        elif isinstance(value, types.ParamType):
            name = value.__dict__.get("name")
            if isinstance(name, str) and name in TYPE_NAMES:
                value.name = TYPE_NAMES[name]
