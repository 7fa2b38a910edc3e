// The Report screen: the vet's form (autosaved draft, Submit on the MainButton, amendments
// after), and the submitted report read-only for everyone who may read it, with its PDF.

import { ApiError } from "../api.js";
import { reportStore } from "../draft.js";
import { formatDate, formatDateTime, t } from "../i18n.js";
import { clearMainButton, haptic, mainButtonBusy, setMainButton } from "../telegram.js";
import { el, problemMessage, problemView, section, toast } from "../ui.js";

const TEXT_FIELDS = [
  ["assessment", "rep-assessment", 6],
  ["diagnosis", "rep-diagnosis", 2],
  ["recommendations", "rep-recommendations", 5],
];
const PRESCRIPTION_FIELDS = [
  ["drug", "rep-drug"], ["dose", "rep-dose"], ["frequency", "rep-frequency"], ["duration", "rep-duration"],
];

function emptyRow() {
  return { drug: "", dose: "", frequency: "", duration: "" };
}

// The form's fields over `values`; `onChange(fields)` after every edit.
function reportForm(values, onChange, { withNotes }) {
  const form = el("form", { class: "report-form", testid: "report-form", novalidate: true });
  form.addEventListener("submit", (event) => event.preventDefault());
  const read = () => {
    const fields = {};
    for (const [name] of TEXT_FIELDS) fields[name] = form.elements[name].value;
    fields.prescriptions = [...rows.children].map((row) => Object.fromEntries(
      PRESCRIPTION_FIELDS.map(([name]) => [name, row.querySelector(`[name="${name}"]`).value]),
    ));
    fields.follow_up_on = form.elements.follow_up_on.value || null;
    fields.in_person_visit = form.elements.in_person_visit.checked;
    if (withNotes) fields.notes = form.elements.notes.value;
    return fields;
  };
  const changed = () => onChange(read());

  for (const [name, label, lines] of TEXT_FIELDS) {
    const area = el("textarea", { name, rows: lines, testid: `report-${name}`, maxlength: 4000 });
    area.value = values[name] ?? "";
    form.append(el("label", { class: "field" }, el("span", {}, t(label)), area));
  }

  const rows = el("div", { class: "prescriptions", testid: "report-prescriptions" });
  const addRow = (row) => {
    const line = el("div", { class: "prescription", testid: "prescription-row" });
    for (const [name, label] of PRESCRIPTION_FIELDS) {
      const input = el("input", { name, placeholder: t(label), "aria-label": t(label), maxlength: 200 });
      input.value = row[name] ?? "";
      line.append(input);
    }
    line.append(el("button", {
      type: "button", class: "link", testid: "prescription-remove",
      onclick: () => { haptic("light"); line.remove(); changed(); },
    }, t("rep-remove-row")));
    rows.append(line);
  };
  for (const row of values.prescriptions ?? []) addRow(row);
  form.append(el("fieldset", {}, el("legend", {}, t("rep-prescriptions")), rows,
    el("button", {
      type: "button", testid: "prescription-add",
      onclick: () => { haptic("light"); addRow(emptyRow()); rows.lastChild.querySelector("input").focus(); },
    }, t("rep-add-row"))));

  const followUp = el("input", { type: "date", name: "follow_up_on", testid: "report-follow-up" });
  followUp.value = values.follow_up_on ?? "";
  const inPerson = el("input", { type: "checkbox", name: "in_person_visit", testid: "report-in-person" });
  inPerson.checked = !!values.in_person_visit;
  form.append(
    el("label", { class: "field" }, el("span", {}, t("rep-follow-up")), followUp),
    el("label", { class: "check" }, inPerson, el("span", {}, t("rep-in-person"))),
  );
  if (withNotes) {
    const notes = el("textarea", { name: "notes", rows: 4, testid: "report-notes", maxlength: 4000 });
    notes.value = values.notes ?? "";
    form.append(el("label", { class: "field" }, el("span", {}, t("lbl-notes")), notes));
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  return { form, read };
}

function readOnly(ctx, report) {
  const box = el("div", { class: "report", testid: "report-view" });
  if (report.submitted_at) {
    box.append(el("p", { class: "hint", testid: "report-submitted-at" }, t("rep-submitted-at", { time: formatDateTime(report.submitted_at) })));
  }
  for (const [name, label] of TEXT_FIELDS) {
    if (report[name]) box.append(section(t(label), `report-${name}`, el("p", { class: "text" }, report[name])));
  }
  if (report.prescriptions?.length) {
    box.append(section(t("rep-prescriptions"), "report-prescriptions",
      el("ul", {}, report.prescriptions.map((row) => el("li", {},
        el("b", {}, row.drug), [row.dose, row.frequency, row.duration].filter(Boolean).map((part) => ` · ${part}`))))));
  }
  if (report.follow_up_on) {
    box.append(el("p", { testid: "report-follow-up" }, `${t("rep-follow-up")}: ${formatDate(report.follow_up_on)}`));
  }
  if (report.in_person_visit) box.append(el("p", { class: "warning", testid: "report-in-person" }, t("rep-in-person")));
  if (report.amendments?.length) {
    box.append(section(t("rep-amendments"), "report-amendments",
      el("ul", {}, report.amendments.map((amendment) => el("li", {},
        el("span", { class: "hint" }, formatDateTime(amendment.amended_at)), " — ", amendment.note)))));
  }
  if (report.pdf_url) {
    box.append(el("button", {
      type: "button", class: "link", testid: "report-pdf",
      onclick: async () => {
        try {
          const url = await ctx.api.objectUrl(report.pdf_url);
          const link = el("a", { href: url, download: `report-${report.appointment_id}.pdf` });
          document.body.append(link);
          link.click();
          link.remove();
        } catch (error) {
          toast(problemMessage(error));
        }
      },
    }, `📄 ${t("rep-pdf")}`));
  }
  return box;
}

export async function mount(ctx, root) {
  const isVet = ctx.appointment.role === "vet";
  const store = reportStore(ctx.api, ctx.appointment.id);
  let visible = false;
  let mainAction = null; // [text, handler] while a form is shown

  const showMain = () => {
    if (visible && mainAction) setMainButton(...mainAction);
    else clearMainButton();
  };

  async function withProgress(action) {
    mainButtonBusy(true);
    try {
      await action();
    } finally {
      mainButtonBusy(false);
    }
  }

  function renderForm(report) {
    const status = el("span", { class: "hint", testid: "report-save-status" });
    const { form, read } = reportForm(report, (fields) => store.change(fields), { withNotes: isVet });
    const submit = async () => {
      const fields = read();
      if (!fields.assessment.trim() || !fields.diagnosis.trim()) {
        haptic("error");
        toast(t("rep-required"));
        return;
      }
      store.change(fields);
      await withProgress(async () => {
        try {
          await store.submit();
          haptic("success");
          toast(t("rep-submitted"));
        } catch (error) {
          haptic("error");
          if (error instanceof ApiError && error.status === 409) {
            toast(t("rep-already-submitted"));
            await store.load({ fresh: true });
          } else {
            toast(problemMessage(error));
            return;
          }
        }
        render(store.report);
      });
    };
    // Outside Telegram (no MainButton) the form gets its own button.
    mainAction = [t("rep-submit"), submit];
    const fallback = el("button", { type: "button", class: "primary fallback-main", testid: "report-submit", onclick: submit }, t("rep-submit"));
    root.replaceChildren(el("h1", {}, t("tab-report")), status, form, fallback);
    store.on((kind, value) => {
      if (kind === "save") status.textContent = t({ saving: "lbl-saving", saved: "lbl-saved", failed: "lbl-save-failed" }[value]);
    });
  }

  function renderAmend(report) {
    const note = el("textarea", { rows: 3, testid: "amend-note", maxlength: 2000 });
    let current = { ...report };
    const { form } = reportForm(report, (fields) => { current = { ...current, ...fields }; }, { withNotes: false });
    const save = async () => {
      if (!note.value.trim()) {
        haptic("error");
        toast(t("rep-amend-note-required"));
        return;
      }
      const { assessment, diagnosis, recommendations, follow_up_on, in_person_visit } = current;
      const prescriptions = (current.prescriptions || []).filter((row) => Object.values(row).some((v) => v && v.trim()));
      await withProgress(async () => {
        try {
          await store.amend(note.value.trim(), {
            assessment, diagnosis, recommendations, prescriptions, follow_up_on: follow_up_on || null, in_person_visit: !!in_person_visit,
          });
          haptic("success");
          toast(t("rep-amended"));
          render(store.report);
        } catch (error) {
          haptic("error");
          toast(problemMessage(error));
        }
      });
    };
    mainAction = [t("rep-amend-submit"), save];
    root.replaceChildren(
      el("h1", {}, t("rep-amend")),
      form,
      el("label", { class: "field" }, el("span", {}, t("rep-amend-note")), note),
      el("div", { class: "controls" },
        el("button", { type: "button", class: "primary fallback-main", testid: "amend-submit", onclick: save }, t("rep-amend-submit")),
        el("button", { type: "button", testid: "amend-cancel", onclick: () => render(report) }, t("rep-cancel"))),
    );
    showMain();
  }

  function render(report) {
    mainAction = null;
    if (report.status === "draft" && report.may_edit) {
      renderForm(report);
    } else {
      const view = readOnly(ctx, report);
      const title = el("h1", {}, t("tab-report"));
      if (isVet && report.status === "submitted") {
        view.append(el("button", {
          type: "button", testid: "report-amend",
          onclick: () => { haptic("medium"); renderAmend(report); },
        }, t("rep-amend")));
      }
      root.replaceChildren(title, view);
    }
    showMain();
  }

  async function load() {
    try {
      render(await store.load({ fresh: !isVet }));
    } catch (error) {
      mainAction = null;
      showMain();
      if (error instanceof ApiError && error.status === 404 && !isVet) {
        root.replaceChildren(el("h1", {}, t("tab-report")), el("p", { class: "hint", testid: "report-not-ready" }, t("rep-not-ready")));
      } else {
        root.replaceChildren(problemView(error, load));
      }
    }
  }

  await load();
  return {
    show() {
      visible = true;
      showMain();
      // The notes may have been typed on the Call screen meanwhile.
      const notes = root.querySelector('[data-testid="report-notes"]');
      if (notes && store.report) notes.value = store.report.notes ?? "";
      // The owner's view may have become ready since; the vet's draft is live in memory.
      if (!isVet && !store.report) load();
    },
    hide() {
      visible = false;
      store.flush();
    },
  };
}
