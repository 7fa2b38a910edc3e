// The vet's report draft, shared by the Report screen and the notes box of the Call screen:
// one copy in memory, saved with `PUT .../report/draft` a moment after the last change.

import { ApiError } from "./api.js";
import { debounced } from "./ui.js";

const SAVE_AFTER_MS = 800;
export const EDITABLE = [
  "notes", "assessment", "diagnosis", "recommendations", "prescriptions", "follow_up_on", "in_person_visit",
];

const stores = new Map();

export function reportStore(api, appointmentId) {
  let store = stores.get(appointmentId);
  if (!store) {
    store = new ReportStore(api, appointmentId);
    stores.set(appointmentId, store);
  }
  return store;
}

class ReportStore {
  constructor(api, appointmentId) {
    this.api = api;
    this.path = `/appointments/${appointmentId}/report`;
    this.report = null;
    this.loading = null;
    this.listeners = new Set();
    this.saver = debounced(
      (body) => this.api.put(`${this.path}/draft`, body),
      SAVE_AFTER_MS,
      (state) => this.#emit("save", state),
      // The network or the server hiccuped: retry. A refusal (the window, a submitted report)
      // stays refused; the screen says so.
      (error) => !(error instanceof ApiError) || error.status === 0 || error.status >= 500,
    );
  }

  load({ fresh = false } = {}) {
    if (!this.loading || fresh) {
      this.loading = this.api.get(this.path).then((report) => {
        this.report = report;
        this.#emit("report", report);
        return report;
      });
      this.loading.catch(() => { this.loading = null; });
    }
    return this.loading;
  }

  get editable() {
    return this.report?.status === "draft" && this.report?.may_edit;
  }

  // A change typed by the vet: kept here at once, saved shortly after.
  change(fields) {
    if (!this.editable) return;
    Object.assign(this.report, fields);
    this.saver.push(this.fields());
  }

  fields() {
    const body = {};
    for (const key of EDITABLE) body[key] = this.report?.[key] ?? null;
    body.prescriptions = (body.prescriptions || []).filter((row) => Object.values(row).some((v) => v && v.trim()));
    body.in_person_visit = !!body.in_person_visit;
    body.follow_up_on = body.follow_up_on || null;
    return body;
  }

  flush() {
    return this.saver.flush();
  }

  async submit() {
    await this.flush();
    const { notes: _notes, ...report } = this.fields();
    await this.api.post(this.path, report);
    return this.load({ fresh: true });
  }

  async amend(note, fields) {
    await this.api.post(`${this.path}/amendments`, { note, ...fields });
    return this.load({ fresh: true });
  }

  on(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  #emit(kind, value) {
    for (const listener of this.listeners) listener(kind, value);
  }
}
