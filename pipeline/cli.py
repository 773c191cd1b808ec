"""The ``troika`` command: parses arguments, calls the library, prints in French."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import click_fr, entry, formats
from .build import ROOT, TEMPLATES, build, check, check_templates
from .documents import KINDS
from .exceptions import InvalidWorkbook, PipelineError, describe_os_error
from .locations import describe_templates
from .progress import WAITING
from .report import Report
from .workbook import schema

click_fr.install()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_INPUT = ROOT / "inputs"
DEFAULT_OUTPUT = ROOT / "build"

workbook_option = click.option(
    "--classeur",
    "workbook",
    type=click.Path(path_type=Path),
    default=DEFAULT_INPUT,
    metavar="CHEMIN",
    show_default="le seul .xlsx du dossier inputs/",
    help="Classeur à lire (fichier .xlsx, ou dossier qui en contient un seul).",
)
templates_option = click.option(
    "--modeles",
    type=click.Path(path_type=Path),
    default=TEMPLATES,
    metavar="DOSSIER",
    show_default="templates/ du dossier courant s'il contient charte.docx, sinon ceux de l'outil",
    help="Dossier des modèles Word (et de la charte charte.docx).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Traiter les avertissements comme des erreurs."
)


def _in_reading_order(report: Report) -> list:
    return report.in_reading_order([schema.PARAMETERS_SHEET, *schema.SHEETS])


def _print_report(report: Report) -> None:
    for problem in _in_reading_order(report):
        colour = "red" if problem.severity.name == "ERROR" else "yellow"
        click.secho(f"  {problem}", fg=colour, err=True)


class _ProgressBar:
    """Draws the library's progress reports (pipeline.progress) as a bar with counts on
    the terminal, one bar per stage; prints nothing when stderr is not a terminal (a
    log, a pipe, make's output captured by a script)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.shown = _is_terminal(self.stream)
        self.stage: str | None = None
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == WAITING:  # said even in a log: the command is not stuck
            self.close()
            click.echo(f"{WAITING}…", file=self.stream)
            return
        if not self.shown or total <= 0:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = click.progressbar(
                length=total,
                label=stage,
                file=self.stream,
                show_pos=True,
                show_percent=False,
                show_eta=False,
                width=30,
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _print_summary(result, sortie: Path, templates: Path) -> None:
    """The last lines of a build: how many documents, from which templates, then the
    warnings again with their cells (they were printed first, and scrolled away)."""
    click.secho(
        f"{len(result.written)} document(s) produit(s) dans {_relative(Path(sortie))}.", fg="green"
    )
    click.echo(f"Modèles Word : {describe_templates(templates)}.")
    warnings = [p for p in _in_reading_order(result.report) if p in result.report.warnings]
    if warnings:
        places = ", ".join(str(p.location) or p.code for p in warnings)
        click.secho(
            f"{len(warnings)} avertissement(s) à vérifier dans le classeur : {places} "
            "(détail en tête de ce compte rendu).",
            fg="yellow",
        )
    else:
        click.echo("Aucun avertissement.")


def _confirm(question: str) -> bool:
    """click.confirm in French: « o » or « oui » to go on; anything else, or Entrée, stops."""
    answer = click.prompt(f"{question} [o/N]", default="", show_default=False)
    return answer.strip().lower() in {"o", "oui"}


def _parse_day(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"« {value} » n'est pas une date AAAA-MM-JJ (ex. 2022-06-30)."
        ) from None


class _Group(click.Group):
    """Reports the library's errors in French, for every command: a workbook's problems
    all at once, any other known error in one sentence, and an unexpected failure
    without a traceback. Honours NO_COLOR (https://no-color.org): no colour codes."""

    def make_context(self, info_name, args, parent=None, **extra):
        if os.environ.get("NO_COLOR"):
            extra["color"] = False
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx):
        entry.start_work()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except InvalidWorkbook as exc:
            click.secho(
                "Le classeur contient des problèmes ; rien n'a été écrit.", fg="red", err=True
            )
            _print_report(exc.report)
            click.secho(exc.report.summary() + ".", err=True)
            sys.exit(1)
        except PipelineError as exc:
            click.secho(f"Erreur : {exc}", fg="red", err=True)
            sys.exit(1)
        except OSError as exc:  # the system refused a file or folder: the user can act
            click.secho(f"Erreur : {describe_os_error(exc)}", fg="red", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.secho("\n" + _interruption_message(), fg="red", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - last resort, after every known error
            if entry.ctrl_c_pressed():  # a library turned the KeyboardInterrupt into this
                click.secho("\n" + _interruption_message(), fg="red", err=True)
                sys.exit(130)
            click.secho(
                f"Erreur interne inattendue ({type(exc).__name__} : {exc}). Les documents "
                "déjà présents sont inchangés. Merci de signaler ce problème au mainteneur "
                "de l'outil, avec le classeur utilisé.",
                fg="red",
                err=True,
            )
            sys.exit(3)


# Output folders a command writes to, with the state of their records when it started:
# after Ctrl-C, comparing says truthfully whether the new documents were put in place.
_watched: dict[Path, tuple] = {}


def _records_state(out_dir: Path) -> tuple:
    from .output.bookkeeping import INDEX, RECORD, sha256_file

    manifests = sorted(Path(out_dir).glob("diffusion/*/manifeste.csv"))
    return tuple(sha256_file(Path(out_dir) / name) for name in (INDEX, RECORD)) + tuple(
        (path.as_posix(), sha256_file(path)) for path in manifests
    )


def _watch(out_dir: Path) -> None:
    _watched.clear()  # one command per run (tests run several in one process)
    _watched[Path(out_dir)] = _records_state(out_dir)


def _interruption_message() -> str:
    changed = [d for d, state in _watched.items() if _records_state(d) != state]
    if not changed:
        return "Interrompu : rien n'a été remplacé, les documents déjà présents sont inchangés."
    return (
        f"Interrompu, mais après la fin de l'écriture : les nouveaux documents de "
        f"{', '.join(_relative(d) for d in changed)} sont complets et en place."
    )


@click.group(cls=_Group, context_settings=CONTEXT, subcommand_metavar="COMMANDE [ARGUMENTS]...")
@click.version_option(
    package_name="troika-pipeline",
    message="troika %(version)s\nModèles Word : "
    + describe_templates(TEMPLATES).replace("%", "%%"),
)
def main() -> None:
    """Produire les documents officiels de la Troïka à partir du classeur Excel.

    Exemples :

      troika construire              tous les documents, dans build/

      troika construire pta          seulement le plan de travail annuel

      troika verifier                vérifier le classeur sans rien produire

      troika diffuser                dossier de diffusion (PDF, archives, courriels)

      troika interface               la même chose dans une page du navigateur

      troika site                    site web de suivi du plan, dans build/site/

      troika nouveau-classeur --debut 2022-09 --fin 2023-06 --depuis ancien.xlsx nouveau.xlsx

      troika migrer-classeur ancien.xlsx nouveau.xlsx

      troika importer-pta PTA_2021-2022.docx classeur.xlsx
    """


@main.command(
    "construire",
    help="Produire les documents (tous, ou seulement ceux nommés).\n\n"
    "Documents : " + " ; ".join(f"{k} = {v.label}" for k, v in KINDS.items()) + ".",
    short_help="Produire les documents dans build/.",
)
@click.argument("documents", nargs=-1, type=click.Choice(list(KINDS)), metavar="[DOCUMENT]...")
@workbook_option
@click.option(
    "--sortie",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    metavar="DOSSIER",
    show_default="build/",
    help="Dossier où écrire les documents.",
)
@click.option(
    "--date",
    "today",
    callback=_parse_day,
    metavar="AAAA-MM-JJ",
    help="Date de production à utiliser au lieu d'aujourd'hui (périodes échues).",
)
@strict_option
@click.option(
    "--forcer", "force", is_flag=True, help="Tout reconstruire, même si les documents sont à jour."
)
@click.option(
    "--vides",
    "empty",
    is_flag=True,
    help="Produire aussi les documents vides (rien n'est encore saisi pour eux).",
)
@templates_option
def build_command(documents, workbook, sortie, today, strict, force, empty, modeles) -> None:
    _watch(sortie)
    with _ProgressBar() as progress:
        result = build(
            workbook,
            sortie,
            list(documents) or None,
            today=today,
            strict=strict,
            templates=modeles,
            force=force,
            progress=progress,
            empty=empty,
        )
    if result.up_to_date:
        click.secho(
            f"Documents à jour dans {_relative(Path(sortie))} : ni le classeur, ni les "
            "modèles, ni l'outil, ni la date n'ont changé depuis la dernière construction."
            " Rien à refaire (« --forcer » pour tout reconstruire).",
            fg="green",
        )
        return
    _print_report(result.report)
    for path in result.written:
        click.echo(f"  produit : {_relative(path)}")
    for title in result.empty:
        click.secho(f"  non produit, car vide : {title}", fg="yellow")
    if result.empty:
        click.echo("  (rien n'est encore saisi pour ces documents ; « --vides » les produit)")
    _print_summary(result, sortie, modeles)


@main.command("verifier", short_help="Vérifier le classeur sans rien produire.")
@workbook_option
@strict_option
def check_command(workbook, strict) -> None:
    """Vérifier le classeur et lister tous ses problèmes, sans rien produire."""
    report = check(workbook)
    _print_report(report)
    if report.is_blocking(strict):
        click.secho(f"Classeur à corriger : {report.summary()}.", fg="red", err=True)
        sys.exit(1)
    click.secho(f"Classeur valide ({report.summary()}).", fg="green")


@main.command("verifier-modeles", short_help="Essayer les modèles Word sans rien écrire.")
@workbook_option
@templates_option
def check_templates_command(workbook, modeles) -> None:
    """Vérifier tous les modèles Word avec les données du classeur, sans rien écrire.

    Pour chaque modèle : il se construit avec les données du classeur ; il n'utilise que
    les styles de la charte (charte.docx), sans taille, couleur, police ni trame posée à
    la main ; chaque balise nomme une donnée qui existe ; les lignes d'en-tête des
    tableaux se répètent sur chaque page. Voir docs/modeles.md.
    """
    findings = check_templates(workbook, templates=modeles)
    errors = [f for f in findings if f.error]
    for finding in findings:
        click.secho(f"  {finding}", fg="red" if finding.error else "yellow", err=True)
    if errors:
        click.secho(
            f"{len(errors)} erreur(s) dans "
            f"{len({f.template for f in errors})} modèle(s) à corriger.",
            fg="red",
            err=True,
        )
        sys.exit(1)
    warnings = len(findings) - len(errors)
    click.secho(
        "Tous les modèles sont valides" + (f" ({warnings} avertissement(s))." if warnings else "."),
        fg="green",
    )


@main.command("nouveau-classeur", short_help="Créer un classeur pour un nouveau mandat.")
@click.argument("fichier", type=click.Path(path_type=Path), metavar="FICHIER")
@click.option("--debut", required=True, metavar="AAAA-MM", help="Premier mois du mandat.")
@click.option("--fin", required=True, metavar="AAAA-MM", help="Dernier mois du mandat.")
@click.option(
    "--depuis",
    "source",
    type=click.Path(path_type=Path),
    metavar="ANCIEN.xlsx",
    help="Reprendre de ce classeur ce qui dure d'un mandat à l'autre : identité du "
    "groupe, responsables, partenaires, protocole, instances, listes de "
    "diffusion, destinataires, diffusion, et les recommandations et décisions "
    "encore ouvertes à la fin de l'ancien mandat, avec leur historique.",
)
@click.option(
    "--avec-axes",
    "with_plan",
    is_flag=True,
    help="Avec --depuis : reprendre aussi les axes et les produits.",
)
def new_command(fichier, debut, fin, source, with_plan) -> None:
    """Créer un classeur pour un nouveau mandat (FICHIER ne doit pas exister).

    Sans --depuis, le classeur est vierge. Avec --depuis, il reprend de l'ancien
    classeur ce qui dure d'un mandat à l'autre, et les recommandations et décisions
    encore ouvertes à la fin de l'ancien mandat (feuille Recommandations, avec leur
    historique) ; le plan, les sessions, les réunions et le suivi restent vides.
    L'ancien classeur n'est pas modifié.
    """
    from .workbook.create import new_workbook, save_new
    from .workbook.values import parse_month

    try:
        start, end = parse_month(debut), parse_month(fin)
    except ValueError:
        raise click.BadParameter("écrivez les mois sous la forme AAAA-MM, ex. 2022-09.") from None
    if end < start:
        raise click.BadParameter("la fin du mandat précède son début.", param_hint="--fin")
    if with_plan and source is None:
        raise click.BadParameter(
            "--avec-axes demande --depuis ANCIEN.xlsx.", param_hint="--avec-axes"
        )
    if source is None:
        save_new(new_workbook(start, end), fichier)
    else:
        from .workbook.migrate import carry_over

        old = carry_over(source, fichier, start, end, with_plan=with_plan)
        _echo_carried_sheets(old)
        click.echo(
            f"Repris de {source} : identité, responsables, partenaires, protocole, "
            "instances, listes de diffusion, destinataires, diffusion"
            + (", axes et produits." if with_plan else ".")
        )
        count = len(old.carried_items)
        click.echo(
            f"Recommandations et décisions encore ouvertes reprises : {count}"
            + (f" ({', '.join(old.carried_items)})." if count else ".")
        )
    click.secho(f"Classeur créé : {fichier}. {_fill_then_build(fichier)}", fg="green")


def _fill_then_build(workbook: Path) -> str:
    """What to do with a new workbook, for someone at a terminal: the launcher and the
    page read the single workbook of inputs/, the command reads any."""
    command = f"« troika construire --classeur {_quoted(workbook)} »"
    if Path(workbook).resolve().parent == DEFAULT_INPUT.resolve():
        return (
            "Remplissez-le, puis produisez les documents : lanceur « Produire les "
            f"documents », bouton de la page de la Troïka, ou {command} (seul classeur "
            "du dossier inputs/)."
        )
    return (
        f"Remplissez-le, puis produisez les documents avec {command} ; pour utiliser le "
        "lanceur « Produire les documents » ou la page de la Troïka, placez-le seul "
        "dans le dossier inputs/."
    )


def _quoted(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if any(c in text for c in " &()'") else text


@main.command(
    "migrer-classeur", short_help="Convertir un classeur à la version actuelle de l'outil."
)
@click.argument("ancien", type=click.Path(path_type=Path), metavar="ANCIEN.xlsx")
@click.argument("nouveau", type=click.Path(path_type=Path), metavar="NOUVEAU.xlsx")
def migrate_command(ancien, nouveau) -> None:
    """Recopier toutes les données d'ANCIEN.xlsx dans un nouveau classeur NOUVEAU.xlsx,
    à la version actuelle du modèle (bulles d'aide, listes et contrôles compris).

    ANCIEN.xlsx n'est jamais modifié ; NOUVEAU.xlsx ne doit pas exister.
    """
    from .workbook.migrate import migrate_workbook

    old = migrate_workbook(ancien, nouveau)
    _echo_carried_sheets(old)
    click.secho(
        f"Classeur converti de la version {old.version_read} à la version "
        f"{schema.SCHEMA_VERSION} : {nouveau}. Vérifiez-le avec « troika verifier "
        f"--classeur {nouveau} ».",
        fg="green",
    )


def _echo_carried_sheets(old) -> None:
    """Name the sheets the tool does not know, copied as they are into the new workbook."""
    for title in old.carried_sheets:
        click.secho(
            f"Feuille « {title} » (ajoutée au classeur, inconnue de l'outil) recopiée telle "
            "quelle dans le nouveau classeur (valeurs et mise en forme ; les formules sont "
            "remplacées par leur dernier résultat).",
            fg="yellow",
        )


@main.command("importer-pta", short_help="Créer un classeur à partir d'un PTA en Word.")
@click.argument(
    "plan", type=click.Path(path_type=Path, exists=True, dir_okay=False), metavar="PLAN.docx"
)
@click.argument("classeur", type=click.Path(path_type=Path), metavar="CLASSEUR.xlsx")
def import_command(plan, classeur) -> None:
    """Lire un plan de travail annuel (PTA) au format Word et en faire un nouveau
    classeur CLASSEUR.xlsx (qui ne doit pas exister).

    Sont repris : le titre (nom du groupe, pays), la date, les textes des sections
    Introduction, Présentation et Résultats attendus, et le tableau du plan (axes,
    produits, codes, activités, mois programmés, responsables). Ce qui n'a pas pu être
    lu est listé avec sa ligne du tableau ; le classeur est ensuite vérifié.
    """
    from .build import check
    from .workbook.pta_import import import_pta

    result = import_pta(plan, classeur)
    click.secho(f"Classeur créé : {classeur} ({result.activities} activités lues).", fg="green")
    for note in result.notes:
        click.secho(f"  À reprendre : {note}", fg="yellow")
    report = check(classeur)
    _print_report(report)
    if report.problems:
        click.secho(
            f"Vérification du classeur : {report.summary()} ; corrigez-les dans le "
            "classeur (les défauts du document d'origine y sont signalés par cellule).",
            fg="yellow",
        )
    else:
        click.secho("Le classeur est valide.", fg="green")


@main.command(
    "importer-iati", short_help="Proposer les prévisions et décaissements publiés en IATI."
)
@click.argument(
    "fichiers",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    metavar="FICHIER.xml...",
)
@workbook_option
@click.option(
    "--sortie",
    type=click.Path(path_type=Path),
    required=True,
    metavar="NOUVEAU.xlsx",
    help="Nouveau classeur à écrire (ne doit pas exister).",
)
@click.option(
    "--pays", default="BF", show_default=True, metavar="CODE", help="Pays bénéficiaire (ISO)."
)
@click.option(
    "--schemas",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DOSSIER",
    help="Dossier du schéma IATI (iati-activities-schema.xsd) : les fichiers sont "
    "d'abord vérifiés par rapport au schéma.",
)
@click.option(
    "--date", "today", callback=_parse_day, metavar="AAAA-MM-JJ", help="Date du rapprochement."
)
def import_iati_command(fichiers, workbook, sortie, pays, schemas, today) -> None:
    """Lire les fichiers d'activités IATI (version 2.01 à 2.03) publiés par les
    partenaires et écrire NOUVEAU.xlsx : le classeur (jamais modifié) avec, dans les
    feuilles Prévisions et Décaissements, les lignes d'appui budgétaire (A01, A02)
    proposées pour le pays, marquées de leur source, à côté des lignes saisies.

    Là où un montant est déjà saisi, la ligne proposée a « Retenu » = Non : rien n'est
    remplacé sans vous. Le rapprochement (saisi, IATI, écart) est affiché et écrit
    à côté du nouveau classeur (rapprochement_iati_<date>.xlsx).
    """
    from .build import check
    from .workbook.iati_import import import_iati, reconciliation_text

    result = import_iati(fichiers, workbook, sortie, pays, schemas, today)
    click.secho(
        f"Classeur créé : {sortie} ({len(result.rows)} lignes proposées, lues dans "
        f"{len(result.files)} fichiers).",
        fg="green",
    )
    _print_report(result.report)
    for note in result.skipped:
        click.secho(f"  {note}", fg="yellow")
    click.echo("Rapprochement (montants en FCFA) :")
    for line in reconciliation_text(result):
        click.echo(f"  {line}")
    click.echo(f"Rapprochement écrit : {result.reconciliation}")
    report = check(sortie)
    _print_report(report)
    if report.problems:
        click.secho(f"Vérification du classeur : {report.summary()}.", fg="yellow")
    else:
        click.secho("Le classeur est valide.", fg="green")
    if result.report.errors:  # amounts left out (a currency without rate): say it by the code
        click.secho(
            "Des montants n'ont pas été repris (voir ci-dessus) : complétez le classeur puis "
            "relancez l'import sur le nouveau classeur.",
            fg="red",
            err=True,
        )
        sys.exit(1)


@main.command("diffuser", short_help="Préparer le dossier de diffusion (et envoyer sur demande).")
@workbook_option
@click.option(
    "--sortie",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    metavar="DOSSIER",
    show_default="build/",
    help="Dossier de la dernière construction.",
)
@click.option("--sans-pdf", "no_pdf", is_flag=True, help="Ne pas produire les copies PDF.")
@click.option(
    "--periode",
    metavar="PÉRIODE",
    help="Ne diffuser que les documents de cette période (ex. : « Trimestre 3 », "
    "libellé de la feuille Périodes) et ceux toujours envoyés.",
)
@click.option(
    "--envoyer",
    "send_now",
    is_flag=True,
    help="Envoyer aussi les courriels par SMTP (après confirmation).",
)
@click.option(
    "--oui", "yes", is_flag=True, help="Avec --envoyer : ne pas demander de confirmation."
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    metavar="FICHIER",
    help="Fichier des réglages d'envoi (section [smtp]) ; par "
    "défaut $TROIKA_SMTP_CONFIG ou ~/.troika-smtp.ini.",
)
def distribute_command(workbook, sortie, no_pdf, periode, send_now, yes, config) -> None:
    """Préparer le dossier de diffusion de la dernière construction.

    Écrit dans build/diffusion/AAAA-MM-JJ/ (date de la construction ; avec --periode,
    AAAA-MM-JJ_periode/) : pour chaque liste de diffusion, ses documents en Word et en PDF,
    une archive .zip et un brouillon de courriel .eml à ouvrir dans Outlook ou Thunderbird
    (plusieurs si les documents dépassent la taille maximale d'un courriel fixée dans la
    feuille Paramètres) ; plus un manifeste (manifeste.csv et manifeste.txt) avec la taille
    et l'empreinte SHA-256 de chaque fichier.

    L'envoi direct n'a lieu qu'avec --envoyer : le serveur est lu dans l'environnement
    (TROIKA_SMTP_HOTE, TROIKA_SMTP_PORT, TROIKA_SMTP_SECURITE, TROIKA_SMTP_UTILISATEUR,
    TROIKA_SMTP_MOT_DE_PASSE, TROIKA_EXPEDITEUR) ou dans un fichier --config, jamais dans
    le classeur. La liste des envois est affichée et confirmée avant tout envoi.
    """
    from .distribute import distribute
    from .distribute.mail import load_settings, sender_address

    settings = load_settings(config) if send_now else None
    sender = settings.sender if settings else sender_address(config)
    _watch(sortie)
    with _ProgressBar() as progress:
        package = distribute(
            workbook, sortie, pdf=not no_pdf, sender=sender, period=periode, progress=progress
        )
    if package.pdf_problem and not no_pdf:
        click.secho(f"Attention : {package.pdf_problem}", fg="yellow", err=True)
    for note in package.notes:
        click.secho(f"Attention : {note}", fg="yellow", err=True)
    for part in package.lists:
        count = len(part.mailing_list.recipients)
        drafts = ", ".join(f"{d.name} ({formats.file_size(d.size)})" for d in part.drafts)
        click.echo(
            f"  {part.mailing_list.name} : {len(part.files)} fichier(s), "
            f"{count} destinataire(s) -> {part.zip_name}" + (f", {drafts}" if drafts else "")
        )
    click.secho(
        f"Dossier de diffusion prêt : {_relative(package.folder)} (manifeste.txt pour le détail).",
        fg="green",
    )
    if not send_now:
        return
    messages = package.messages
    if not messages:
        click.secho("Aucun courriel à envoyer : aucune liste n'a de destinataire.", fg="yellow")
        return
    click.echo(
        f"\nEnvoi par {settings.host}:{settings.port} ({settings.security}), "
        f"expéditeur {settings.sender} :"
    )
    for part in package.lists:
        for draft in part.drafts:
            mode = "Cci" if part.mailing_list.uses_bcc else "À"
            click.echo(
                f"\n  Liste « {part.mailing_list.name} » – objet : {draft.subject} "
                f"({formats.file_size(draft.size)})"
            )
            for recipient in part.mailing_list.recipients:
                click.echo(f"    {mode} : {recipient.display_name} <{recipient.email}>")
            for attachment in draft.attachments:
                click.echo(
                    f"    pièce jointe : {attachment.name} "
                    f"({formats.number(len(attachment.data))} octets)"
                )
    total = sum(len(p.mailing_list.recipients) for p in package.lists if p.drafts)
    if not yes and not _confirm(
        f"\nEnvoyer ces {len(messages)} courriel(s) à {total} adresse(s) maintenant ?"
    ):
        click.secho(
            "Envoi annulé ; les brouillons .eml restent dans le dossier de diffusion.", fg="yellow"
        )
        return
    from .distribute.mail import send

    failed = False
    try:
        deliveries = send(messages, settings)
    except KeyboardInterrupt:
        click.secho(
            "\nInterrompu pendant l'envoi : une partie des courriels est peut-être déjà "
            "partie. Vérifiez les messages envoyés avant de relancer l'envoi.",
            fg="red",
            err=True,
        )
        sys.exit(130)
    for delivery in deliveries:
        if delivery.error:
            failed = True
            click.secho(f"  « {delivery.list_name} » : NON ENVOYÉ – {delivery.error}", fg="red")
            continue
        click.secho(
            f"  « {delivery.list_name} » : reçu par {len(delivery.accepted)} "
            f"adresse(s) : {', '.join(delivery.accepted) or 'aucune'}",
            fg="green" if delivery.complete else "yellow",
        )
        for address, answer in delivery.refused.items():
            failed = True
            click.secho(
                f"      NON REÇU par {address} : refusé par le serveur ({answer})", fg="red"
            )
    if failed:
        click.secho(
            "Certains envois ont échoué : corrigez les adresses ou réglages en cause et "
            "envoyez à ces destinataires le brouillon .eml de leur liste.",
            fg="red",
            err=True,
        )
        sys.exit(2)
    click.secho("Tous les courriels ont été envoyés.", fg="green")


@main.command("nettoyer", short_help="Supprimer les documents produits.")
@click.option(
    "--sortie",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    metavar="DOSSIER",
    show_default="build/",
    help="Dossier des documents produits.",
)
def clean_command(sortie) -> None:
    """Supprimer ce que l'outil a produit dans le dossier de sortie (documents, dossiers de
    diffusion, registres). Les fichiers que l'outil n'a pas produits restent en place."""
    from .output.bookkeeping import remove_outputs

    removed, kept = remove_outputs(sortie)
    click.secho(f"{len(removed)} fichier(s) supprimé(s) de {_relative(Path(sortie))}.", fg="green")
    if kept:
        click.secho(
            f"{len(kept)} fichier(s) laissé(s) en place car l'outil ne les a pas "
            f"produits : {', '.join(_relative(p) for p in kept[:5])}"
            + (" …" if len(kept) > 5 else "")
            + ".",
            fg="yellow",
        )


@main.command("interface", short_help="Ouvrir la page de la Troïka dans le navigateur.")
@workbook_option
@click.option(
    "--sortie",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    metavar="DOSSIER",
    show_default="build/",
    help="Dossier où écrire les documents.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default="un port libre",
    help="Port local de la page (adresse http://127.0.0.1:PORT/).",
)
@click.option(
    "--sans-navigateur",
    "no_browser",
    is_flag=True,
    help="Ne pas ouvrir le navigateur (l'adresse est affichée).",
)
@click.option(
    "--date",
    "today",
    callback=_parse_day,
    metavar="AAAA-MM-JJ",
    help="Date de production à utiliser au lieu d'aujourd'hui (périodes échues).",
)
def interface_command(workbook, sortie, port, no_browser, today) -> None:
    """Ouvrir dans le navigateur la page qui vérifie le classeur, produit les documents et
    prépare la diffusion, sans ligne de commande. La page n'est accessible que depuis cet
    ordinateur ; pour arrêter : bouton « Quitter » de la page, ou Ctrl+C."""
    from .web.interface import serve

    serve(
        workbook,
        sortie,
        port,
        open_browser=not no_browser,
        today=today,
        announce=lambda line: click.secho(line, fg="green"),
    )


@main.command("site", short_help="Produire le site web de suivi du plan dans build/site/.")
@workbook_option
@click.option(
    "--sortie",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    metavar="DOSSIER",
    show_default="build/",
    help="Dossier où écrire le sous-dossier site/.",
)
@click.option(
    "--date",
    "today",
    callback=_parse_day,
    metavar="AAAA-MM-JJ",
    help="Date de la situation à publier au lieu d'aujourd'hui.",
)
def site_command(workbook, sortie, today) -> None:
    """Produire le site web de suivi du plan (pages HTML, graphiques, documents publics)
    dans build/site/, à copier tel quel sur le site de la Troïka. Seuls les documents
    marqués « Oui » dans la colonne Public de la feuille Diffusion, et les recommandations
    marquées « Oui » dans la colonne Publique de la feuille Recommandations, y sont
    publiés."""
    from .web.site import build_site

    with _ProgressBar() as progress:  # says when it waits for a build writing meanwhile
        result = build_site(workbook, sortie, today, progress=progress)
    _print_report(result.report)
    click.secho(
        f"Site web produit : {_relative(result.folder)} ({len(result.written)} fichiers ; "
        "ouvrez index.html dans un navigateur).",
        fg="green",
    )


def _relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
