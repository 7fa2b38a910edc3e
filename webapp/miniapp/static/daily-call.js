// The call when VIDEO__PROVIDER=daily: Daily's call object, with the two videos drawn into
// `mount` by us (the Mini App keeps its own controls).
//
// daily-js is bundled from npm by `python3 dev.py` (webapp/miniapp/frontend/package-lock.json →
// static/vendor/), never loaded from a CDN. Daily itself then serves the call's media engine
// from its own domain when the call starts, as every Daily call does.
//
// startDailyCall({ticket, mount, onState, onError}):
//   ticket  — the answer of POST .../call/join with provider "daily" ({url, token, role, ...})
//   mount   — an element; a remote <video> (with its sound) and a small muted local one go in it
//   onState — called with "joining" | "joined" | "peer-joined" | "peer-left" | "reconnecting"
//             | "left"
//   onError — called with {kind: "camera" | "network" | "fatal", message}; "camera" leaves the
//             call going audio-only
// Resolves, once in the room, to {hangUp(), setMuted(bool), setCamera(bool)}.

import Daily from "./vendor/daily-esm.js";

function media(tag, { muted, local }) {
  const element = document.createElement(tag);
  element.autoplay = true;
  element.playsInline = true;
  element.muted = muted;
  element.className = local ? "daily-local" : "daily-remote";
  return element;
}

function playable(track) {
  return track && track.state === "playable" && track.persistentTrack
    ? track.persistentTrack
    : null;
}

function show(element, track) {
  const current = element.srcObject && element.srcObject.getTracks()[0];
  if (track === current) return;
  element.srcObject = track ? new MediaStream([track]) : null;
}

export async function startDailyCall({ ticket, mount, onState = () => {}, onError = () => {} }) {
  if (!ticket || ticket.provider !== "daily" || !ticket.url || !ticket.token) {
    throw new Error("startDailyCall needs a daily ticket with url and token");
  }
  // One call object per page: a leftover from an earlier try would refuse the new one.
  const stale = Daily.getCallInstance && Daily.getCallInstance();
  if (stale) await stale.destroy();

  const remoteVideo = media("video", { muted: true, local: false });
  const remoteAudio = media("audio", { muted: false, local: false });
  const localVideo = media("video", { muted: true, local: true });
  mount.replaceChildren(remoteVideo, remoteAudio, localVideo);

  const call = Daily.createCallObject({ subscribeToTracksAutomatically: true });

  const render = () => {
    const participants = call.participants();
    const local = participants.local;
    show(localVideo, local ? playable(local.tracks.video) : null);
    const remote = Object.values(participants).find((p) => !p.local);
    show(remoteVideo, remote ? playable(remote.tracks.video) : null);
    show(remoteAudio, remote ? playable(remote.tracks.audio) : null);
  };

  call
    .on("joined-meeting", () => {
      render();
      onState("joined");
    })
    .on("participant-joined", (event) => {
      render();
      if (!event.participant.local) onState("peer-joined");
    })
    .on("participant-updated", render)
    .on("track-started", render)
    .on("track-stopped", render)
    .on("participant-left", (event) => {
      render();
      if (!event.participant.local) onState("peer-left");
    })
    .on("network-connection", (event) => {
      if (event.event === "interrupted") onState("reconnecting");
      if (event.event === "connected") onState("joined");
    })
    .on("camera-error", (event) => {
      // No camera (refused, busy, absent): the call goes on with the microphone alone.
      onError({ kind: "camera", message: event.errorMsg?.errorMsg || "camera unavailable" });
      call.setLocalVideo(false);
    })
    .on("error", (event) => {
      onError({ kind: "fatal", message: event.errorMsg || "the call failed" });
    })
    .on("left-meeting", () => {
      mount.replaceChildren();
      onState("left");
    });

  onState("joining");
  try {
    await call.join({ url: ticket.url, token: ticket.token });
  } catch (error) {
    await call.destroy();
    mount.replaceChildren();
    onError({ kind: "network", message: String(error?.errorMsg || error?.message || error) });
    throw error;
  }

  return {
    async hangUp() {
      if (call.isDestroyed()) return;
      await call.leave();
      await call.destroy();
    },
    setMuted(muted) {
      call.setLocalAudio(!muted);
    },
    setCamera(on) {
      call.setLocalVideo(Boolean(on));
    },
  };
}
