// The secretariat's page: calls the local server, shows its answers. Every text shown
// is set with textContent, never parsed as HTML.
"use strict";

const TOKEN = document.querySelector('meta[name="jeton"]').content;
const TOKEN_HEADER = document.querySelector('meta[name="entete-jeton"]').content;
const MAX_SIZE = Number(document.querySelector('meta[name="taille-max"]').content);
const $ = (id) => document.getElementById(id);
const ACTIONS = ["verifier", "produire", "diffuser", "defaut", "fichiers-iati"];
const FOLDED_FROM = 8;  // documents of one kind shown without unfolding
const BARS = {
  "resultat-produire": {box: "progression", bar: "barre", text: "etape"},
  "resultat-diffuser": {box: "progression-diffuser", bar: "barre-diffuser", text: "etape-diffuser"},
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function showMessage(text) {
  $("message").textContent = text;
  $("message").hidden = !text;
}

// What the browser reports as "Failed to fetch" when the tool's window was closed.
const TOOL_CLOSED = "L’outil de la Troïka ne répond plus : sa fenêtre a sans doute été fermée, " +
  "ce qui l’arrête. Rouvrez-le avec le lanceur « Ouvrir la page de la Troïka » : une nouvelle " +
  "page s’ouvre, utilisez-la et fermez celle-ci.";

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {method, body, headers: {[TOKEN_HEADER]: TOKEN}});
  } catch (error) {
    throw new Error(TOOL_CLOSED);  // no answer at all: the server is gone
  }
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    throw new Error((data && data.erreur) || TOOL_CLOSED);
  }
  return data;
}

function setBusy(busy) {
  for (const id of ACTIONS) $(id).disabled = busy;
}

// --- The workbook -------------------------------------------------------------------------

function showWorkbook(info) {
  $("nom-classeur").textContent = info.nom;
  $("origine-classeur").textContent = info.importe
    ? "(choisi sur cet ordinateur, lu sans être copié)"
    : `(dossier ${info.dossier})`;
  $("defaut").hidden = !info.importe;
  for (const id of ["resultat-verifier", "resultat-produire", "resultat-diffuser", "resultat-iati"]) $(id).replaceChildren();
}

async function upload(file) {
  showMessage("");
  if (!file.name.toLowerCase().endsWith(".xlsx")) {
    showMessage(`« ${file.name} » n’est pas un classeur Excel .xlsx.`);
    return;
  }
  if (file.size > MAX_SIZE) {
    showMessage(`« ${file.name} » est trop volumineux (au plus ${Math.round(MAX_SIZE / 1048576)} Mo).`);
    return;
  }
  const form = new FormData();
  form.append("fichier", file);
  try { showWorkbook(await call("POST", "/api/classeur", form)); }
  catch (error) { showMessage(error.message); }
}

// --- Problems -----------------------------------------------------------------------------

function problemsTable(report) {
  const box = el("div");
  const kind = report.erreurs ? "alerte" : report.avertissements ? "attention" : "succes";
  const verdict = report.erreurs
    ? `Classeur à corriger : ${report.resume}.`
    : `Classeur valide (${report.resume}).`;
  box.append(el("p", {class: kind, text: verdict}));
  for (const group of report.groupes) {
    const section = el("div", {class: "groupe"});
    const errors = group.problemes.filter((p) => p.gravite === "erreur").length;
    const warnings = group.problemes.length - errors;
    const counts = [errors ? `${errors} erreur${errors > 1 ? "s" : ""}` : "",
                    warnings ? `${warnings} avertissement${warnings > 1 ? "s" : ""}` : ""]
                   .filter(Boolean).join(", ");
    section.append(el("h3", {text: `Feuille « ${group.feuille} » – ${counts}`}));
    const body = el("tbody");
    for (const p of group.problemes) {
      body.append(el("tr", {class: p.gravite, "data-code": p.code, "data-cellule": p.cellule},
        el("td", {text: p.gravite}),
        el("td", {text: p.cellule || "–"}),
        el("td", {text: p.quoi}),
        el("td", {text: p.correction}),
        el("td", {}, el("code", {text: p.code}))));
    }
    const head = el("tr");
    for (const title of ["Gravité", "Cellule", "Ce qui ne va pas", "Comment corriger", "Code"]) {
      head.append(el("th", {scope: "col", text: title}));
    }
    section.append(el("div", {class: "tableau"},
      el("table", {}, el("caption", {text: `Problèmes de la feuille « ${group.feuille} »`}),
         el("thead", {}, head), body)));
    box.append(section);
  }
  return box;
}

