// The `builtin` provider's call: one RTCPeerConnection to the other side, negotiated over the
// signalling WebSocket of the Mini App API.
//
// Who offers: the side the server calls impolite (the vet) makes every offer, the polite side
// (the owner) answers; the perfect-negotiation rules (ignore / roll back a colliding offer) are
// kept for any renegotiation. Each RTCPeerConnection has an id sent with every signal
// ({from, to}), so a message meant for a connection that is gone (a reloaded page, a replaced
// socket) is dropped instead of confusing the new one.
//
// Coming back after a drop: the socket reconnects by itself (with a ping watchdog for a silent
// network); whenever the other side (re)appears the impolite side starts a fresh connection and
// offers, and the polite side follows the newest offer. A connection whose ICE fails or stays
// disconnected is restarted (ICE restart), and rebuilt if that does not help.

const PING_EVERY_MS = 10_000;
const SILENCE_LIMIT_MS = 25_000; // no message (not even a pong) for this long: the socket is dead
const DISCONNECTED_GRACE_MS = 2_000;
const REBUILD_AFTER_MS = 8_000;
const STATS_EVERY_MS = 2_000;

// The signalling server's close codes (the contract of /call/signal).
const CLOSE = { replaced: 4000, ended: 4001, unauthorized: 4401, forbidden: 4403, notOpen: 4409, notReady: 4503 };

export class BuiltinCall {
  constructor({ api, ticket, localStream, onState, onRemoteStream, onQuality, onConnected }) {
    this.api = api;
    this.ticket = ticket;
    this.localStream = localStream;
    this.onState = onState;
    this.onRemoteStream = onRemoteStream;
    this.onQuality = onQuality;
    this.onConnected = onConnected;
    this.state = "connecting";
    this.ws = null;
    this.pc = null;
    this.pcId = null;
    this.remoteId = null;
    this.polite = ticket.role !== "vet";
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.pendingCandidates = [];
    this.queue = Promise.resolve();
    this.finished = false;
    this.peerPresent = false;
    this.reconnectDelayMs = 500;
    this.timers = new Set();
    this.lastHeard = Date.now();
    this.statsBaseline = null;
    this.onOnline = () => this.#networkBack();
    window.addEventListener("online", this.onOnline);
    this.#every(PING_EVERY_MS, () => this.#ping());
    this.#every(STATS_EVERY_MS, () => this.#measure());
  }

  start() {
    this.#openSocket();
  }

