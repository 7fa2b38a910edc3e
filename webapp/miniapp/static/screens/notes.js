// The vet's notes during the call: part of the report draft, saved as they are typed.

import { reportStore } from "../draft.js";
import { t } from "../i18n.js";
import { el } from "../ui.js";

export function notesBox(ctx) {
  const store = reportStore(ctx.api, ctx.appointment.id);
  const area = el("textarea", { rows: 4, testid: "call-notes", disabled: true, maxlength: 4000 });
  const status = el("span", { class: "hint", testid: "notes-status" });
  area.addEventListener("input", () => store.change({ notes: area.value }));
  store.on((kind, value) => {
    if (kind === "save") status.textContent = t({ saving: "lbl-saving", saved: "lbl-saved", failed: "lbl-save-failed" }[value]);
    if (kind === "report" && document.activeElement !== area) {
      area.value = value.notes ?? "";
      area.disabled = !store.editable;
    }
  });
  store.load().catch((error) => console.warn("report draft", error));
  const box = el("label", { class: "notes" }, el("span", {}, t("lbl-notes")), area, status);
  // The notes may have been typed on the Report screen meanwhile.
  box.refresh = () => { if (store.report) area.value = store.report.notes ?? ""; };
  return box;
}