async function verify() {
  showMessage("");
  setBusy(true);
  $("resultat-verifier").replaceChildren(el("p", {text: "Vérification en cours…"}));
  try { $("resultat-verifier").replaceChildren(problemsTable(await call("POST", "/api/verifier"))); }
  catch (error) { $("resultat-verifier").replaceChildren(); showMessage(error.message); }
  finally { setBusy(false); }
}

// --- Long jobs: build and distribution ----------------------------------------------------

function link(href, text) {
  return el("a", {href, text});
}

function documentsView(result) {
  const box = el("div");
  box.append(el("p", {class: "succes", text: result.a_jour
    ? `Les ${result.nombre} documents du dossier ${result.dossier} sont déjà à jour : ni le classeur, ni les modèles, ni l’outil n’ont changé depuis leur production.`
    : `${result.nombre} document(s) produit(s) dans le dossier ${result.dossier}.`}));
  box.append(el("p", {}, link(result.archive, "Télécharger tous les documents (archive .zip)")));
  if (result.vides && result.vides.length) {
    box.append(el("p", {text: `Non produits, car rien n’est encore saisi pour eux : ${result.vides.join(" ; ")} (cochez « Produire aussi les documents… » pour les produire).`}));
  }
  for (const group of result.groupes) {
    const list = el("ul", {class: "documents", "data-type": group.type});
    for (const doc of group.documents) {
      const item = el("li", {}, link(doc.lien, doc.titre));
      // A minute or an issue already names its day in its title.
      if (!doc.titre.includes(doc.date)) item.append(el("span", {class: "detail", text: ` – ${doc.date}`}));
      list.append(item);
    }
    // Long groups (the minutes) start folded, so the other kinds stay in sight.
    const details = el("details", {}, el("summary", {},
      el("h3", {text: `${group.libelle} (${group.documents.length})`})), list);
    details.open = group.documents.length <= FOLDED_FROM;
    box.append(details);
  }
  if (result.rapport.avertissements) {
    box.append(el("h3", {text: "Avertissements à relire"}));
    box.append(problemsTable(result.rapport));
  }
  return box;
}

function distributionView(result) {
  const box = el("div");
  box.append(el("p", {class: "succes",
    text: `Dossier de diffusion prêt : ${result.dossier} (rien n’a été envoyé).`}));
  if (result.pdf) box.append(el("p", {class: "attention", text: `Sans copies PDF : ${result.pdf}`}));
  for (const note of result.notes) box.append(el("p", {class: "attention", text: note}));
  for (const part of result.listes) {
    const section = el("div", {class: "liste"});
    section.append(el("h3", {text: `Liste « ${part.nom} »`}));
    if (part.description) section.append(el("p", {class: "detail", text: part.description}));
    section.append(el("p", {text: `Reçoit : ${part.documents.join(" ; ")}.`}));
    section.append(el("p", {text: part.destinataires.length
      ? `${part.destinataires.length} destinataire(s) : ${part.destinataires.join(", ")}.`
      : "Aucun destinataire : pas de brouillon de courriel."}));
    const actions = el("p", {}, link(part.zip, "Archive .zip de la liste"));
    if (part.brouillon) actions.append(" – ", link(part.brouillon, "Brouillon de courriel (.eml)"));
    section.append(actions);
    const files = el("ul", {class: "documents"});
    for (const file of part.fichiers) files.append(el("li", {}, link(file.lien, file.nom)));
    section.append(el("details", {}, el("summary", {text: `Les ${part.fichiers.length} fichiers de la liste, un par un`}), files));
    box.append(section);
  }
  box.append(el("p", {}, link(result.manifeste, "Manifeste (liste des fichiers et empreintes)")));
  return box;
}

