// The sandbox's stand-in for https://telegram.org/js/telegram-web-app.js.
//
// It gives a Mini App the same `window.Telegram.WebApp` as Telegram's script does: launch
// parameters from the URL fragment (tgWebAppData, tgWebAppThemeParams, tgWebAppVersion,
// tgWebAppPlatform), and the buttons, haptics and theme talking to the parent page (the
// sandbox's web chat) with Telegram's own postMessage events: the frame posts
// JSON {eventType, eventData} ("web_app_setup_main_button", "web_app_setup_back_button",
// "web_app_ready", "web_app_expand", "web_app_close", "web_app_trigger_haptic_feedback",
// "web_app_open_popup"), and the parent answers with "main_button_pressed",
// "back_button_pressed", "theme_changed" and "popup_closed".
(function () {
  "use strict";

  const handlers = new Map(); // event name → [callbacks]
  const isIframe = window.parent != null && window.parent !== window;

  function decode(text) {
    try { return decodeURIComponent(text.replace(/\+/g, "%20")); } catch { return text; }
  }

  function parseQuery(query) {
    const params = {};
    if (!query) return params;
    for (const pair of query.split("&")) {
      const [name, value] = pair.split("=");
      params[decode(name)] = value == null ? null : decode(value);
    }
    return params;
  }

  function hashParams() {
    let hash = "";
    try { hash = window.location.hash.replace(/^#/, ""); } catch { /* no location */ }
    const fromHash = hash.includes("=") ? parseQuery(hash.slice(hash.indexOf("?") + 1)) : {};
    // Telegram keeps the launch parameters for the tab's life: a reload inside the Mini App
    // (its fragment changed by the app) still has them.
    let stored = {};
    try { stored = JSON.parse(sessionStorage.getItem("__telegram__initParams")) || {}; } catch { /* none */ }
    const params = { ...stored, ...fromHash };
    try { sessionStorage.setItem("__telegram__initParams", JSON.stringify(params)); } catch { /* private mode */ }
    return params;
  }

  function postEvent(eventType, eventData) {
    if (!isIframe) {
      // Opened in a plain tab ("open in a tab"): no Telegram client around it, so the page
      // draws the client's buttons itself.
      standalone(eventType, eventData);
      return;
    }
    try {
      window.parent.postMessage(JSON.stringify({ eventType, eventData: eventData ?? "" }), "*");
    } catch { /* the parent went away */ }
  }

  function emit(name, ...args) {
    for (const callback of [...(handlers.get(name) || [])]) {
      try { callback.apply(WebApp, args); } catch (error) { console.error(error); }
    }
  }

  const params = hashParams();

  // ---------- theme ----------

  const themeParams = {};
  let colorScheme = "light";

  function isDark(hex) {
    const value = hex.replace("#", "");
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16));
    return Math.sqrt(0.299 * r * r + 0.587 * g * g + 0.114 * b * b) < 120;
  }

  function setThemeParams(theme) {
    for (const [key, color] of Object.entries(theme || {})) {
      if (typeof color !== "string" || !/^#[0-9a-f]{6}$/i.test(color)) continue;
      themeParams[key] = color.toLowerCase();
      document.documentElement.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, color);
      if (key === "bg_color") {
        colorScheme = isDark(color) ? "dark" : "light";
        document.documentElement.style.setProperty("--tg-color-scheme", colorScheme);
      }
    }
  }

  if (params.tgWebAppThemeParams) {
    try { setThemeParams(JSON.parse(params.tgWebAppThemeParams)); } catch { /* ignore bad JSON */ }
  }

  // ---------- launch data ----------

  const initData = params.tgWebAppData || "";
  const initDataUnsafe = {};
  for (const [key, value] of Object.entries(parseQuery(initData))) {
    const looksJson = value && /^[[{]/.test(value) && /[\]}]$/.test(value);
    try { initDataUnsafe[key] = looksJson ? JSON.parse(value) : value; } catch { initDataUnsafe[key] = value; }
  }
  const version = params.tgWebAppVersion || "6.0";

  function versionAtLeast(wanted) {
    const a = version.split(".").map(Number);
    const b = String(wanted).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const diff = (a[i] || 0) - (b[i] || 0);
      if (diff !== 0) return diff > 0;
    }
    return true;
  }

  // ---------- MainButton ----------

  const MainButton = {
    text: "CONTINUE",
    color: themeParams.button_color || "#2481cc",
    textColor: themeParams.button_text_color || "#ffffff",
    isVisible: false,
    isActive: true,
    isProgressVisible: false,
    setText(text) { return this.setParams({ text }); },
    show() { return this.setParams({ is_visible: true }); },
    hide() { return this.setParams({ is_visible: false }); },
    enable() { return this.setParams({ is_active: true }); },
    disable() { return this.setParams({ is_active: false }); },
    showProgress(leaveActive) {
      this.isProgressVisible = true;
      if (!leaveActive) this.isActive = false;
      sendMainButton();
      return this;
    },
    hideProgress() {
      this.isProgressVisible = false;
      this.isActive = true;
      sendMainButton();
      return this;
    },
    setParams(update) {
      if ("text" in update) {
        const text = String(update.text).trim();
        if (!text.length || text.length > 64) throw new Error("WebAppMainButtonParamInvalid");
        this.text = text;
      }
      if ("color" in update) this.color = update.color;
      if ("text_color" in update) this.textColor = update.text_color;
      if ("is_visible" in update) {
        if (update.is_visible && !this.text.length) throw new Error("WebAppMainButtonParamInvalid");
        this.isVisible = !!update.is_visible;
      }
      if ("is_active" in update) this.isActive = !!update.is_active;
      sendMainButton();
      return this;
    },
    onClick(callback) { WebApp.onEvent("mainButtonClicked", callback); return this; },
    offClick(callback) { WebApp.offEvent("mainButtonClicked", callback); return this; },
  };

  let lastMainButton = "";
  function sendMainButton() {
    // Telegram sends only is_visible: false for a hidden button, the full state otherwise.
    const state = MainButton.isVisible
      ? {
        is_visible: true,
        is_active: MainButton.isActive,
        is_progress_visible: MainButton.isProgressVisible,
        text: MainButton.text,
        color: MainButton.color,
        text_color: MainButton.textColor,
      }
      : { is_visible: false };
    const serialized = JSON.stringify(state);
    if (serialized === lastMainButton) return;
    lastMainButton = serialized;
    postEvent("web_app_setup_main_button", state);
  }

  // ---------- BackButton ----------

  const BackButton = {
    isVisible: false,
    show() { this.isVisible = true; postEvent("web_app_setup_back_button", { is_visible: true }); return this; },
    hide() { this.isVisible = false; postEvent("web_app_setup_back_button", { is_visible: false }); return this; },
    onClick(callback) { WebApp.onEvent("backButtonClicked", callback); return this; },
    offClick(callback) { WebApp.offEvent("backButtonClicked", callback); return this; },
  };

  // ---------- HapticFeedback ----------

  const IMPACT_STYLES = ["light", "medium", "heavy", "rigid", "soft"];
  const NOTIFICATION_TYPES = ["error", "success", "warning"];
  const HapticFeedback = {
    impactOccurred(style) {
      if (!IMPACT_STYLES.includes(style)) throw new Error("WebAppHapticImpactStyleInvalid");
      postEvent("web_app_trigger_haptic_feedback", { type: "impact", impact_style: style });
      return this;
    },
    notificationOccurred(type) {
      if (!NOTIFICATION_TYPES.includes(type)) throw new Error("WebAppHapticNotificationTypeInvalid");
      postEvent("web_app_trigger_haptic_feedback", { type: "notification", notification_type: type });
      return this;
    },
    selectionChanged() {
      postEvent("web_app_trigger_haptic_feedback", { type: "selection_change" });
      return this;
    },
  };

  // ---------- popups ----------

  let popupCallback = null;
  function showPopup(popup, callback) {
    if (popupCallback) throw new Error("WebAppPopupOpened");
    const buttons = popup.buttons && popup.buttons.length ? popup.buttons : [{ type: "close", id: "" }];
    popupCallback = callback || null;
    if (!isIframe) {
      // A plain tab has no Telegram client: the browser's own dialogs stand in.
      const pressed = buttons.length > 1
        ? (window.confirm(popup.message) ? buttons[0].id || "ok" : "")
        : (window.alert(popup.message), buttons[0].id || "");
      setTimeout(() => receiveEvent("popup_closed", { button_id: pressed }), 0);
      return;
    }
    postEvent("web_app_open_popup", { title: popup.title || "", message: popup.message, buttons });
  }

  // ---------- events from the parent ----------

  function receiveEvent(eventType, eventData) {
    const data = eventData || {};
    if (eventType === "main_button_pressed") {
      if (MainButton.isVisible && MainButton.isActive) emit("mainButtonClicked");
    } else if (eventType === "back_button_pressed") {
      emit("backButtonClicked");
    } else if (eventType === "theme_changed") {
      if (data.theme_params) {
        setThemeParams(data.theme_params);
        emit("themeChanged");
      }
    } else if (eventType === "viewport_changed") {
      if (data.is_expanded !== undefined) WebApp.isExpanded = !!data.is_expanded;
      emit("viewportChanged", { isStateStable: !!data.is_state_stable });
    } else if (eventType === "popup_closed") {
      const callback = popupCallback;
      popupCallback = null;
      emit("popupClosed", { button_id: data.button_id ?? null });
      if (callback) callback(data.button_id ?? null);
    }
  }

  // ---------- a plain tab: the client's buttons drawn in the page ----------

  const chrome = {};
  function chromeButton(testid, place) {
    if (chrome[testid]) return chrome[testid];
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.testid = testid;
    Object.assign(button.style, {
      position: "fixed", left: "0", right: "0", [place]: "0", zIndex: "1000", padding: "12px",
      border: "0", font: "600 15px system-ui, sans-serif", cursor: "pointer",
    });
    if (place === "top") Object.assign(button.style, { right: "auto", padding: "6px 12px" });
    button.hidden = true;
    (document.body || document.documentElement).append(button);
    chrome[testid] = button;
    return button;
  }

  function standalone(eventType, data) {
    if (eventType === "web_app_setup_main_button") {
      const button = chromeButton("tg-main-button", "bottom");
      button.hidden = !data.is_visible;
      if (!data.is_visible) return;
      button.textContent = data.is_progress_visible ? "…" : data.text;
      button.disabled = !data.is_active;
      Object.assign(button.style, { background: data.color, color: data.text_color });
      button.onclick = () => receiveEvent("main_button_pressed");
    } else if (eventType === "web_app_setup_back_button") {
      const button = chromeButton("tg-back-button", "top");
      button.textContent = "‹ Back";
      button.hidden = !data.is_visible;
      button.onclick = () => receiveEvent("back_button_pressed");
    } else if (eventType === "web_app_close") {
      window.close();
    }
  }

  if (isIframe) {
    window.addEventListener("message", (event) => {
      if (event.source !== window.parent) return;
      let message;
      try { message = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch { return; }
      if (message && message.eventType) receiveEvent(message.eventType, message.eventData);
    });
    postEvent("iframe_ready", { reload_supported: false });
  }

  // ---------- WebApp ----------

  const WebApp = {
    initData,
    initDataUnsafe,
    version,
    platform: params.tgWebAppPlatform || "unknown",
    get colorScheme() { return colorScheme; },
    get themeParams() { return { ...themeParams }; },
    isExpanded: true,
    viewportHeight: window.innerHeight,
    viewportStableHeight: window.innerHeight,
    MainButton,
    BackButton,
    HapticFeedback,
    isVersionAtLeast: versionAtLeast,
    onEvent(name, callback) {
      const list = handlers.get(name) || [];
      if (!list.includes(callback)) list.push(callback);
      handlers.set(name, list);
    },
    offEvent(name, callback) {
      const list = handlers.get(name) || [];
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    },
    ready() { postEvent("web_app_ready"); },
    expand() { this.isExpanded = true; postEvent("web_app_expand"); },
    close() { postEvent("web_app_close", { return_back: false }); },
    showPopup,
    showAlert(message, callback) {
      showPopup({ message }, () => { if (callback) callback(); });
    },
    showConfirm(message, callback) {
      showPopup(
        { message, buttons: [{ type: "ok", id: "ok" }, { type: "cancel" }] },
        (buttonId) => { if (callback) callback(buttonId === "ok"); },
      );
    },
    sendData() { console.warn("[sandbox] sendData is for keyboard-button Mini Apps only"); },
    openLink(url) { window.open(url, "_blank", "noopener"); },
  };

  window.Telegram = window.Telegram || {};
  window.Telegram.WebApp = WebApp;
  window.Telegram.WebView = { initParams: params, isIframe, postEvent, receiveEvent, onEvent: WebApp.onEvent, offEvent: WebApp.offEvent };
})();
