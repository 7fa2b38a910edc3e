// The Mini App API: sign in with initData, keep the bearer token, sign in again on 401.

const API = "/miniapp/api";

export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.detail === "string" ? body.detail : `HTTP ${status}`);
    this.status = status; // 0: the network failed
    this.body = body;
  }
}

export class Api {
  constructor(initData) {
    this.initData = initData;
    this.token = null;
    this.userId = null;
    this.signingIn = null;
  }

  async signIn() {
    // One sign-in at a time: requests failing together with 401 wait for the same one.
    if (!this.signingIn) {
      this.signingIn = (async () => {
        const response = await this.#fetch(`${API}/session`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ init_data: this.initData }),
        });
        const body = await readJson(response);
        if (!response.ok) throw new ApiError(response.status, body);
        this.token = body.token;
        this.userId = body.user_id;
      })().finally(() => { this.signingIn = null; });
    }
    return this.signingIn;
  }

  // `path` under /miniapp/api, or a root-relative URL the API gave; JSON in, JSON out.
  async request(method, path, body, { raw = false, keepalive = false } = {}) {
    const url = path.startsWith("/miniapp/") ? path : API + path;
    for (let attempt = 0; ; attempt++) {
      if (!this.token) await this.signIn();
      const headers = { Authorization: `Bearer ${this.token}` };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const response = await this.#fetch(url, {
        method, headers, keepalive, body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status === 401 && attempt === 0) {
        this.token = null; // expired: initData may still be fresh enough for a new session
        continue;
      }
      if (raw && response.ok) return response;
      const parsed = response.status === 204 ? null : await readJson(response);
      if (!response.ok) throw new ApiError(response.status, parsed ?? {});
      return parsed;
    }
  }

  get(path) { return this.request("GET", path); }
  post(path, body) { return this.request("POST", path, body ?? {}); }
  put(path, body) { return this.request("PUT", path, body); }

  // A file route (an <img> cannot send the bearer token): fetched, then an object URL.
  async objectUrl(url) {
    const response = await this.request("GET", url, undefined, { raw: true });
    return URL.createObjectURL(await response.blob());
  }

  async #fetch(url, options) {
    try {
      return await fetch(url, options);
    } catch (error) {
      throw new ApiError(0, { detail: String(error) });
    }
  }
}

async function readJson(response) {
  try { return await response.json(); } catch { return null; }
}
