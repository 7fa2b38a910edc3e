// The Telegram client around the page: `Telegram.WebApp` from Telegram's script (or the
// sandbox's stand-in). Everything here degrades to doing nothing when a feature is missing
// (an older client, or the page opened outside Telegram).

export const webApp = window.Telegram?.WebApp ?? null;

export function initData() {
  return webApp?.initData ?? "";
}

export function userLanguage() {
  return webApp?.initDataUnsafe?.user?.language_code ?? "ru";
}

// themeParams → CSS variables of our own (the stylesheet has light and dark fallbacks).
function applyTheme() {
  const root = document.documentElement;
  const theme = webApp?.themeParams ?? {};
  for (const [key, value] of Object.entries(theme)) {
    if (typeof value === "string") root.style.setProperty(`--app-${key.replace(/_/g, "-")}`, value);
  }
  root.dataset.scheme = webApp?.colorScheme === "dark" ? "dark" : "light";
}

export function startTelegram() {
  applyTheme();
  if (!webApp) return;
  // Inside a Telegram client the MainButton submits forms; the page's own buttons step aside.
  if (webApp.MainButton && webApp.platform !== "unknown") document.body.classList.add("has-main-button");
  webApp.onEvent("themeChanged", applyTheme);
  webApp.expand?.();
  webApp.ready?.();
}

export function haptic(kind) {
  const feedback = webApp?.HapticFeedback;
  if (!feedback) return;
  try {
    if (kind === "success" || kind === "error" || kind === "warning") feedback.notificationOccurred(kind);
    else if (kind === "select") feedback.selectionChanged();
    else feedback.impactOccurred(kind || "light");
  } catch { /* an old client without haptics */ }
}

// The one MainButton: a screen sets its text and handler, and clears it when it leaves.
let mainHandler = null;
export function setMainButton(text, handler) {
  const button = webApp?.MainButton;
  if (!button) return false;
  if (mainHandler) button.offClick(mainHandler);
  mainHandler = handler;
  button.onClick(handler);
  button.setParams({ text, is_visible: true, is_active: true });
  return true;
}

export function mainButtonBusy(busy) {
  const button = webApp?.MainButton;
  if (!button) return;
  if (busy) button.showProgress(false);
  else button.hideProgress();
}

export function clearMainButton() {
  const button = webApp?.MainButton;
  if (!button) return;
  if (mainHandler) button.offClick(mainHandler);
  mainHandler = null;
  button.hideProgress?.();
  button.hide();
}

let backHandler = null;
export function setBackButton(handler) {
  const button = webApp?.BackButton;
  if (!button) return;
  if (backHandler) button.offClick(backHandler);
  backHandler = handler;
  if (handler) {
    button.onClick(handler);
    button.show();
  } else {
    button.hide();
  }
}
