// Sandbox web chat: a Telegram-like client for one chosen user, driven by the control API.
"use strict";

const API = "/sandbox/api";
// After a dropped stream (the sandbox restarting), try again this often.
const RECONNECT_MS = 1000;
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

const state = {
  userId: null,
  messages: new Map(), // message_id → current message view
  revision: 0,
  stream: null, // the WebSocket that brings the chosen user's chat (see chat_stream.py)
  stickToBottom: true, // follow new messages unless the user scrolled up to read
};

async function api(path, options = {}) {
  const response = await fetch(API + path, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.statusText;
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
  return body;
}

const postJson = (path, body) =>
  api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "testid") node.dataset.testid = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

let toastTimer = null;
function toast(text, { alert = false } = {}) {
  const box = $("toast");
  box.textContent = text;
  box.className = alert ? "toast alert" : "toast";
  box.hidden = false;
  clearTimeout(toastTimer);
  // An alert (show_alert) stays until clicked, like Telegram's modal.
  if (!alert) toastTimer = setTimeout(() => { box.hidden = true; }, 3000);
}
$("toast").addEventListener("click", () => { $("toast").hidden = true; });

// ---------- text with entities (Telegram sends plain text + entities; offsets are UTF-16,
// as JavaScript strings are, so they index the string directly) ----------

const SAFE_URL = /^(https?:|tg:|mailto:)/i;
const ENTITY_TAGS = {
  bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote",
};

function entityElement(entity, text) {
  if (ENTITY_TAGS[entity.type]) return el(ENTITY_TAGS[entity.type]);
  if (entity.type === "spoiler") {
    return el("span", { class: "spoiler", onclick: (e) => e.currentTarget.classList.add("shown") });
  }
  const href = entity.type === "text_link" ? entity.url
    : entity.type === "url" ? text.slice(entity.offset, entity.offset + entity.length) : null;
  if (href && SAFE_URL.test(href)) return el("a", { href, target: "_blank", rel: "noopener" });
  return null;
}

function renderText(text, entities = []) {
  const fragment = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    let node = document.createTextNode(text.slice(start, end));
    const covering = entities
      .filter((e) => e.offset <= start && e.offset + e.length >= end)
      .sort((a, b) => b.offset - a.offset || a.length - b.length); // innermost first
    for (const entity of covering) {
      const wrapper = entityElement(entity, text);
      if (wrapper) { wrapper.append(node); node = wrapper; }
    }
    fragment.append(node);
  }
  return fragment;
}

// ---------- messages ----------

function formatPrice(invoice) {
  if (invoice.currency === "XTR") return `${invoice.total_amount} ⭐`;
  return `${(invoice.total_amount / 100).toFixed(2)} ${invoice.currency}`;
}

function invoiceBlock(message) {
  const invoice = message.invoice;
  const hasPayButton = (message.reply_markup?.inline_keyboard || []).flat().some((b) => b.pay);
  const block = el("div", { class: "invoice", testid: "invoice" },
    el("div", { class: "title" }, invoice.title),
    el("div", {}, invoice.description),
    el("div", { class: "price" }, formatPrice(invoice)));
  if (!hasPayButton) {
    block.append(el("button", {
      type: "button", class: "pay", testid: "pay-button",
      onclick: (e) => pay(message.message_id, e.currentTarget),
    }, `Pay ${formatPrice(invoice)}`));
  }
  return block;
}

function serviceText(message) {
  if (message.successful_payment) {
    const p = message.successful_payment;
    return `✅ Payment received: ${formatPrice(p)}`;
  }
  if (message.refunded_payment) return `↩️ Refunded: ${formatPrice(message.refunded_payment)}`;
  return null;
}

function inlineKeyboard(message) {
  const rows = message.reply_markup?.inline_keyboard;
  if (!rows) return null;
  const keyboard = el("div", { class: "inline-keyboard", testid: "inline-keyboard" });
  for (const row of rows) {
    const line = el("div", { class: "row" });
    for (const button of row) {
      line.append(el("button", {
        type: "button", testid: "inline-button",
        onclick: (e) => pressInline(message, button, e.currentTarget),
      }, button.text));
    }
    keyboard.append(line);
  }
  return keyboard;
}

