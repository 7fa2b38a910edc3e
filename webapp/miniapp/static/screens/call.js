// The Call screen: camera preview, joining inside the window, the call itself, the controls.

import { ApiError } from "../api.js";
import { BuiltinCall } from "../call-session.js";
import { formatDateTime, t } from "../i18n.js";
import { haptic } from "../telegram.js";
import { el, problemMessage, toast } from "../ui.js";
import { notesBox } from "./notes.js";

const RECHECK_MS = 30_000;
const DAILY_STATES = {
  joining: "connecting",
  joined: "waiting",
  "peer-joined": "connected",
  "peer-left": "waiting",
  reconnecting: "reconnecting",
  left: "ended",
};

// What the browser tests read: the RTCPeerConnection of the moment and the call's state.
window.__call = { pc: null, state: "idle" };

async function openMedia() {
  // Camera and microphone; then the microphone alone; then nothing (listening only).
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: { facingMode: "user" } }), mode: "full" };
  } catch (error) {
    console.warn("camera refused", error);
  }
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true }), mode: "audio" };
  } catch (error) {
    console.warn("microphone refused", error);
  }
  return { stream: new MediaStream(), mode: "listen" };
}

export async function mount(ctx, root) {
  const { api, appointment } = ctx;
  const base = `/appointments/${appointment.id}/call`;
  const ui = {
    status: el("p", { class: "call-status", testid: "call-status" }),
    quality: el("p", { class: "call-quality hint", testid: "call-quality" }),
    notice: el("p", { class: "notice", testid: "call-notice", hidden: true }),
    remote: el("video", { class: "remote-video", testid: "remote-video", autoplay: true, playsInline: true }),
    local: el("video", { class: "local-video", testid: "local-video", autoplay: true, playsInline: true, muted: true }),
    mute: el("button", { type: "button", testid: "call-mute" }),
    camera: el("button", { type: "button", testid: "call-camera" }),
    switchCamera: el("button", { type: "button", testid: "call-switch" }, t("btn-switch-camera")),
    hangUp: el("button", { type: "button", class: "danger", testid: "call-hang-up" }, t("btn-hang-up")),
    rejoin: el("button", { type: "button", testid: "call-rejoin", hidden: true }, t("btn-rejoin")),
    daily: el("div", { class: "daily-frame", testid: "daily-frame", hidden: true }),
  };
  ui.local.muted = true; // the attribute alone does not silence our own echo in every browser
  const stage = el("div", { class: "stage" }, ui.remote, ui.local, ui.daily);
  const controls = el("div", { class: "controls" }, ui.mute, ui.camera, ui.switchCamera, ui.hangUp, ui.rejoin);
  root.append(el("h1", {}, appointment.pet.name), ui.status, ui.quality, ui.notice, stage, controls);
  const notes = appointment.role === "vet" ? notesBox(ctx) : null;
  if (notes) root.append(notes);

  let media = null; // {stream, mode}
  let session = null; // BuiltinCall, or the Daily call's handle
  let joined = false; // POST call/joined sent for this session
  let inCall = false;
  let recheck = null;
  let muted = false;
  let cameraOff = false;

  const setStatus = (text) => { ui.status.textContent = text; };
  const setState = (state) => { window.__call.state = state; root.dataset.callState = state; };
  const showNotice = (text) => { ui.notice.textContent = text; ui.notice.hidden = !text; };

  function renderControls() {
    const audio = media?.stream.getAudioTracks()[0];
    const video = media?.stream.getVideoTracks()[0];
    ui.mute.textContent = muted ? t("btn-unmute") : t("btn-mute");
    ui.mute.disabled = !audio;
    ui.camera.textContent = cameraOff ? t("btn-camera-on") : t("btn-camera-off");
    ui.camera.disabled = !video;
    ui.switchCamera.disabled = !video;
    ui.hangUp.hidden = !inCall;
    ui.rejoin.hidden = inCall || !media;
  }

  async function startMedia() {
    media = await openMedia();
    ui.local.srcObject = media.stream;
    root.dataset.media = media.mode;
    if (media.mode === "audio") showNotice(t("call-permission-help"));
    if (media.mode === "listen") showNotice(t("call-no-media"));
    ui.local.hidden = media.mode !== "full";
    renderControls();
  }

  function whenOpens(opensAt) {
    setState("not-open");
    setStatus(t("call-not-open-yet", { time: formatDateTime(opensAt) }));
    const untilOpen = new Date(opensAt).getTime() - Date.now();
    // Try at the opening minute, and every half a minute meanwhile (clocks differ).
    scheduleJoin(Math.max(1000, Math.min(RECHECK_MS, untilOpen + 1000)));
  }

  function scheduleJoin(ms) {
    clearTimeout(recheck);
    recheck = setTimeout(join, ms);
  }

  function refused(error) {
    const body = error.body || {};
    const info = typeof body.detail === "object" && body.detail !== null ? body.detail : body;
    if (error.status === 409) {
      if (info.state === "not_open_yet" && info.opens_at) return whenOpens(info.opens_at);
      setState(info.state || "closed");
      return setStatus(t(info.state === "not_active" ? "call-not-active" : "call-closed"));
    }
    if (error.status === 503) {
      const seconds = Math.max(1, Number(info.retry_after_s) || 5);
      setState("room-not-ready");
      setStatus(t("call-room-not-ready", { seconds }));
      return scheduleJoin(seconds * 1000);
    }
    setState("error");
    setStatus(problemMessage(error));
    if (error.status === 0) scheduleJoin(5000); // the network: try again by itself
  }

  async function join() {
    clearTimeout(recheck);
    setState("joining");
    setStatus(t("call-connecting"));
    let ticket;
    try {
      ticket = await api.post(`${base}/join`);
    } catch (error) {
      if (error instanceof ApiError) return refused(error);
      throw error;
    }
    inCall = true;
    joined = false;
    renderControls();
    if (ticket.provider === "daily") return joinDaily(ticket);
    if (!ticket.signalling_url) {
      setState("error");
      setStatus(t("err-server"));
      return undefined;
    }
    session = new BuiltinCall({
      api,
      ticket,
      localStream: media.stream,
      onState: callStateChanged,
      onRemoteStream: (stream) => {
        if (ui.remote.srcObject !== stream) ui.remote.srcObject = stream;
        ui.remote.play?.().catch(() => {});
      },
      onQuality: showQuality,
      onConnected: markJoined,
    });
    session.start();
    return undefined;
  }

  function markJoined() {
    if (joined) return;
    joined = true;
    haptic("success");
    api.post(`${base}/joined`).catch((error) => console.warn("joined", error));
  }

  function callStateChanged(state) {
    setState(state);
    const waitingKey = appointment.role === "vet" ? "call-waiting-peer-vet" : "call-waiting-peer-owner";
    const texts = {
      waiting: t(waitingKey),
      connecting: t("call-connecting"),
      connected: t("call-connected"),
      reconnecting: t("call-reconnecting"),
      ended: t("call-ended"),
      "ended-window": t("call-ended-by-window"),
      replaced: t("call-replaced"),
      forbidden: t("err-403"),
      unauthorized: t("err-401"),
      "not-open": t("call-closed"),
    };
    setStatus(texts[state] ?? state);
    if (["ended", "ended-window", "replaced", "forbidden", "unauthorized", "not-open"].includes(state)) {
      inCall = false;
      ui.remote.srcObject = null;
      showQuality(null);
      renderControls();
      if (state === "ended-window") haptic("warning");
    }
  }

  function showQuality(quality) {
    if (!quality) { ui.quality.textContent = ""; delete ui.quality.dataset.level; return; }
    ui.quality.dataset.level = quality.level;
    const details = quality.rttMs === null ? "" : ` · ${t("quality-details", { rtt: quality.rttMs, loss: quality.lossPct })}`;
    ui.quality.textContent = `${t(`quality-${quality.level}`)}${details}`;
  }

  async function joinDaily(ticket) {
    let module;
    try {
      module = await import("../daily-call.js");
    } catch (error) {
      console.error(error);
      setState("error");
      setStatus(t("daily-missing"));
      inCall = false;
      renderControls();
      return;
    }
    let dailyPeer = false;
    // Daily brings its own camera handling: our preview lets the devices go.
    for (const track of media?.stream.getTracks() ?? []) track.stop();
    ui.remote.hidden = true;
    ui.local.hidden = true;
    ui.daily.hidden = false;
    try {
      session = await module.startDailyCall({
        ticket,
        mount: ui.daily,
        onState: (state) => {
          // Daily's events in the builtin call's words ("joined" again after a reconnect
          // with the other side still there is a connected call).
          if (state === "peer-joined") dailyPeer = true;
          if (state === "peer-left") dailyPeer = false;
          const ours = state === "joined" && dailyPeer ? "connected" : DAILY_STATES[state] ?? state;
          callStateChanged(ours);
          if (ours === "connected") markJoined();
        },
        onError: (error) => {
          console.error(error);
          if (error?.kind === "camera") showNotice(t("call-permission-help"));
          else setStatus(t(error?.kind === "network" ? "err-network" : "err-server"));
        },
      });
    } catch (error) {
      console.error(error);
      setState("error");
      setStatus(t("err-server"));
    }
  }

  function leave({ keepalive = false } = {}) {
    if (!inCall) return;
    inCall = false;
    session?.hangUp();
    session = null;
    api.request("POST", `${base}/left`, {}, { keepalive }).catch(() => {});
  }

  ui.hangUp.addEventListener("click", () => {
    haptic("heavy");
    leave();
    callStateChanged("ended");
  });
  ui.rejoin.addEventListener("click", () => { haptic("medium"); join(); });
  ui.mute.addEventListener("click", () => {
    muted = !muted;
    haptic("light");
    for (const track of media?.stream.getAudioTracks() ?? []) track.enabled = !muted;
    session?.setMuted?.(muted);
    renderControls();
  });
  ui.camera.addEventListener("click", () => {
    cameraOff = !cameraOff;
    haptic("light");
    for (const track of media?.stream.getVideoTracks() ?? []) track.enabled = !cameraOff;
    session?.setCamera?.(!cameraOff);
    renderControls();
  });
  ui.switchCamera.addEventListener("click", async () => {
    haptic("select");
    try {
      await switchCamera();
    } catch (error) {
      console.warn("switch camera", error);
      haptic("error");
      toast(t("call-switch-failed"));
    }
  });

  let facing = "user";
  async function switchCamera() {
    const current = media.stream.getVideoTracks()[0];
    const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    let constraints;
    if (cameras.length > 1) {
      const currentId = current?.getSettings().deviceId;
      const index = cameras.findIndex((camera) => camera.deviceId === currentId);
      constraints = { deviceId: { exact: cameras[(index + 1) % cameras.length].deviceId } };
    } else {
      facing = facing === "user" ? "environment" : "user";
      constraints = { facingMode: { exact: facing } };
    }
    // The old camera is released first: phones cannot open two at once.
    current?.stop();
    const fresh = (await navigator.mediaDevices.getUserMedia({ video: constraints })).getVideoTracks()[0];
    fresh.enabled = !cameraOff;
    if (current) media.stream.removeTrack(current);
    media.stream.addTrack(fresh);
    await session?.replaceTrack?.("video", fresh);
  }

  // Leaving the page (closing the Mini App, reloading) leaves the call.
  window.addEventListener("pagehide", () => leave({ keepalive: true }));

  setState("idle");
  renderControls();
  const call = appointment.call;
  if (call.state === "closed" || call.state === "not_active" || call.state === "not_a_participant") {
    const key = { closed: "call-closed", not_active: "call-not-active", not_a_participant: "call-not-participant" }[call.state];
    setState(call.state);
    setStatus(t(key));
    return { show: () => notes?.refresh() };
  }
  await startMedia();
  if (call.state === "not_open_yet") whenOpens(call.opens_at);
  else join();
  return { show: () => notes?.refresh() };
}
