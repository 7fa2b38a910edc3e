// Building the page: every piece of data goes in as text (textContent), never as markup.

import { ApiError } from "./api.js";
import { t } from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "testid") node.dataset.testid = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function section(title, testid, ...children) {
  return el("section", { class: "card", testid }, el("h2", {}, title), ...children);
}

export function emptyLine() {
  return el("p", { class: "hint" }, t("rec-none"));
}

// A problem as a short localized message (with a retry where trying again can help).
export function problemMessage(error) {
  if (!(error instanceof ApiError)) return t("err-server");
  if (error.status === 0) return t("err-network");
  if (error.status === 401) return t("err-401");
  if (error.status === 403) return t("err-403");
  if (error.status === 404) return t("err-404");
  return t("err-server");
}

export function problemView(error, retry) {
  console.error(error);
  return el("div", { class: "problem", testid: "problem", role: "alert" },
    el("p", {}, problemMessage(error)),
    retry ? el("button", { type: "button", onclick: retry }, t("btn-retry")) : null);
}

let toastTimer = null;
export function toast(text) {
  const box = document.querySelector('[data-testid="toast"]');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 3500);
}

// Calls `save(value)` once the input has been quiet for `delayMs`; `flush()` saves now. A save
// that fails for a passing reason (`retryable(error)`) is tried again with the latest value.
export function debounced(save, delayMs, onState, retryable = () => true) {
  let timer = null;
  let pending = null;
  let running = Promise.resolve();
  const run = () => {
    timer = null;
    const value = pending;
    pending = null;
    onState?.("saving");
    running = running.then(() => save(value)).then(
      () => { if (!timer) onState?.("saved"); },
      (error) => {
        console.error(error);
        onState?.("failed");
        // Nothing the vet typed is lost: the same value is tried again shortly.
        if (!timer && retryable(error)) { pending = value; timer = setTimeout(run, delayMs * 4); }
      },
    );
    return running;
  };
  return {
    push(value) {
      pending = value;
      clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    },
    flush() {
      if (!timer) return running;
      clearTimeout(timer);
      return run();
    },
  };
}