async function follow(target) {
  const job = await call("GET", "/api/etat");
  if (!job) return;
  // The same bar for the build and the distribution, with the counts of each stage.
  const bar = BARS[target];
  if (job.etat === "en-cours") {
    $(bar.box).hidden = false;
    if (job.total) { $(bar.bar).max = job.total; $(bar.bar).value = job.fait; }
    else $(bar.bar).removeAttribute("value");  // not counted yet: an indeterminate bar
    const counts = job.total ? `${job.fait} sur ${job.total}, ` : "";
    $(bar.text).textContent = `${job.etape}… (${counts}${job.secondes} s)`;
    setTimeout(() => follow(target).catch((e) => { showMessage(e.message); setBusy(false); }), 700);
    return;
  }
  $(bar.box).hidden = true;
  setBusy(false);
  if (job.etat === "echec") {
    const box = el("div", {}, el("p", {class: "alerte", text: job.erreur.message}));
    if (job.erreur.rapport) box.append(problemsTable(job.erreur.rapport));
    $(target).replaceChildren(box);
    return;
  }
  $(target).replaceChildren(job.action === "construire" ? documentsView(job.resultat)
                                                        : distributionView(job.resultat));
}

async function start(action, target, form) {
  showMessage("");
  setBusy(true);
  $(target).replaceChildren();
  try {
    await call("POST", `/api/${action}`, form);
    await follow(target);
  } catch (error) {
    showMessage(error.message);
    setBusy(false);
  }
}

// --- IATI files: a new workbook with the proposed rows, and the reconciliation --------------

function iatiView(result) {
  const box = el("div");
  if (result.erreur) {
    box.append(el("p", {class: "alerte", text: result.erreur}));
    return box;
  }
  box.append(el("p", {class: "succes",
    text: `${result.proposees} ligne(s) proposée(s) dans un nouveau classeur (le classeur utilisé n’est pas modifié).`}));
  box.append(el("p", {}, link(result.classeur.lien, `Nouveau classeur : ${result.classeur.nom}`),
                " – ", link(result.rapprochement.lien, `Rapprochement : ${result.rapprochement.nom}`)));
  for (const note of result.notes) box.append(el("p", {class: "attention", text: note}));
  const lines = el("ul", {class: "documents"});
  for (const line of result.lignes) lines.append(el("li", {text: line}));
  box.append(el("details", {open: ""}, el("summary", {text: "Rapprochement (montants en FCFA)"}), lines));
  box.append(problemsTable(result.rapport));
  return box;
}

async function importIati(files) {
  showMessage("");
  const form = new FormData();
  for (const file of files) form.append("fichiers", file);
  setBusy(true);
  $("resultat-iati").replaceChildren(el("p", {text: "Lecture des fichiers IATI…"}));
  try { $("resultat-iati").replaceChildren(iatiView(await call("POST", "/api/iati", form))); }
  catch (error) { $("resultat-iati").replaceChildren(); showMessage(error.message); }
  finally { setBusy(false); }
}

async function quit() {
  try {
    const answer = await call("POST", "/api/quitter");
    document.querySelector("main").replaceChildren(el("p", {class: "succes", text: answer.message}));
    document.getElementById("quitter").remove();
  } catch (error) { showMessage(error.message); }
}

// --- Wiring ---------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", async () => {
  $("verifier").addEventListener("click", verify);
  $("produire").addEventListener("click", () => {
    const form = new FormData();
    if ($("vides").checked) form.append("vides", "oui");  // as « construire --vides »
    start("produire", "resultat-produire", form);
  });
  $("diffuser").addEventListener("click", () => start("diffuser", "resultat-diffuser"));
  $("quitter").addEventListener("click", quit);
  $("defaut").addEventListener("click", async () => {
    try { showWorkbook(await call("POST", "/api/classeur/defaut")); }
    catch (error) { showMessage(error.message); }
  });
  $("fichiers-iati").addEventListener("change", (event) => {
    if (event.target.files.length) importIati([...event.target.files]);
    event.target.value = "";
  });
  $("fichier").addEventListener("change", (event) => {
    if (event.target.files.length) upload(event.target.files[0]);
    event.target.value = "";
  });
  const zone = $("depot");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("survol"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("survol"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("survol");
    if (event.dataTransfer.files.length) upload(event.dataTransfer.files[0]);
  });
  try {
    showWorkbook(await call("GET", "/api/classeur"));
  } catch (error) { showMessage(error.message); }
});
