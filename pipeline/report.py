"""Validation problems as values, collected into a report.

Every problem has a stable code (``duplicate-code``, ``bad-date``...), a severity, a
location in the workbook (``'Activités'!C12``) and a French message saying what is
wrong and how to fix it. Tests assert on codes and locations; users read messages.

The catalogue below is the single place where codes, default severities and French
wording live, so the table of errors in docs/erreurs.md can be checked against it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True)
class Message:
    """French wording of one problem code: what is wrong, and how to fix it."""

    severity: Severity
    what: str
    fix: str


E, W = Severity.ERROR, Severity.WARNING

# code -> (default severity, what is wrong, how to fix it). Placeholders are filled
# from the keyword arguments given to Report.add().
CATALOGUE: dict[str, Message] = {
    # The file itself
    "file-missing": Message(
        E,
        "le fichier {path} est introuvable",
        "vérifiez le nom et l'emplacement du classeur (dossier inputs/)",
    ),
    "no-workbook": Message(
        E,
        "aucun classeur .xlsx dans le dossier {path}",
        "placez-y le classeur du mandat ou indiquez-le avec --classeur",
    ),
    "several-workbooks": Message(
        E,
        "plusieurs classeurs .xlsx dans {path} : {names}",
        "indiquez celui à utiliser avec --classeur",
    ),
    "not-xlsx": Message(
        E,
        "le fichier {path} n'est pas un classeur Excel .xlsx ({detail})",
        "ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format "
        "« Classeur Excel (.xlsx) »",
    ),
    "lock-file": Message(
        E,
        "le fichier {path} est un fichier de verrouillage d'Excel, pas le classeur",
        "indiquez le vrai classeur (son nom ne commence pas par ~$)",
    ),
    "workbook-too-large": Message(
        E,
        "le classeur {path} est anormalement volumineux une fois décompressé ({detail})",
        "enregistrez à nouveau le classeur dans Excel ; s'il provient "
        "d'une source inconnue, ne l'utilisez pas",
    ),
    "unreadable-workbook": Message(
        E,
        "le classeur {path} ne peut pas être lu ({detail})",
        "ouvrez-le dans Excel, vérifiez qu'il n'est pas protégé par "
        "un mot de passe et enregistrez-le à nouveau en .xlsx",
    ),
    "workbook-os-error": Message(
        E,
        "le classeur {path} ne peut pas être lu : {detail}",
        "puis relancez",
    ),
    "schema-version": Message(
        E,
        "le classeur suit la version {found} du modèle, l'outil attend la version {expected}",
        "convertissez-le avec « troika migrer-classeur ANCIEN.xlsx "
        "NOUVEAU.xlsx », qui écrit un nouveau classeur sans modifier "
        "l'ancien",
    ),
    "schema-newer": Message(
        E,
        "le classeur suit la version {found} du modèle, plus récente que "
        "celle de l'outil ({expected})",
        "mettez l'outil à jour, ou demandez le classeur à la personne qui "
        "l'a créé dans une version {expected}",
    ),
    # Structure
    "missing-sheet": Message(
        E,
        "la feuille « {name} » est absente",
        "ajoutez-la (ou repartez d'un classeur neuf) sans changer son nom",
    ),
    "missing-column": Message(
        E,
        "la colonne « {column} » est absente de la ligne d'en-tête{hint}",
        "rétablissez l'en-tête exact « {column} » en ligne 1",
    ),
    "missing-optional-column": Message(
        W,
        "la colonne facultative « {column} » est absente{hint} : ses cellules sont lues "
        "comme vides",
        "rien à faire si c'est voulu ; sinon rétablissez l'en-tête exact « {column} » en ligne 1",
    ),
    "duplicate-column": Message(
        E,
        "la colonne « {column} » apparaît deux fois (aussi en {other})",
        "supprimez l'une des deux colonnes ou fusionnez leur contenu",
    ),
    "missing-parameter": Message(
        E,
        "le paramètre « {name} » est absent de la feuille",
        "ajoutez une ligne « {name} » dans la colonne A",
    ),
    "no-month-columns": Message(
        E,
        "aucune colonne de mois n'a été trouvée",
        "les colonnes de mois doivent avoir pour en-tête un mois, par exemple « sept. 2021 »",
    ),
    "missing-month-column": Message(
        E,
        "il manque la colonne du mois de {month}",
        "ajoutez une colonne « {month} » avec les autres mois",
    ),
    "bad-month-column": Message(
        E,
        "l'en-tête « {value} » n'est pas un mois reconnu",
        "écrivez le mois sous la forme « sept. 2021 » ou 09/2021",
    ),
    # Cell values
    "missing-value": Message(E, "la cellule « {column} » est vide", "renseignez-la{hint}"),
    "bad-date": Message(
        E,
        "« {value} » n'est pas une date valide",
        "saisissez une date comme 31/05/2022 (ou « mai 2022 » pour un mois)",
    ),
    "bad-number": Message(
        E, "« {value} » n'est pas un nombre valide", "saisissez un nombre sans texte, par exemple 2"
    ),
    "bad-code": Message(
        E,
        "« {value} » n'est pas un code valide",
        "un code s'écrit avec des chiffres séparés par des points, sans espace ni lettre, "
        "par exemple 1.2",
    ),
    "code-with-comma": Message(
        E,
        "le code « {value} » est écrit avec une virgule",
        "un code s'écrit avec des points : tapez {typed} (mettez d'abord la "
        "colonne au format Texte, pour qu'Excel n'en fasse ni un nombre ni une date)",
    ),
    "code-as-date": Message(
        E,
        "la cellule « {column} » contient la date du {date} : Excel a transformé en "
        "date ce qui a été tapé (probablement le code {typed})",
        "sélectionnez la colonne, choisissez Format de cellule > Texte, puis retapez "
        "le code (par exemple {typed})",
    ),
    "bad-mark": Message(
        E,
        "la valeur « {value} » dans la colonne du mois de {month} n'est pas "
        "une marque de mois programmé",
        "mettez un « x » pour un mois programmé, ou laissez la cellule vide",
    ),
    "other-mark": Message(
        W,
        "le mois de {month} est marqué « {value} » au lieu de « x » : il est compté "
        "comme programmé",
        "remplacez la marque par un « x » (la seule marque documentée), ou videz la "
        "cellule si le mois n'est pas programmé",
    ),
    "bad-choice": Message(
        E,
        "« {value} » n'est pas une valeur admise pour « {column} »",
        "choisissez dans la liste déroulante : {choices}",
    ),
    "formula-without-value": Message(
        E,
        "la cellule contient une formule dont le résultat n'a "
        "pas été enregistré (classeur produit par un outil qui ne "
        "calcule pas)",
        "ouvrez et enregistrez le classeur dans Excel, ou remplacez la formule par sa valeur",
    ),
    "merged-cells": Message(
        W,
        "des cellules fusionnées ({cells}) se trouvent dans le tableau",
        "chaque ligne a été lue avec la valeur affichée ; évitez de fusionner "
        "des cellules dans les tableaux",
    ),
    "code-as-number": Message(
        E,
        "le code « {value} » est enregistré comme un nombre : Excel "
        "transforme par exemple 1.10 en 1.1, le code lu peut donc être faux",
        "mettez la cellule au format Texte et retapez le code",
    ),
    "bad-text": Message(
        W,
        "des caractères invisibles ont été retirés du texte : {detail}",
        "vérifiez le texte ; ces caractères proviennent souvent d'un copier-coller "
        "depuis Word ou un courriel",
    ),
    "line-break": Message(
        W,
        "la cellule « {column} » ne doit tenir que sur une ligne : ses retours "
        "à la ligne et tabulations ont été remplacés par des espaces",
        "supprimez les retours à la ligne (Alt+Entrée) dans cette cellule",
    ),
    "name-too-long": Message(
        E,
        "« {value} » sert à nommer un fichier et dépasse {limit} caractères",
        "raccourcissez ce texte (un nom court ou un sigle)",
    ),
    "reserved-name": Message(
        W,
        "« {value} » sert à nommer un dossier et des fichiers, et Windows "
        "réserve ce nom à un périphérique : ils s'appellent donc « {name} »",
        "si vous préférez un autre nom, renommez la liste (par exemple en ajoutant un mot)",
    ),
    # Plan
    "bad-mandate": Message(
        E,
        "la fin du mandat ({end}) précède son début ({start})",
        "corrigez les dates de début et de fin du mandat",
    ),
    "duplicate-code": Message(
        E,
        "le code « {value} » est déjà utilisé en {other}",
        "donnez à chaque ligne un code unique{hint}",
    ),
    "unknown-axis": Message(
        E,
        "l'axe « {value} » n'existe pas dans la feuille Axes",
        "choisissez un axe de la liste déroulante ou ajoutez-le dans la feuille Axes",
    ),
    "unknown-product": Message(
        E,
        "le produit « {value} » n'existe pas dans la feuille Produits",
        "choisissez un produit de la liste déroulante ou ajoutez-le dans la feuille Produits",
    ),
    "unknown-body": Message(
        E,
        "le responsable « {value} » n'existe pas dans la feuille Responsables",
        "choisissez-le dans la liste déroulante ou ajoutez-le dans la feuille Responsables",
    ),
    "no-body": Message(
        E,
        "l'activité « {value} » n'a aucun responsable",
        "indiquez au moins un responsable dans la colonne « Responsable 1 »",
    ),
    "month-outside-mandate": Message(
        E,
        "le mois de {month} est programmé mais se situe hors du mandat ({mandate})",
        "retirez la croix ou corrigez les dates du mandat dans Paramètres",
    ),
    "no-schedule": Message(
        W,
        "l'activité « {value} » n'a aucun mois programmé",
        "mettez un « x » dans au moins une colonne de mois",
    ),
    "code-product-mismatch": Message(
        W,
        "le code « {value} » ne commence pas par le numéro de son produit ({product})",
        "numérotez les activités du produit {product} sous la forme {product}.1, {product}.2…",
    ),
    "empty-product": Message(
        W,
        "le produit « {value} » n'a aucune activité",
        "ajoutez ses activités dans la feuille Activités ou supprimez le produit",
    ),
    "empty-axis": Message(
        W,
        "l'axe « {value} » n'a aucun produit",
        "rattachez-lui des produits dans la feuille Produits ou supprimez l'axe",
    ),
    "missing-result": Message(
        W,
        "le produit « {value} » n'a pas de résultat attendu",
        "saisissez son résultat attendu : il figure dans la section 3 du PTA",
    ),
    "other-mandate-years": Message(
        W,
        "le texte mentionne « {value} » alors que le mandat est {mandate}",
        "vérifiez les années citées dans le texte",
    ),
    "issue-date-mismatch": Message(
        E,
        "le Flash info n° {value} a une autre date de parution qu'en {other}",
        "donnez la même date à toutes les brèves d'un même numéro",
    ),
    "date-outside-mandate": Message(
        W, "la date {value} est en dehors du mandat {mandate}", "vérifiez la date"
    ),
    "missing-text": Message(
        W,
        "la rubrique « {value} » n'a aucun texte",
        "ajoutez au moins une ligne pour cette rubrique dans la feuille Textes",
    ),
    # Partners: speeches, aide-mémoire, disbursement forecasts
    "duplicate-partner": Message(
        E,
        "le partenaire « {value} » figure déjà en {other}",
        "gardez une seule ligne par partenaire (sigle et nom uniques)",
    ),
    "troika-size": Message(
        W,
        "{count} partenaire(s) sont marqués membres de la Troïka au lieu de 3",
        "mettez « Oui » dans la colonne « Membre de la Troïka » pour les trois membres seulement",
    ),
    "unknown-partner": Message(
        E,
        "le partenaire « {value} » n'existe pas dans la feuille Partenaires",
        "choisissez son sigle dans la liste déroulante ou ajoutez-le dans la feuille Partenaires",
    ),
    "unknown-session": Message(
        E,
        "la session « {value} » n'existe pas dans la feuille Sessions",
        "choisissez le code de la session dans la liste déroulante ou "
        "ajoutez la session dans la feuille Sessions",
    ),
    "no-protocol": Message(
        E,
        "la session « {value} » n'a pas de protocole : aucune formule pour "
        "l'instance {body} dans la feuille Protocole",
        "ajoutez dans la feuille Protocole les personnalités à saluer pour "
        "l'instance {body}, dans l'ordre protocolaire",
    ),
    "duplicate-rank": Message(
        E,
        "le rang {value} est déjà utilisé pour l'instance {body} en {other}",
        "numérotez les formules de chaque instance 1, 2, 3… sans doublon",
    ),
    "no-speech": Message(
        W,
        "la session « {value} » n'a aucun texte de discours : son discours n'est pas produit",
        "ajoutez ses paragraphes dans la feuille Discours",
    ),
    "negative-amount": Message(
        E, "le montant {value} est négatif", "saisissez un montant positif ou nul, en FCFA"
    ),
    "forecast-year-outside": Message(
        E,
        "l'année {value} est hors de la période de prévision "
        "{first} – {last} (années n à n+2, n étant l'année de "
        "fin du mandat)",
        "saisissez une année de {first} à {last}, ou corrigez la fin du mandat dans Paramètres",
    ),
    "disbursement-year-outside": Message(
        E,
        "l'année {value} est hors du mandat ({first} – {last})",
        "saisissez l'année du décaissement, de {first} à {last}",
    ),
    "disbursement-without-forecast": Message(
        W,
        "le décaissement de {partner} en {year} n'a pas de prévision pour cette année "
        "dans la feuille Prévisions : sa prévisibilité ne peut pas être mesurée",
        "ajoutez la prévision de {partner} pour {year} (montant programmé), ou corrigez "
        "le partenaire ou l'année du décaissement",
    ),
    "bad-currency": Message(
        E,
        "« {value} » n'est pas un code de devise à trois lettres",
        "saisissez le code ISO 4217 de la devise, ex. : USD",
    ),
    "bad-rate": Message(
        E,
        "le taux {value} doit être un nombre de FCFA supérieur à zéro",
        "saisissez le nombre de FCFA pour une unité de la devise, ex. : 612,5",
    ),
    "duplicate-rate": Message(
        E,
        "le taux de {currency} au {date} est déjà donné en {other}",
        "gardez une seule ligne par devise et par date",
    ),
    # Partners' IATI files (troika importer-iati)
    "iati-no-rate": Message(
        E,
        "le fichier {file}, activité {activity} : montants en {currency}, devise sans taux "
        "dans la feuille Taux de change ; ils ne sont pas repris",
        "ajoutez dans la feuille Taux de change un taux daté de {currency} (nombre de "
        "FCFA pour une unité), puis relancez l'import",
    ),
    "iati-unknown-organisation": Message(
        W,
        "le fichier {file} : l'organisation {identifier} ({name}) n'est le partenaire "
        "d'aucune ligne de la feuille Partenaires : {count} activité(s) d'appui "
        "budgétaire non reprise(s)",
        "si c'est un partenaire du groupe, saisissez {identifier} dans la colonne "
        "« Identifiant IATI » de sa ligne, puis relancez l'import",
    ),
    "no-forecast-date": Message(
        W,
        "le paramètre « {name} » n'est pas renseigné : les prévisions "
        "de décaissements sont datées du jour de production",
        "indiquez dans la feuille Paramètres la date à laquelle les "
        "montants de la feuille Prévisions sont arrêtés",
    ),
    # Distribution
    "bad-mail-size": Message(
        E,
        "la taille maximale d'un courriel « {value} » doit être un nombre "
        "de mégaoctets supérieur à zéro",
        "saisissez par exemple 10, ou laissez la cellule vide (10 Mo)",
    ),
    "bad-email": Message(
        E,
        "« {value} » n'est pas une adresse électronique valide",
        "saisissez une seule adresse par ligne, sans nom ni espace, par "
        "exemple prenom.nom@organisation.org",
    ),
    "duplicate-email": Message(
        E,
        "l'adresse « {value} » figure déjà en {other}",
        "gardez une seule ligne par adresse et indiquez toutes ses listes "
        "dans les colonnes « Liste 1 », « Liste 2 »…",
    ),
    "unknown-list": Message(
        E,
        "la liste de diffusion « {value} » n'existe pas dans la feuille Listes de diffusion",
        "choisissez-la dans la liste déroulante ou ajoutez-la dans la feuille Listes de diffusion",
    ),
    "bad-list-name": Message(
        E,
        "le nom de liste « {value} » ne contient ni lettre ni chiffre",
        "donnez à la liste un nom fait de lettres, par exemple Gouvernement",
    ),
    "unknown-document-kind": Message(
        E,
        "le document « {value} » n'est pas un document produit par l'outil",
        "choisissez dans la liste déroulante : {choices}",
    ),
    "duplicate-distribution": Message(
        W,
        "le document « {value} » est déjà envoyé à la liste « {list} » en {other}",
        "supprimez la ligne en double",
    ),
    "internal-document-public": Message(
        E,
        "le document « {value} » ne peut pas être publié sur le site : il contient aussi "
        "les recommandations internes",
        "videz la cellule ou écrivez Non ; les recommandations marquées « Publique » "
        "(feuille Recommandations) paraissent déjà sur la page Recommandations du site",
    ),
    "empty-list": Message(
        W,
        "la liste de diffusion « {value} » reçoit des documents mais n'a aucun destinataire",
        "rattachez-lui des destinataires dans la feuille Destinataires "
        "(colonnes « Liste 1 », « Liste 2 »…)",
    ),
    "recipient-without-list": Message(
        W,
        "le destinataire « {value} » n'appartient à aucune liste de diffusion",
        "choisissez au moins une liste dans la colonne « Liste 1 »",
    ),
    # Cross-document consistency (pipeline.validate.consistency): both cells are named
    "session-not-held": Message(
        W,
        "la session « {value} » du {date} a {documents}, mais le suivi "
        "de l'activité {activity} la dit « {status} » pour la "
        "période « {period} » ({other})",
        "corrigez la date de la session ou le statut de l'activité ; "
        "si la session n'a pas eu lieu, retirez ses textes des feuilles "
        "Discours et Aide-mémoire",
    ),
    "session-outside-mandate": Message(
        W,
        "la session « {value} » est datée du {date}, hors du mandat {mandate} ({other})",
        "corrigez la date de la session ou les dates du mandat",
    ),
    "flash-after-build-date": Message(
        W,
        "le Flash info n° {value} est daté du {date}, après la date de production ({today})",
        "vérifiez sa date de parution : un Flash info ne rapporte que ce qui a déjà eu lieu",
    ),
    "text-after-period": Message(
        W,
        "le texte cite « {value} », après la fin de la période "
        "« {period} » ({end}) : le rapport de cette période "
        "rapporterait un fait postérieur à sa date",
        "décrivez ce fait dans la ligne de suivi de la période où il a eu lieu",
    ),
    "unknown-recipient-partner": Message(
        W,
        "le partenaire « {value} » n'existe pas dans {other}",
        "choisissez son sigle dans la liste déroulante, ou "
        "laissez la cellule vide pour un destinataire qui ne "
        "représente pas un partenaire",
    ),
    "recipient-two-organisations": Message(
        W,
        "« {value} » figure ici pour « {organisation} » et "
        "en {other} pour « {other_organisation} »",
        "une personne représente une seule organisation : corrigez le nom ou l'organisation",
    ),
    "troika-list-mismatch": Message(
        W,
        "« {value} » {detail} ({other})",
        "la liste « {list} » doit réunir exactement les membres de "
        "la Troïka de la feuille Partenaires : corrigez la liste ou "
        "la colonne « Membre de la Troïka »",
    ),
    "memo-before-session": Message(
        W,
        "l'aide-mémoire de la session « {value} » est adopté le {date}, avant la session "
        "elle-même ({session_date}, {other})",
        "corrigez la date d'adoption de l'aide-mémoire (le jour de son adoption, après la "
        "session) ou la date de la session",
    ),
    "decision-contradicts-follow-up": Message(
        W,
        "la décision « {value} » est « {status} » au {date}, mais le suivi de l'activité "
        "{activity} pour la période « {period} » la {detail} : « {text} » ({other})",
        "mettez d'accord le statut de la décision (ses changements datés, feuille Historique "
        "des statuts) avec le texte du suivi : l'un des deux est faux",
    ),
    "decision-done-after-event": Message(
        W,
        "la décision « {value} » est réalisée le {done}, après la session {session} du "
        "{date} qu'elle prépare ({other})",
        "corrigez la date du changement de statut « réalisé » (au plus tard le jour de la "
        "session), ou la date de la session",
    ),
    "count-differs": Message(
        W,
        "le texte annonce {value} {noun}(s) pour la période « {period} », mais les tableaux "
        "en comptent {count} ({other})",
        "corrigez le nombre écrit dans le texte, ou complétez le tableau dont il vient",
    ),
    "same-title-two-people": Message(
        W,
        "« {value} » est ici « {title} » de {organisation}, mais {other} donne "
        "« {other_person} » pour la même fonction",
        "une fonction d'une organisation est tenue par une seule personne : corrigez le nom "
        "ou la fonction dans l'une des deux feuilles",
    ),
    "speaker-on-no-list": Message(
        W,
        "« {value} » {role} pour {organisation}, mais ne figure sur aucune liste de "
        "diffusion ({other})",
        "ajoutez cette personne dans la feuille Destinataires (avec au moins une liste), "
        "ou corrigez son nom",
    ),
    "participant-on-no-list": Message(
        W,
        "« {value} » participe aux réunions ({count} fois), mais aucune liste de diffusion "
        "ne l'atteint ({other})",
        "ajoutez un destinataire de ce partenaire dans la feuille Destinataires, avec au "
        "moins une liste",
    ),
    # Follow-up: periods, meetings, decisions, activity follow-up
    "bad-period": Message(
        E,
        "la période « {value} » finit le {end}, avant de commencer le {start}",
        "corrigez le premier ou le dernier jour de la période",
    ),
    "period-outside-mandate": Message(
        E,
        "la période « {value} » déborde du mandat ({mandate})",
        "faites tenir chaque période entre le début et la fin du mandat",
    ),
    "periods-overlap": Message(
        E,
        "la période « {value} » chevauche la période « {other} »",
        "faites commencer chaque période le lendemain du dernier jour de la précédente",
    ),
    "periods-gap": Message(
        E,
        "aucune période ne couvre les jours du {start} au {end}",
        "ajoutez une période pour ces jours ou étendez une période voisine "
        "(ou videz la feuille Périodes pour revenir aux trimestres du mandat)",
    ),
    "unknown-period": Message(
        E,
        "la période « {value} » n'existe pas dans la feuille Périodes",
        "choisissez une période de la liste déroulante : {choices}",
    ),
    "unknown-activity": Message(
        E,
        "l'activité « {value} » n'existe pas dans la feuille Activités",
        "choisissez un code d'activité dans la liste déroulante",
    ),
    "unknown-meeting-type": Message(
        E,
        "l'instance « {value} » n'existe pas dans la feuille Instances",
        "choisissez-la dans la liste déroulante ou ajoutez-la dans la feuille Instances",
    ),
    "unknown-meeting": Message(
        E,
        "la réunion « {value} » n'existe pas dans la feuille Réunions",
        "choisissez le numéro de la réunion dans la liste déroulante",
    ),
    "meeting-outside-mandate": Message(
        E,
        "la réunion du {date} se situe hors du mandat ({mandate})",
        "corrigez la date de la réunion",
    ),
    "deadline-before-meeting": Message(
        W,
        "l'échéance ({deadline}) précède la réunion qui a pris la décision ({date})",
        "vérifiez l'échéance ou le numéro de réunion",
    ),
    "duplicate-follow-up": Message(
        E,
        "l'activité « {value} » a déjà une ligne de suivi pour la période « {period} » en {other}",
        "gardez une seule ligne par activité et par période",
    ),
    # Register of recommendations and dated status changes
    "unknown-source": Message(
        E,
        "la source « {value} » n'est ni une session de la feuille Sessions ni une réunion "
        "de la feuille Réunions",
        "corrigez le code ou le numéro ; pour une autre source (revue d'un mandat "
        "précédent, matrice CGAB…), choisissez sa nature et donnez sa date dans la "
        "colonne « Date de la source »",
    ),
    "source-date-mismatch": Message(
        E,
        "la date de la source « {value} » ({date}) n'est pas celle de la session ou de "
        "la réunion ({other})",
        "videz la cellule (la date est alors reprise de la session ou de la réunion) "
        "ou corrigez-la",
    ),
    "due-before-source": Message(
        E,
        "l'échéance ({due}) précède la source de la recommandation ({date})",
        "corrigez l'échéance ou la source",
    ),
    "unknown-item": Message(
        E,
        "le n° « {value} » n'est ni une recommandation de la feuille Recommandations ni "
        "une décision de la feuille Décisions",
        "corrigez le numéro, ou ajoutez la recommandation ou la décision",
    ),
    "change-before-item": Message(
        E,
        "le changement de statut de « {value} » est daté du {date}, avant la "
        "recommandation ou la décision elle-même ({opened})",
        "corrigez la date du changement, ou la date de la source ou de la réunion",
    ),
    "change-after-build-date": Message(
        W,
        "le changement de statut de « {value} » est daté du {date}, après la date de "
        "production ({today}) : les documents ne le montrent pas",
        "vérifiez sa date : un changement ne se consigne qu'une fois survenu",
    ),
    "duplicate-change": Message(
        E,
        "« {value} » a déjà un changement de statut le {date}, en {other}",
        "gardez une seule ligne par jour : le dernier statut de la journée",
    ),
    "change-after-closed": Message(
        E,
        "« {value} » change encore de statut alors qu'elle est « {status} » depuis le "
        "{date} ({other})",
        "supprimez ce changement, ou corrigez la ligne qui la clôt : une recommandation "
        "ou une décision réalisée ou abandonnée ne change plus",
    ),
}


def _unseen(value) -> str:
    if not isinstance(value, str):
        return ""
    from .workbook.values import describe_unseen

    return describe_unseen(value)


@dataclass(frozen=True)
class Location:
    """Where a problem is: a sheet and optionally a cell (``'Activités'!C12``)."""

    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet is None:
            return ""
        if self.cell is None:
            return f"feuille « {self.sheet} »"
        return f"'{self.sheet}'!{self.cell}"


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    location: Location
    message: str
    # The two halves of the message, for a page that shows them in two columns.
    what: str = ""
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.location} : " if self.location.sheet else ""
        return f"[{self.severity.value}] {where}{self.message} ({self.code})"


@dataclass
class Report:
    """Every problem found in one pass over the workbook."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        sheet: str | None = None,
        cell: str | None = None,
        severity: Severity | None = None,
        **details,
    ) -> Problem:
        """Record a problem; its French message comes from the catalogue."""
        entry = CATALOGUE[code]
        details.setdefault("hint", "")
        what, fix = entry.what.format(**details), entry.fix.format(**details)
        unseen = _unseen(details.get("value"))
        if unseen:
            # "« 1.1 » n'est pas un nombre valide" while the screen shows exactly 1.1.
            what += f" (la cellule contient, invisible à l'écran : {unseen})"
            fix += " ; effacez la cellule et retapez sa valeur"
        text = f"{what} ; {fix}."
        problem = Problem(
            code,
            severity or entry.severity,
            Location(sheet, cell),
            text[0].upper() + text[1:],
            what[:1].upper() + what[1:],
            fix[:1].upper() + fix[1:] + ".",
        )
        self.problems.append(problem)
        return problem

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def is_blocking(self, strict: bool = False) -> bool:
        """True when the build must stop: any error, or any warning in strict mode."""
        return bool(self.errors or (strict and self.warnings))

    def in_reading_order(self, sheets: list[str]) -> list[Problem]:
        """Problems without a sheet first, then sheet by sheet in ``sheets`` order, row
        by row, column by column: the order in which someone fixes them."""

        def key(problem: Problem):
            location = problem.location
            rank = sheets.index(location.sheet) if location.sheet in sheets else len(sheets)
            match = re.match(r"([A-Z]*)(\d*)", location.cell or "")
            column, row = match[1], int(match[2] or 0)
            return (location.sheet is not None, rank, row, len(column), column)

        return sorted(self.problems, key=key)

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def summary(self) -> str:
        """One French line counting errors and warnings."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        parts = [
            f"{n_err} erreur{'s' if n_err > 1 else ''}",
            f"{n_warn} avertissement{'s' if n_warn > 1 else ''}",
        ]
        return " et ".join(parts)
