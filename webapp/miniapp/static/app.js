// Boot: sign in with Telegram's initData, load the appointment, show the screens the caller
// may use (a tab bar), and move between them with Telegram's BackButton.

import { Api } from "./api.js";
import { setLanguage, t } from "./i18n.js";
import { clearMainButton, haptic, initData, setBackButton, startTelegram, userLanguage, webApp } from "./telegram.js";
import { el, problemView } from "./ui.js";

const SCREENS = {
  call: () => import("./screens/call.js"),
  records: () => import("./screens/records.js"),
  brief: () => import("./screens/brief.js"),
  report: () => import("./screens/report.js"),
};
const PARTICIPANTS = new Set(["owner", "co_owner", "vet"]);

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const params = new URLSearchParams(window.location.search);

function screensFor(appointment) {
  const role = appointment.role;
  const screens = [];
  if (PARTICIPANTS.has(role)) screens.push("call");
  if (appointment.may_read_records) screens.push("records");
  // The vet sees the tab outside the brief's window too: it says when the brief opens.
  if (role === "vet" || appointment.brief.may_read) screens.push("brief");
  if (role !== "viewer") screens.push("report");
  return screens;
}

class App {
  constructor(api, appointment) {
    this.api = api;
    this.appointment = appointment;
    this.available = screensFor(appointment);
    this.mounted = new Map(); // screen name → {node, view}
    this.history = [];
    this.current = null;
    this.onBack = () => this.back();
  }

  get context() {
    return { api: this.api, appointment: this.appointment, navigate: (name) => this.open(name) };
  }

  renderTabs() {
    const nav = $("tabs");
    nav.replaceChildren(...this.available.map((name) => el("button", {
      type: "button", class: "tab", testid: `tab-${name}`,
      onclick: () => { haptic("select"); this.open(name); },
    }, t(`tab-${name}`))));
    nav.hidden = this.available.length < 2;
  }

  async open(name, { fromBack = false } = {}) {
    if (!this.available.includes(name)) name = this.available[0];
    if (name === this.current) return;
    if (this.current) {
      this.mounted.get(this.current)?.view?.hide?.();
      this.mounted.get(this.current).node.hidden = true;
      if (!fromBack) this.history.push(this.current);
    }
    this.current = name;
    for (const tab of $("tabs").children) {
      tab.classList.toggle("active", tab.dataset.testid === `tab-${name}`);
    }
    const url = new URL(window.location.href);
    url.searchParams.set("screen", name);
    history.replaceState(null, "", url);
    setBackButton(this.history.length ? this.onBack : null);
    clearMainButton();

    let mounted = this.mounted.get(name);
    if (!mounted) {
      const node = el("div", { class: "screen-body", testid: `screen-${name}` });
      $("screen").append(node);
      mounted = { node, view: null };
      this.mounted.set(name, mounted);
      try {
        const module = await SCREENS[name]();
        mounted.view = await module.mount(this.context, node);
      } catch (error) {
        node.replaceChildren(problemView(error, () => { this.mounted.delete(name); node.remove(); this.current = null; this.open(name); }));
      }
    }
    if (this.current !== name) return; // the user moved on while it loaded
    mounted.node.hidden = false;
    document.body.dataset.screen = name;
    mounted.view?.show?.();
  }

  back() {
    const previous = this.history.pop();
    if (previous) this.open(previous, { fromBack: true });
  }
}

function fatal(message) {
  $("screen").replaceChildren(el("div", { class: "problem", testid: "problem", role: "alert" }, el("p", {}, message)));
}

async function boot() {
  startTelegram();
  setLanguage(userLanguage());
  $("loading").textContent = t("lbl-loading");
  const appointmentId = Number(params.get("appointment"));
  if (!webApp || !initData()) { fatal(t("err-no-telegram")); return; }
  if (!Number.isInteger(appointmentId) || appointmentId <= 0) { fatal(t("err-no-appointment")); return; }
  const api = new Api(initData());
  let appointment;
  try {
    await api.signIn();
    appointment = await api.get(`/appointments/${appointmentId}`);
  } catch (error) {
    $("screen").replaceChildren(problemView(error, () => window.location.reload()));
    return;
  }
  $("loading")?.remove();
  const app = new App(api, appointment);
  if (!app.available.length) { fatal(t("err-403")); return; }
  window.__app = app; // for the browser tests and for debugging in the console
  app.renderTabs();
  const wanted = params.get("screen");
  const fallback = PARTICIPANTS.has(appointment.role) ? "call" : "records";
  await app.open(wanted && app.available.includes(wanted) ? wanted : fallback);
  document.body.dataset.ready = "true";
}

boot().catch((error) => {
  console.error(error);
  fatal(t("err-server"));
});