function messageElement(message) {
  const service = serviceText(message);
  const side = service ? "service" : message.from_bot ? "bot" : "user";
  const bubble = el("div", { class: "bubble" });
  if (service) bubble.append(service);
  if (message.photo) {
    bubble.append(el("img", {
      src: message.file_url, alt: "photo", testid: "message-photo", onload: followBottom,
    }));
  }
  if (message.document) {
    bubble.append(el("a", {
      class: "document", href: message.file_url, download: message.document.file_name || "file",
      testid: "message-document",
    }, `📄 ${message.document.file_name || "document"}`));
  }
  if (message.location) {
    bubble.append(`📍 ${message.location.latitude}, ${message.location.longitude}`);
  }
  if (message.invoice) bubble.append(invoiceBlock(message));
  const text = message.text ?? message.caption;
  if (text) {
    const entities = message.text !== undefined ? message.entities : message.caption_entities;
    bubble.append(el("div", { testid: "message-text" }, renderText(text, entities || [])));
  }
  const meta = el("div", { class: "meta" });
  if (message.edited) meta.append(el("span", { testid: "edited-mark" }, "edited "));
  meta.append(new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  bubble.append(meta);
  const node = el("div", { class: `msg ${side}`, testid: "message" }, bubble);
  node.dataset.messageId = message.message_id;
  node.dataset.fromBot = message.from_bot;
  const keyboard = inlineKeyboard(message);
  if (keyboard) node.append(keyboard);
  return node;
}

function upsert(message) {
  state.messages.set(message.message_id, message);
  state.revision = Math.max(state.revision, message.revision);
  const chat = $("chat");
  const old = chat.querySelector(`[data-message-id="${message.message_id}"]`);
  if (message.deleted) { if (old) old.remove(); return; }
  const fresh = messageElement(message);
  if (old) { old.replaceWith(fresh); return; }
  const later = [...chat.querySelectorAll("[data-message-id]")]
    .find((node) => Number(node.dataset.messageId) > message.message_id);
  chat.insertBefore(fresh, later || null);
}

function followBottom() {
  if (state.stickToBottom) $("chat").scrollTop = $("chat").scrollHeight;
}

$("chat").addEventListener("scroll", () => {
  const chat = $("chat");
  state.stickToBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 60;
});

function applyMessages(messages) {
  messages.forEach(upsert);
  renderReplyKeyboard();
  if (messages.some((m) => !m.from_bot)) state.stickToBottom = true;
  followBottom();
}

// ---------- reply keyboard: the latest bot instruction wins, one-time ones hide after use ----------

function renderReplyKeyboard() {
  const box = $("reply-keyboard");
  let markup = null;
  let usedAfter = false;
  for (const message of [...state.messages.values()].sort((a, b) => a.message_id - b.message_id)) {
    const m = message.reply_markup;
    if (message.from_bot && m && (m.keyboard || m.remove_keyboard)) { markup = m; usedAfter = false; }
    else if (!message.from_bot) usedAfter = true;
  }
  box.replaceChildren();
  if (!markup || !markup.keyboard || (markup.one_time_keyboard && usedAfter)) { box.hidden = true; return; }
  for (const row of markup.keyboard) {
    const line = el("div", { class: "row" });
    for (const button of row) {
      line.append(el("button", {
        type: "button", testid: "reply-button", onclick: () => pressReply(button),
      }, button.text));
    }
    box.append(line);
  }
  box.hidden = false;
}

function pressReply(button) {
  if (button.web_app) return openWebApp(button.web_app.url, button.text);
  if (button.request_location) {
    return sendMessage({ location: { latitude: 55.7558, longitude: 37.6173 } });
  }
  return sendMessage({ text: button.text });
}

// ---------- actions ----------

async function run(action) {
  try { return await action(); } catch (error) { toast(`⚠️ ${error.message}`); return null; }
}

function sendMessage(body) {
  return run(() => postJson(`/users/${state.userId}/messages`, body));
}

function sendFile(field, file) {
  const form = new FormData();
  form.append(field, file);
  const caption = $("message-input").value.trim();
  if (caption) form.append("caption", caption);
  $("message-input").value = "";
  return run(() => api(`/users/${state.userId}/messages`, { method: "POST", body: form }));
}

async function pressInline(message, button, node) {
  if (button.url) { window.open(button.url, "_blank", "noopener"); return; }
  if (button.web_app) { openWebApp(button.web_app.url, button.text); return; }
  if (button.pay) { pay(message.message_id, node); return; }
  if (button.copy_text) { await navigator.clipboard?.writeText(button.copy_text.text); toast("Copied"); return; }
  if (button.callback_data === undefined) { toast("This button is not supported in the sandbox"); return; }
  node.disabled = true;
  const result = await run(() => postJson(`/users/${state.userId}/callbacks`, {
    message_id: message.message_id, data: button.callback_data,
  }));
  node.disabled = false;
  const answer = result && result.answer;
  if (!answer) return;
  if (answer.text) toast(answer.text, { alert: answer.show_alert });
  if (answer.url) window.open(answer.url, "_blank", "noopener");
}

async function pay(messageId, node) {
  node.disabled = true;
  const result = await run(() => postJson(`/users/${state.userId}/payments`, { message_id: messageId }));
  node.disabled = false;
  if (!result) return;
  if (result.status === "paid") toast("✅ Paid");
  else toast(`❌ Payment declined: ${result.error_message || ""}`, { alert: true });
}

// ---------- the Mini App frame: Telegram's side of telegram-web-app.js ----------

// Telegram's own colours (its web client's day and night themes), so a Mini App can be tried in
// both: the frame gets the one matching this page's colour scheme, and a change is sent on.
const THEMES = {
  light: {
    bg_color: "#ffffff", text_color: "#000000", hint_color: "#707579", link_color: "#3390ec",
    button_color: "#3390ec", button_text_color: "#ffffff", secondary_bg_color: "#f4f4f5",
    header_bg_color: "#ffffff", accent_text_color: "#3390ec", section_bg_color: "#ffffff",
    section_header_text_color: "#3390ec", subtitle_text_color: "#707579",
    destructive_text_color: "#e53935",
  },
  dark: {
    bg_color: "#212121", text_color: "#ffffff", hint_color: "#aaaaaa", link_color: "#8774e1",
    button_color: "#8774e1", button_text_color: "#ffffff", secondary_bg_color: "#0f0f0f",
    header_bg_color: "#212121", accent_text_color: "#8774e1", section_bg_color: "#212121",
    section_header_text_color: "#8774e1", subtitle_text_color: "#aaaaaa",
    destructive_text_color: "#ff595a",
  },
};
const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");
const currentTheme = () => THEMES[darkScheme.matches ? "dark" : "light"];

function postToWebApp(eventType, eventData = {}) {
  const frame = $("webapp-frame").contentWindow;
  // The frame is this sandbox's own page or any https Mini App: "*" as Telegram's web client.
  if (frame) frame.postMessage(JSON.stringify({ eventType, eventData }), "*");
}

darkScheme.addEventListener("change", () => {
  if (!$("webapp").hidden) postToWebApp("theme_changed", { theme_params: currentTheme() });
});

function resetWebAppChrome() {
  $("webapp-main-button").hidden = true;
  $("webapp-back").hidden = true;
  $("webapp").dataset.ready = "false";
}

async function openWebApp(url, title) {
  const result = await run(() => api(`/users/${state.userId}/webapp_init_data`));
  if (!result) return;
  // Telegram hands the Mini App its launch data in the URL fragment.
  const launch = new URLSearchParams({
    tgWebAppData: result.init_data, tgWebAppVersion: "8.0", tgWebAppPlatform: "web",
    tgWebAppThemeParams: JSON.stringify(currentTheme()),
  });
  const full = `${url.split("#")[0]}#${launch.toString()}`;
  resetWebAppChrome();
  $("webapp-title").textContent = title || "Mini App";
  $("webapp-new-tab").href = full;
  $("webapp-frame").src = full;
  $("webapp").hidden = false;
}

function closeWebApp() {
  $("webapp").hidden = true;
  $("webapp-frame").src = "about:blank";
  resetWebAppChrome();
}
$("webapp-close").addEventListener("click", closeWebApp);
$("webapp-back").addEventListener("click", () => postToWebApp("back_button_pressed"));
$("webapp-main-button").addEventListener("click", () => postToWebApp("main_button_pressed"));

function setupMainButton(params) {
  const button = $("webapp-main-button");
  button.hidden = !params.is_visible;
  if (!params.is_visible) return;
  button.textContent = params.is_progress_visible ? "…" : params.text;
  button.disabled = !params.is_active || !!params.is_progress_visible;
  button.style.background = params.color || "";
  button.style.color = params.text_color || "";
}

let hapticTimer = null;
function showHaptic(params) {
  const mark = $("webapp-haptic");
  mark.textContent = `📳 ${params.impact_style || params.notification_type || params.type}`;
  mark.hidden = false;
  clearTimeout(hapticTimer);
  hapticTimer = setTimeout(() => { mark.hidden = true; }, 700);
}

function openPopup(params) {
  // Telegram shows a native dialog; the browser's own stands in for it.
  const buttons = params.buttons || [];
  const text = [params.title, params.message].filter(Boolean).join("\n\n");
  let pressed = "";
  if (buttons.length > 1) {
    const first = buttons[0];
    pressed = window.confirm(text) ? (first.id ?? "") : (buttons[1].id ?? "");
  } else {
    window.alert(text);
    pressed = buttons[0]?.id ?? "";
  }
  postToWebApp("popup_closed", { button_id: pressed });
}

// telegram-web-app.js inside the iframe talks to its parent with postMessage.
window.addEventListener("message", (event) => {
  if (event.source !== $("webapp-frame").contentWindow) return;
  let data = event.data;
  try { if (typeof data === "string") data = JSON.parse(data); } catch { return; }
  if (!data || !data.eventType) return;
  const params = data.eventData || {};
  switch (data.eventType) {
    case "web_app_close": closeWebApp(); break;
    case "web_app_ready": $("webapp").dataset.ready = "true"; break;
    case "web_app_expand": break; // the frame is always at its full height here
    case "web_app_setup_main_button": setupMainButton(params); break;
    case "web_app_setup_back_button": $("webapp-back").hidden = !params.is_visible; break;
    case "web_app_trigger_haptic_feedback": showHaptic(params); break;
    case "web_app_open_popup": openPopup(params); break;
    case "web_app_request_theme": postToWebApp("theme_changed", { theme_params: currentTheme() }); break;
    default: break;
  }
});

// ---------- bot menu ("/" commands or a Mini App button) ----------

async function toggleMenu(filter = null) {
  const box = $("command-menu");
  if (filter === null && !box.hidden) { box.hidden = true; return; }
  const menu = await run(() => api(`/users/${state.userId}/menu`));
  if (!menu) return;
  if (filter === null && menu.menu_button.type === "web_app") {
    openWebApp(menu.menu_button.web_app.url, menu.menu_button.text);
    return;
  }
  const commands = menu.commands.filter((c) => !filter || `/${c.command}`.startsWith(filter));
  box.replaceChildren(...commands.map((c) => el("button", {
    type: "button", testid: "command-item",
    onclick: () => { box.hidden = true; $("message-input").value = ""; sendMessage({ text: `/${c.command}` }); },
  }, `/${c.command}`, el("span", { class: "description" }, c.description))));
  box.hidden = commands.length === 0;
}

$("menu-button").addEventListener("click", () => toggleMenu());
$("message-input").addEventListener("input", (event) => {
  const value = event.target.value;
  if (value.startsWith("/") && !value.includes(" ")) toggleMenu(value);
  else $("command-menu").hidden = true;
});

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("message-input");
  const text = input.value;
  if (!text.trim() || state.userId === null) return;
  input.value = "";
  $("command-menu").hidden = true;
  sendMessage({ text });
});
// Telegram's 📎 → Location. Coordinates are typed, defaulting to central Moscow, where the
// sandbox's demo clinics are.
$("location-button").addEventListener("click", () => {
  if (state.userId === null) return;
  const answer = window.prompt("Latitude, longitude", "55.7558, 37.6173");
  if (!answer) return;
  const [latitude, longitude] = answer.split(",").map((part) => Number(part.trim()));
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    toast("⚠️ Two numbers, e.g. 55.7558, 37.6173");
    return;
  }
  sendMessage({ location: { latitude, longitude } });
});
$("photo-input").addEventListener("change", (event) => {
  if (event.target.files[0]) sendFile("photo", event.target.files[0]);
  event.target.value = "";
});
$("document-input").addEventListener("change", (event) => {
  if (event.target.files[0]) sendFile("document", event.target.files[0]);
  event.target.value = "";
});

