// Pieces of the pet's card shared by the Records and the Brief screens.

import { formatDate, formatWeight, t } from "../i18n.js";
import { el, emptyLine, section } from "../ui.js";

function age(months) {
  if (months == null) return null;
  if (months < 12) return t("rec-months", { count: months });
  return t("rec-years", { years: Math.floor(months / 12), months: months % 12 });
}

// An image from a file route: fetched with the bearer token, shown through an object URL.
export function authorizedImage(api, url, alt, testid) {
  const image = el("img", { alt, testid, loading: "lazy" });
  api.objectUrl(url).then((objectUrl) => { image.src = objectUrl; }, () => { image.hidden = true; });
  return image;
}

export function profile(api, pet) {
  const rows = [
    [t("rec-species"), t(`species-${pet.species}`)],
    [t("rec-breed"), pet.breed],
    [t("rec-sex"), t(`sex-${pet.sex}`)],
    [t("rec-neutered"), pet.neutered == null ? null : t(pet.neutered ? "rec-yes" : "rec-no")],
    [t("rec-birth"), pet.birth_date ? `${pet.birth_date_is_approximate ? "≈ " : ""}${formatDate(pet.birth_date)}` : null],
    [t("rec-age"), age(pet.age_months)],
    [t("rec-weight"), pet.weight_grams ? formatWeight(pet.weight_grams) : null],
    [t("rec-allergies"), pet.allergies_note],
    [t("rec-chronic"), pet.chronic_conditions_note],
  ].filter(([, value]) => value);
  return el("section", { class: "card profile", testid: "pet-profile" },
    pet.photo_url ? authorizedImage(api, pet.photo_url, pet.name, "pet-photo") : null,
    el("div", {},
      el("h1", { testid: "pet-name" }, pet.name),
      pet.archived ? el("p", { class: "hint" }, t("rec-archived")) : null,
      el("dl", {}, rows.map(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]))));
}

export function listSection(title, testid, items, line) {
  return section(title, testid, items.length ? el("ul", {}, items.map(line)) : emptyLine());
}

export function doseLine(dose) {
  return el("li", { class: dose.overdue ? "overdue" : null },
    el("b", {}, dose.product), ` — ${formatDate(dose.given_on)}`,
    dose.next_due ? el("span", { class: "hint" }, ` · ${t("rec-next-due", { date: formatDate(dose.next_due) })}`) : null,
    dose.overdue ? el("span", { class: "badge danger", testid: "overdue" }, t("rec-overdue")) : null);
}

export function dueLine(item) {
  return el("li", { class: item.overdue ? "overdue" : null },
    el("b", {}, item.title), ` — ${formatDate(item.next_due)}`,
    item.overdue ? el("span", { class: "badge danger", testid: "overdue" }, t("rec-overdue")) : null);
}

export function noteLine(note) {
  return el("li", {}, el("b", {}, note.title), ` — ${formatDate(note.date)}`,
    note.note ? el("div", { class: "hint" }, note.note) : null);
}

export function medicationLine(medication) {
  const when = `${formatDate(medication.start)}${medication.end ? ` – ${formatDate(medication.end)}` : ""}`;
  return el("li", {}, el("b", {}, medication.drug),
    [medication.dose, medication.schedule].filter(Boolean).map((part) => ` · ${part}`),
    el("div", { class: "hint" }, when),
    medication.current ? el("span", { class: "badge" }, t("rec-current")) : null);
}

export function weightLine(weight) {
  return el("li", {}, `${formatDate(weight.measured_on)} — ${formatWeight(weight.grams)}`);
}

export function weights(items) {
  // Newest first reads best; the API lists oldest first.
  return listSection(t("rec-weights"), "weights", [...items].reverse(), weightLine);
}
