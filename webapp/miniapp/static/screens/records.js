// The Records screen: the pet's card, read-only.

import { formatDate, t } from "../i18n.js";
import { el, emptyLine, problemMessage, problemView, section, toast } from "../ui.js";
import {
  authorizedImage, doseLine, dueLine, listSection, medicationLine, noteLine, profile, weights,
} from "./card-parts.js";

function documentLine(api, documentOut) {
  const item = el("li", { class: "document", testid: "document" });
  if (documentOut.content_type.startsWith("image/")) {
    item.append(authorizedImage(api, documentOut.url, documentOut.title, "document-photo"));
  }
  const open = el("button", {
    type: "button", class: "link",
    onclick: async () => {
      let url;
      try { url = await api.objectUrl(documentOut.url); } catch (error) { toast(problemMessage(error)); return; }
      const link = el("a", { href: url, target: "_blank", rel: "noopener", download: documentOut.title });
      document.body.append(link);
      link.click();
      link.remove();
    },
  }, t("rec-open-file"));
  item.append(el("div", {}, el("b", {}, documentOut.title), ` — ${formatDate(documentOut.date)} `, open));
  return item;
}

export async function mount(ctx, root) {
  const { api, appointment } = ctx;
  async function load() {
    root.replaceChildren(el("p", { class: "hint" }, t("lbl-loading")));
    let card;
    try {
      card = await api.get(`/pets/${appointment.pet.id}/records`);
    } catch (error) {
      root.replaceChildren(problemView(error, load));
      return;
    }
    root.replaceChildren(...[
      profile(api, card.pet),
      card.due.length ? listSection(t("rec-due"), "due", card.due, dueLine) : null,
      listSection(t("rec-vaccinations"), "vaccinations", card.vaccinations, doseLine),
      card.parasite_treatments.length ? listSection(t("rec-parasites"), "parasites", card.parasite_treatments, doseLine) : null,
      listSection(t("rec-allergies"), "allergies", card.allergies, noteLine),
      listSection(t("rec-chronic"), "chronic", card.chronic_conditions, noteLine),
      listSection(t("rec-medications"), "medications", card.medications, medicationLine),
      card.procedures.length ? listSection(t("rec-procedures"), "procedures", card.procedures, noteLine) : null,
      weights(card.weights),
      section(t("rec-documents"), "documents",
        card.documents.length ? el("ul", { class: "documents" }, card.documents.map((d) => documentLine(api, d))) : emptyLine()),
    ].filter(Boolean));
    root.dataset.loaded = "true";
  }
  await load();
  return {};
}