  // The local tracks changed (camera switched or turned on): senders follow.
  async replaceTrack(kind, track) {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === kind);
    if (sender) await sender.replaceTrack(track);
  }

  hangUp() {
    this.finished = true;
    window.removeEventListener("online", this.onOnline);
    for (const timer of this.timers) { clearTimeout(timer); clearInterval(timer); }
    this.timers.clear();
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000, "hang up");
    this.#closePeer();
    this.#setState("ended");
  }

  // ---------- state ----------

  #setState(state, detail) {
    if (this.state === state && detail === undefined) return;
    this.state = state;
    this.onState(state, detail);
  }

  #every(ms, action) {
    const timer = setInterval(action, ms);
    this.timers.add(timer);
  }

  #later(ms, action) {
    const timer = setTimeout(() => { this.timers.delete(timer); action(); }, ms);
    this.timers.add(timer);
    return timer;
  }

  // ---------- the WebSocket ----------

  #openSocket() {
    if (this.finished) return;
    const url = new URL(this.ticket.signalling_url, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      ws.send(JSON.stringify({ type: "auth", token: this.api.token }));
    };
    ws.onmessage = (event) => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      this.#onMessage(message);
    };
    ws.onclose = (event) => { if (ws === this.ws) this.#onSocketClosed(event.code); };
  }

  #onSocketClosed(code) {
    this.ws = null;
    if (this.finished) return;
    if (code === CLOSE.replaced) return this.#finish("replaced");
    if (code === CLOSE.ended) return this.#finish("ended-window");
    if (code === CLOSE.forbidden) return this.#finish("forbidden");
    if (code === CLOSE.notOpen) return this.#finish("not-open");
    if (code === CLOSE.unauthorized) {
      // The session token expired: sign in again with initData, then reconnect.
      this.api.token = null;
      this.api.signIn().then(() => this.#reconnectSoon(0), () => this.#finish("unauthorized"));
      return;
    }
    // A network drop or a replica going away: media may still flow peer to peer meanwhile.
    if (this.pc?.connectionState !== "connected") this.#setState("reconnecting");
    this.#reconnectSoon(code === CLOSE.notReady ? 3000 : this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 4000);
  }

  #reconnectSoon(ms) {
    if (this.reconnectTimer) return;
    this.reconnectTimer = this.#later(ms, () => {
      this.reconnectTimer = null;
      this.#openSocket();
    });
  }

  #finish(state) {
    this.finished = true;
    this.#closePeer();
    for (const timer of this.timers) { clearTimeout(timer); clearInterval(timer); }
    this.timers.clear();
    window.removeEventListener("online", this.onOnline);
    this.#setState(state);
  }

  #send(message) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  #ping() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      // A silent network keeps a dead socket "open" for minutes: drop it and dial again.
      const dead = this.ws;
      this.ws = null;
      dead.close();
      this.#onSocketClosed(1006);
      return;
    }
    this.#send({ type: "ping" });
  }

  #networkBack() {
    if (this.finished) return;
    if (!this.ws) this.#reconnectSoon(0);
    if (this.pc && !this.polite) this.pc.restartIce();
  }

  #onMessage(message) {
    switch (message.type) {
      case "welcome":
        this.reconnectDelayMs = 500;
        this.polite = !!message.polite;
        this.#peer(!!message.peer, { fresh: true });
        break;
      case "peer":
        this.#peer(!!message.present, { fresh: false });
        break;
      case "signal":
        this.queue = this.queue
          .then(() => this.#onSignal(message.data || {}))
          .catch((error) => console.warn("signal", error));
        break;
      case "ended":
        this.#finish("ended-window");
        break;
      default:
        break; // pong: lastHeard is enough
    }
  }

  #peer(present, { fresh }) {
    this.peerPresent = present;
    if (!present) {
      this.#closePeer();
      this.#setState("waiting");
      return;
    }
    // A connection still carrying media survives our own socket's reconnect.
    if (fresh && this.pc?.connectionState === "connected") return;
    this.#setState("connecting");
    if (!this.polite) this.#newPeer();
  }

  // ---------- the RTCPeerConnection ----------

  #closePeer() {
    if (this.pc) {
      this.pc.onnegotiationneeded = null;
      this.pc.onicecandidate = null;
      this.pc.ontrack = null;
      this.pc.onconnectionstatechange = null;
      this.pc.oniceconnectionstatechange = null;
      this.pc.close();
    }
    this.pc = null;
    window.__call.pc = null;
    this.pcId = null;
    this.remoteId = null;
    this.pendingCandidates = [];
    this.statsBaseline = null;
    this.onQuality(null);
  }

  #newPeer({ remoteId = null } = {}) {
    this.#closePeer();
    const iceServers = (this.ticket.ice_servers || []).map((server) => {
      const entry = { urls: server.urls };
      if (server.username) entry.username = server.username;
      if (server.credential) entry.credential = server.credential;
      return entry;
    });
    const pc = new RTCPeerConnection({ iceServers });
    this.pc = pc;
    this.pcId = crypto.randomUUID();
    this.remoteId = remoteId;
    this.makingOffer = false;
    this.ignoreOffer = false;

    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.#signal({ candidate: candidate.toJSON() });
    };
    pc.onnegotiationneeded = async () => {
      // The polite side answers; it offers only to renegotiate a paired connection.
      if (this.polite && !this.remoteId) return;
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.#signal({ description: pc.localDescription.toJSON() });
      } catch (error) {
        console.warn("offer", error);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.ontrack = (event) => {
      this.onRemoteStream(event.streams[0] ?? new MediaStream([event.track]));
    };
    pc.onconnectionstatechange = () => this.#connectionChanged(pc);
    pc.oniceconnectionstatechange = () => this.#iceChanged(pc);
    if (!this.polite) this.#attachMedia(pc, { offerer: true });
    window.__call.pc = pc;
    return pc;
  }

  #attachMedia(pc, { offerer }) {
    const kinds = new Set();
    for (const track of this.localStream?.getTracks() ?? []) {
      pc.addTrack(track, this.localStream);
      kinds.add(track.kind);
    }
    if (!offerer) return;
    // Without a camera (or a microphone) we still receive the other side's.
    for (const kind of ["audio", "video"]) {
      if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: "recvonly" });
    }
  }

  #signal(payload) {
    this.#send({ type: "signal", data: { from: this.pcId, to: this.remoteId, ...payload } });
  }

  async #onSignal(data) {
    if (this.finished) return;
    const { from, to, description, candidate, restart } = data;
    if (this.polite) {
      if (description?.type === "offer" && from !== this.remoteId) {
        this.#newPeer({ remoteId: from }); // a new connection of the other side: start afresh
      } else if (!this.pc || from !== this.remoteId) {
        return; // from a connection that is gone
      }
    } else {
      if (!this.pc || to !== this.pcId) return; // meant for a connection of ours that is gone
      if (this.remoteId === null) this.remoteId = from;
      if (from !== this.remoteId) {
        // The other side rebuilt its connection under ours: rebuild ours and offer again.
        this.#newPeer();
        return;
      }
    }
    const pc = this.pc;
    if (restart) {
      if (!this.polite) pc.restartIce();
      return;
    }
    if (description) {
      const collision = description.type === "offer"
        && (this.makingOffer || pc.signalingState !== "stable");
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      const answering = description.type === "offer" && pc.getSenders().length === 0;
      await pc.setRemoteDescription(description); // polite: rolls its own offer back
      for (const queued of this.pendingCandidates.splice(0)) {
        await pc.addIceCandidate(queued).catch(() => {});
      }
      if (description.type === "offer") {
        // Our tracks join the transceivers the offer made, so one answer carries them.
        if (answering) this.#attachMedia(pc, { offerer: false });
        await pc.setLocalDescription();
        this.#signal({ description: pc.localDescription.toJSON() });
      }
    } else if (candidate) {
      if (!pc.remoteDescription) {
        this.pendingCandidates.push(candidate);
        return;
      }
      try {
        await pc.addIceCandidate(candidate);
      } catch (error) {
        if (!this.ignoreOffer) console.warn("candidate", error);
      }
    }
  }

  #connectionChanged(pc) {
    if (pc !== this.pc) return;
    const state = pc.connectionState;
    if (state === "connected") {
      clearTimeout(this.rebuildTimer);
      this.#setState("connected");
      this.onConnected();
    } else if (state === "disconnected" || state === "failed") {
      this.#setState("reconnecting");
      this.#recover(pc);
    }
  }

  #iceChanged(pc) {
    if (pc !== this.pc) return;
    const state = pc.iceConnectionState;
    if (state === "failed") this.#recover(pc);
    if (state === "disconnected") {
      // Often a blip that heals by itself; restart only if it lasts.
      this.#later(DISCONNECTED_GRACE_MS, () => {
        if (pc === this.pc && pc.iceConnectionState === "disconnected") this.#recover(pc);
      });
    }
  }

  #recover(pc) {
    if (pc !== this.pc || this.finished) return;
    if (this.polite) {
      this.#signal({ restart: true }); // the offerer restarts ICE
    } else {
      pc.restartIce();
    }
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = this.#later(REBUILD_AFTER_MS, () => {
      if (pc === this.pc && pc.connectionState !== "connected" && !this.polite && this.peerPresent) {
        this.#newPeer();
      }
    });
  }

  // ---------- the connection-quality hint ----------

  async #measure() {
    const pc = this.pc;
    if (!pc || pc.connectionState !== "connected") return;
    let stats;
    try { stats = await pc.getStats(); } catch { return; }
    let rttS = null;
    let lost = 0;
    let received = 0;
    stats.forEach((report) => {
      if (report.type === "candidate-pair" && report.nominated && report.state === "succeeded"
        && typeof report.currentRoundTripTime === "number") {
        rttS = report.currentRoundTripTime;
      }
      if (report.type === "inbound-rtp") {
        lost += report.packetsLost || 0;
        received += report.packetsReceived || 0;
      }
    });
    const previous = this.statsBaseline;
    this.statsBaseline = { lost, received };
    const deltaLost = previous ? Math.max(0, lost - previous.lost) : lost;
    const deltaReceived = previous ? Math.max(0, received - previous.received) : received;
    const lossPct = deltaLost + deltaReceived > 0 ? (100 * deltaLost) / (deltaLost + deltaReceived) : 0;
    const rttMs = rttS === null ? null : Math.round(rttS * 1000);
    let level = "good";
    if ((rttMs ?? 0) > 400 || lossPct > 8) level = "poor";
    else if ((rttMs ?? 0) > 150 || lossPct > 2) level = "fair";
    this.onQuality({ level, rttMs, lossPct: Math.round(lossPct * 10) / 10 });
  }
}
