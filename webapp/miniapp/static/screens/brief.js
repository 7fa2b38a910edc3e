// The Brief screen (the vet's): the pet's card, the owner's reason and the symptom check.

import { ApiError } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { el, problemView, section } from "../ui.js";
import {
  authorizedImage, doseLine, dueLine, listSection, medicationLine, noteLine, profile, weights,
} from "./card-parts.js";

function urgency(level) {
  return el("span", { class: `badge urgency-${level}`, testid: "urgency" }, t(`urgency-${level}`));
}

function symptomCheck(api, check) {
  if (!check) return section(t("brief-check"), "symptom-check", el("p", { class: "hint" }, t("brief-no-check")));
  const parts = [];
  if (check.submitted_at) parts.push(el("p", { class: "hint" }, formatDateTime(check.submitted_at)));
  if (check.urgency) parts.push(el("p", {}, `${t("brief-level")}: `, urgency(check.urgency)));
  if (check.signs.length) {
    parts.push(el("h3", {}, t("brief-signs")), el("ul", { testid: "check-signs" }, check.signs.map((sign) => el("li", {}, sign))));
  }
  const answers = Object.entries(check.details);
  if (answers.length) {
    parts.push(el("h3", {}, t("brief-answers")), el("dl", { testid: "check-answers" },
      answers.map(([question, answer]) => [el("dt", {}, question), el("dd", {}, String(answer))])));
  }
  if (check.owner_words) parts.push(el("h3", {}, t("brief-owner-words")), el("p", { class: "text" }, check.owner_words));
  if (check.reasons.length) {
    parts.push(el("h3", {}, t("brief-reasons")), el("ul", {}, check.reasons.map((reason) => el("li", {}, reason))));
  }
  if (check.fired_rules.length) {
    parts.push(el("h3", {}, t("brief-rules")), el("ul", { testid: "fired-rules" }, check.fired_rules.map((rule) => el("li", {},
      urgency(rule.level), " ", el("b", {}, rule.rule_id), ` — ${rule.summary}`,
      rule.signs.length ? el("div", { class: "hint" }, rule.signs.join(", ")) : null,
      rule.finding ? el("div", { class: "hint" }, rule.finding) : null))));
  }
  if (check.photos.length) {
    parts.push(el("h3", {}, t("brief-photos")), el("div", { class: "photos" }, check.photos.map((photo) => el("figure", { testid: "check-photo" },
      authorizedImage(api, photo.url, `#${photo.position + 1}`, "check-photo-image"),
      el("figcaption", { class: "hint" }, photo.findings === null
        ? t("brief-findings-none")
        : photo.findings.map((finding) => `${finding.label} ${Math.round(finding.score * 100)}%`).join(", "))))));
  }
  return section(t("brief-check"), "symptom-check", ...parts);
}

export async function mount(ctx, root) {
  const { api, appointment } = ctx;
  async function load() {
    let brief;
    try {
      brief = await api.get(`/appointments/${appointment.id}/brief`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && appointment.role === "vet") {
        // The booked vet outside the brief's window: say when it opens (or that it closed).
        const opens = new Date(appointment.brief.opens_at);
        const text = opens > new Date()
          ? t("brief-not-open-yet", { time: formatDateTime(appointment.brief.opens_at) })
          : t("brief-closed");
        root.replaceChildren(el("p", { class: "notice", testid: "brief-not-open" }, text));
        return;
      }
      root.replaceChildren(problemView(error, load));
      return;
    }
    root.replaceChildren(...[
      profile(api, brief.pet),
      section(t("brief-reason"), "reason", el("p", { class: "text" }, brief.reason || t("brief-no-reason"))),
      symptomCheck(api, brief.symptom_check),
      listSection(t("rec-allergies"), "allergies", brief.allergies, noteLine),
      listSection(t("rec-chronic"), "chronic", brief.chronic_conditions, noteLine),
      listSection(t("brief-current-meds"), "medications", brief.current_medications, medicationLine),
      listSection(t("rec-vaccinations"), "vaccinations", brief.vaccinations, doseLine),
      brief.due.length ? listSection(t("rec-due"), "due", brief.due, dueLine) : null,
      weights(brief.weights),
    ].filter(Boolean));
    root.dataset.loaded = "true";
  }
  await load();
  return {};
}