// ---------- users and the page's one connection ----------

// One WebSocket per page, for the chosen user's chat. Not long polls: those count against the
// browser's six connections per host, shared by every tab, and a few tabs then starved the
// rest; WebSockets do not (sandbox/control/chat_stream.py).
function openStream(userId) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${window.location.host}${API}/chats/${userId}/stream?revision_after=${state.revision}`;
  const socket = new WebSocket(url);
  state.stream = socket;
  socket.addEventListener("open", () => { document.body.dataset.stream = "open"; });
  socket.addEventListener("message", (event) => {
    if (state.stream === socket) applyMessages(JSON.parse(event.data));
  });
  socket.addEventListener("close", () => {
    if (state.stream !== socket) return; // replaced by another user's stream
    document.body.dataset.stream = "closed";
    // The revision seen last comes along, so nothing sent meanwhile is missed.
    setTimeout(() => { if (state.stream === socket) openStream(userId); }, RECONNECT_MS);
  });
}

function closeStream() {
  const socket = state.stream;
  state.stream = null;
  if (socket) socket.close();
}

function selectUser(userId) {
  closeStream();
  state.userId = userId;
  state.messages.clear();
  state.revision = 0;
  state.stickToBottom = true;
  $("chat").replaceChildren();
  $("reply-keyboard").hidden = true;
  $("command-menu").hidden = true;
  $("user-select").value = String(userId);
  localStorage.setItem("sandbox-user", String(userId));
  const url = new URL(window.location.href);
  url.searchParams.set("user", userId);
  history.replaceState(null, "", url);
  openStream(userId);
}

// What the switcher says about the sandbox's own users: its demo vets and demo admin.
const LABELS = { vet: "🩺 vet", admin: "🛡️ admin", owner: "🐾 owner" };

function userOption(user) {
  const label = user.label ? ` — ${LABELS[user.label] || user.label}` : "";
  const name = `${user.first_name}${user.username ? " @" + user.username : ""}`;
  const option = el("option", { value: String(user.id) },
    `${name}${label} (${user.language_code || "—"}, ${user.id})`);
  if (user.label) option.dataset.label = user.label;
  return option;
}

async function loadUsers() {
  const users = await run(() => api("/users")) || [];
  const select = $("user-select");
  select.replaceChildren(...users.map(userOption));
  return users;
}

$("user-select").addEventListener("change", (event) => selectUser(Number(event.target.value)));
$("new-user-toggle").addEventListener("click", () => { $("new-user-form").hidden = !$("new-user-form").hidden; });
// While a new user is being created the composer is off: a message typed meanwhile would go
// to the user chosen before (whose chat is still on screen), not to the newcomer.
function setComposerEnabled(enabled) {
  for (const control of $("composer").querySelectorAll("input, button")) control.disabled = !enabled;
}

$("new-user-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const body = { first_name: form.get("first_name"), language_code: form.get("language_code") };
  if (form.get("username")) body.username = form.get("username");
  if (form.get("id")) body.id = Number(form.get("id"));
  setComposerEnabled(false);
  try {
    const created = await run(() => postJson("/users", body));
    if (!created) return;
    event.target.reset();
    event.target.hidden = true;
    await loadUsers();
    selectUser(created.id);
  } finally {
    setComposerEnabled(true);
  }
});

async function start() {
  const bot = await run(() => api("/bot"));
  if (bot) $("bot-name").textContent = bot.first_name;
  const users = await loadUsers();
  const wanted = Number(new URLSearchParams(window.location.search).get("user") || localStorage.getItem("sandbox-user"));
  // The user chosen last (kept across restarts by the sandbox), else the newest owner: a
  // newcomer starts as a pet owner, not as one of the demo vets or the demo admin.
  const owners = users.filter((u) => !u.label || u.label === "owner");
  const chosen = users.find((u) => u.id === wanted) || owners[owners.length - 1]
    || users[users.length - 1];
  if (chosen) selectUser(chosen.id);
  else $("new-user-form").hidden = false;
  document.body.dataset.ready = "true"; // lets browser tests wait for the first render
}

start();
