// The employee's app: login and enrolment, check-in and check-out, the office code, offline
// queue, presence checks, my month, my leave, my devices. Every text comes from the server's
// catalogue (the shell page carries them), so the app speaks the user's language offline too.
import * as db from "./db.js";
import { newDeviceKey } from "./crypto.js";
import { deviceKeyName, flush, makeEvent, prune, queued } from "./events.js";
import { judge } from "./geo.js";
import { readOfficeQr, scan } from "./scan.js";

const T = JSON.parse(document.getElementById("texts").textContent);
const QR_MAX_AGE_MS = 120000; // the server takes a scan as evidence for 2 minutes
const FIX_MAX_AGE_MS = 30000;
const $ = (selector, root = document) => root.querySelector(selector);

const state = {
  session: null, // {token, employee}
  me: null, // /app/me, cached for offline use
  fix: null,
  fixError: null,
  office: null, // {qr | code, workplace, at}
  result: null,
  busy: false,
};

// --- Small helpers ---------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function longDate(iso) {
  const d = new Date(iso.slice(0, 10) + "T00:00:00");
  return d.toLocaleDateString("id-ID", { day: "numeric", month: "short", year: "numeric" });
}

function fmt(text, values) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
}

// Times are shown on the regency's clock, whatever zone the phone is set to.
function hhmm(date) {
  const timeZone = (state.me && state.me.time_zone) || undefined;
  const parts = new Intl.DateTimeFormat("id-ID", { hour: "2-digit", minute: "2-digit",
                                                   hourCycle: "h23", timeZone }).formatToParts(date);
  const part = (type) => (parts.find((p) => p.type === type) || {}).value;
  return part("hour") + ":" + part("minute"); // as the server writes times: 07:24
}

class ApiError extends Error {
  constructor(status, body) {
    super("HTTP " + status);
    this.status = status;
    this.body = body;
  }
}

function errorText(error) {
  if (error instanceof ApiError && error.body) {
    const fields = error.body.fields || [];
    if (fields.length) return [...new Set(fields.map((f) => f.message))].join(" ");
    if (error.body.message) return error.body.message;
  }
  return error instanceof ApiError ? T.serverError : T.noNetwork;
}

async function api(path, { method = "GET", json, form, auth = true, retried = false } = {}) {
  const headers = { Accept: "application/json" };
  if (auth && state.session) headers.Authorization = "Bearer " + state.session.token;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) body = form;
  const response = await fetch("/api/v1" + path, { method, headers, body, cache: "no-store" });
  let payload = null;
  try { payload = await response.json(); } catch (e) { payload = null; }
  if (response.status === 401 && auth) {
    // The access token lives an hour: renew it once with the refresh token, then ask again.
    if (!retried && (await refreshSession())) {
      return api(path, { method, json, form, auth, retried: true });
    }
    await sessionExpired();
    throw new ApiError(401, { message: T.sessionExpired });
  }
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

async function refreshSession() {
  if (!state.session || !state.session.refresh) return false;
  try {
    const response = await fetch("/api/v1/auth/refresh", {
      method: "POST", cache: "no-store",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: state.session.refresh }),
    });
    if (!response.ok) return false;
    const answer = await response.json();
    state.session = { ...state.session, token: answer.token, refresh: answer.refresh_token };
    await db.put("kv", state.session, "session");
    return true;
  } catch (e) {
    return false;
  }
}

// A 401 asks for the password again; the device key and the queued events stay.
async function sessionExpired() {
  state.session = null;
  await db.del("kv", "session");
  showLogin(T.sessionExpired);
}

// --- Screens ---------------------------------------------------------------------------------

const main = $("#main");
const nav = $("#nav");

function screen(...children) {
  main.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
  main.focus({ preventScroll: true });
}

function showLogin(message) {
  nav.hidden = true;
  const error = el("p", { class: "error", role: "alert", id: "login-error" }, message || "");
  const form = el(
    "form",
    { class: "card", id: "login", onsubmit: (e) => { e.preventDefault(); login(form, error); } },
    el("h1", {}, T.loginTitle),
    el("p", {}, T.loginHelp),
    el("label", { for: "identifier" }, T.identifier),
    el("input", { id: "identifier", name: "identifier", inputmode: "numeric",
                  autocomplete: "username", required: true }),
    el("label", { for: "password" }, T.password),
    el("input", { id: "password", name: "password", type: "password",
                  autocomplete: "current-password", required: true }),
    error,
    el("button", { class: "primary", type: "submit" }, T.loginButton),
    el("button", { class: "secondary", type: "button", id: "to-activate", onclick: showActivate },
      T.firstTime),
  );
  screen(form);
}

// The first login: the one-time code from the activation sheet sets the password.
function showActivate() {
  nav.hidden = true;
  const error = el("p", { class: "error", role: "alert", id: "activate-error" });
  const form = el(
    "form",
    { class: "card", id: "activate",
      onsubmit: (e) => { e.preventDefault(); activate(form, error); } },
    el("h1", {}, T.activateTitle),
    el("p", {}, T.activateHelp),
    el("label", { for: "a-identifier" }, T.identifier),
    el("input", { id: "a-identifier", name: "identifier", inputmode: "numeric",
                  autocomplete: "username", required: true }),
    el("label", { for: "a-code" }, T.activationCode),
    el("input", { id: "a-code", name: "code", autocomplete: "one-time-code", required: true }),
    el("label", { for: "a-password" }, T.newPassword),
    el("input", { id: "a-password", name: "password", type: "password",
                  autocomplete: "new-password", required: true, minlength: "8" }),
    el("label", { for: "a-password2" }, T.repeatPassword),
    el("input", { id: "a-password2", name: "password2", type: "password",
                  autocomplete: "new-password", required: true }),
    error,
    el("button", { class: "primary", type: "submit" }, T.activateButton),
    el("button", { class: "secondary", type: "button", onclick: () => showLogin() }, T.back),
  );
  screen(form);
}

async function activate(form, error) {
  error.textContent = "";
  if (form.password.value !== form.password2.value) {
    error.textContent = T.passwordsDiffer;
    return;
  }
  try {
    const answer = await api("/auth/activate", { method: "POST", auth: false, json: {
      identifier: form.identifier.value.trim(), code: form.code.value.trim(),
      password: form.password.value } });
    await loggedIn(answer, error);
  } catch (e) {
    error.textContent = errorText(e);
  }
}

async function loggedIn(answer, error) {
  if (!answer.employee) { error.textContent = T.notAnEmployee; return; }
  state.session = {
    token: answer.token, refresh: answer.refresh_token, employee: answer.employee,
  };
  await db.put("kv", state.session, "session");
  await ensureDevice();
  await refresh();
  route();
}

async function login(form, error) {
  error.textContent = "";
  const identifier = form.identifier.value.trim();
  try {
    const answer = await api("/auth/login", {
      method: "POST", auth: false, json: { identifier, password: form.password.value },
    });
    await loggedIn(answer, error);
  } catch (e) {
    error.textContent = errorText(e);
  }
}

// What the atasan sees when approving the phone. Chrome hides the model from the user agent
// string; its client hints still give it.
async function phoneDescription() {
  const ua = navigator.userAgent;
  let model = (/Android [\d.]+; ([^;)]+)/.exec(ua) || [])[1];
  let platformVersion = null;
  try {
    if (navigator.userAgentData) {
      const hints = await navigator.userAgentData.getHighEntropyValues(["model",
        "platformVersion"]);
      model = hints.model || model;
      platformVersion = hints.platformVersion || null;
    }
  } catch (e) { /* not offered: the user agent string will do */ }
  return {
    model: (model && model !== "K" ? model : navigator.platform) || "browser",
    platform: navigator.platform,
    platform_version: platformVersion,
    user_agent: ua.slice(0, 300),
    screen: `${window.screen.width}x${window.screen.height}`,
    app_version: "hadir-pwa/1",
    kind: "web",
  };
}

// The first phone of an employee is active at once; another waits for the atasan.
async function ensureDevice() {
  const name = deviceKeyName(state.session.employee);
  const device = await db.get("kv", name);
  if (device && !["rejected", "revoked"].includes(device.status)) return device;
  const key = await newDeviceKey();
  const answer = await api("/devices", {
    method: "POST",
    json: { public_key: key.spki, algorithm: "p256", description: await phoneDescription() },
  });
  const fresh = { ...key, employee: state.session.employee, deviceId: answer.device_id,
                  status: answer.status, seq: 0, prevHash: null };
  await db.put("kv", fresh, name);
  return fresh;
}

async function currentDevice() {
  return state.session ? db.get("kv", deviceKeyName(state.session.employee)) : null;
}

async function refresh() {
  try {
    state.me = await api("/app/me");
    await db.put("kv", state.me, "me:" + state.session.employee);
    const device = await currentDevice();
    const mine = device && state.me.devices.find((d) => d.key_id === device.keyId);
    if (device && mine && mine.status !== device.status) {
      await db.put("kv", { ...device, status: mine.status }, deviceKeyName(device.employee));
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw e;
    state.me = state.me || (await db.get("kv", "me:" + state.session.employee));
  }
}

function showPending(device) {
  nav.hidden = true;
  const other = (state.me && state.me.devices.filter((d) => d.key_id !== device.keyId)) || [];
  const active = other.some((d) => d.status === "active");
  screen(el("section", { class: "card", id: "pending" },
    el("h1", {}, device.status === "pending" ? T.pendingTitle : T.deviceRefusedTitle),
    el("p", {}, device.status === "pending" ? (active ? T.pendingSecondPhone : T.pendingHelp)
      : T.deviceRefusedHelp),
    state.me && state.me.employee.supervisor
      ? el("p", {}, fmt(T.pendingAsk, { name: state.me.employee.supervisor })) : null,
    el("button", { class: "primary", onclick: async () => {
      if (device.status !== "pending") {
        await db.del("kv", deviceKeyName(device.employee));
        await ensureDevice();
      }
      await refresh();
      route();
    } }, device.status === "pending" ? T.checkAgain : T.enrolAgain),
    el("button", { class: "secondary", onclick: logout }, T.logout),
  ));
}

async function logout() {
  if (state.session) {
    // Ends the session's tokens on the server too; offline, the access token expires within
    // the hour and the refresh token is forgotten here.
    fetch("/api/v1/auth/logout", {
      method: "POST", cache: "no-store",
      headers: { Authorization: "Bearer " + state.session.token, "Content-Type": "application/json" },
      body: "{}",
    }).catch(() => {});
  }
  state.session = null;
  await db.del("kv", "session");
  showLogin();
}

function queueBanner(count) {
  if (!count) return null;
  return el("p", { class: "notice", id: "queue", role: "status" }, fmt(T.queued, { n: count }));
}

function challengeBanner() {
  const open = (state.me && state.me.challenges) || [];
  if (!open.length) return null;
  const c = open[0];
  return el("section", { class: "card alert", id: "challenge" },
    el("h2", {}, T.challengeTitle),
    el("p", {}, fmt(T.challengeHelp, { time: c.deadline_local })),
    el("button", { class: "primary", id: "answer", onclick: () => send("presence_check",
      c.challenge_id) }, T.challengeAnswer));
}

function todayCard() {
  const today = state.me && state.me.today;
  const part = (label, entry, missing) => el("span", {}, el("strong", {}, label + ": "),
    entry ? entry.time : missing);
  return el("section", { class: "card today", id: "today" },
    el("h2", {}, T.today),
    el("p", {}, part(T.checkedIn, today && today.check_in, T.notYetIn), " · ",
      part(T.checkedOut, today && today.check_out, T.notYetOut)));
}

function locationText() {
  if (state.fixError) return state.fixError;
  if (!state.fix) return T.locating;
  const acc = Math.round(state.fix.accuracy);
  const workplaces = (state.me && state.me.workplaces) || [];
  const where = workplaces.length ? judge(workplaces, state.fix) : null;
  let verdict = T.noWorkplace;
  if (where) {
    const name = where.workplace.name;
    verdict = where.position === "inside" ? fmt(T.inside, { name })
      : where.position === "uncertain" ? fmt(T.edge, { name })
        : fmt(T.outside, { name, m: Math.round(where.distance) });
  }
  return fmt(T.accuracy, { m: acc }) + " · " + verdict;
}

function standing() {
  return state.fix && state.me && state.me.workplaces.length
    ? judge(state.me.workplaces, state.fix) : null;
}

function locationCard() {
  const where = standing();
  return el("section", { class: "card", id: "location" },
    el("h2", {}, T.location),
    el("p", { id: "where", class: where ? "where-" + where.position : null }, locationText()));
}

function showWhere() {
  const node = $("#where");
  if (!node) return;
  const where = standing();
  node.textContent = locationText();
  node.className = where ? "where-" + where.position : "";
}

function officeCard() {
  const office = currentOffice();
  return el("section", { class: "card", id: "office" },
    el("h2", {}, T.officeCode),
    office ? el("p", { id: "office-ok", class: "ok" },
      office.qr ? fmt(T.qrScanned, { place: office.workplace })
        : fmt(T.codeTyped, { code: office.code }))
      : el("p", {}, T.officeHelp),
    el("div", { class: "pair" },
      el("button", { class: "secondary", id: "scan", onclick: openScanner }, T.scan),
      el("input", { id: "code", inputmode: "numeric", maxlength: "6", pattern: "[0-9]{6}",
                    autocomplete: "off", "aria-label": T.typeCode, placeholder: T.codePlaceholder,
                    oninput: (e) => {
                      const v = e.target.value.replace(/\D/g, "");
                      state.office = v.length === 6 ? { code: v, at: Date.now() } : null;
                    } })));
}

function currentOffice() {
  if (state.office && Date.now() - state.office.at > QR_MAX_AGE_MS) state.office = null;
  return state.office;
}

function pushCard() {
  const supported = "PushManager" in window && "serviceWorker" in navigator;
  const granted = supported && Notification.permission === "granted";
  if (granted && localStorage.getItem("hadir.push") === "1") return null;
  return el("section", { class: "card", id: "push" },
    el("p", {}, T.pushMissing),
    supported ? el("button", { class: "secondary", onclick: enablePush }, T.pushEnable) : null);
}

function resultCard() {
  const r = state.result;
  if (!r) return null;
  const reasons = (r.reasons || []).filter((x) => x.severity !== "info" || SHOWN_INFO.has(x.code));
  return el("section", { class: "card result " + r.kind, id: "result", role: "status" },
    el("h2", {}, r.title),
    r.time ? el("p", {}, r.time) : null,
    reasons.length ? el("ul", {}, reasons.map((x) => el("li", { class: x.severity }, x.message)))
      : null);
}

const SHOWN_INFO = new Set(["office_code_valid", "offline_time_from_office_qr",
  "offline_time_confirmed_by_office_code", "challenge_answered", "inside_geofence"]);

async function showHome() {
  nav.hidden = false;
  const count = (await queued()).length;
  const bigButtons = el("div", { class: "big" },
    el("button", { class: "primary big-in", id: "check-in", onclick: () => send("check_in") },
      T.checkIn),
    el("button", { class: "primary big-out", id: "check-out", onclick: () => send("check_out") },
      T.checkOut));
  screen(
    el("header", { class: "who" }, el("strong", {}, state.me ? state.me.employee.name : ""),
      el("span", { class: navigator.onLine ? "online" : "offline", id: "net" },
        navigator.onLine ? T.online : T.offline)),
    queueBanner(count),
    challengeBanner(),
    resultCard(),
    todayCard(),
    locationCard(),
    officeCard(),
    bigButtons,
    pushCard(),
  );
}

// --- Check-in --------------------------------------------------------------------------------

function freshFix() {
  if (state.fix && Date.now() - state.fix.receivedAt < FIX_MAX_AGE_MS) {
    return Promise.resolve(state.fix);
  }
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve(setFix(p)), reject, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  });
}

function setFix(position) {
  const c = position.coords;
  state.fix = { lat: c.latitude, lon: c.longitude, accuracy: c.accuracy, altitude: c.altitude,
                speed: c.speed, heading: c.heading, timestamp: position.timestamp,
                receivedAt: Date.now() };
  state.fixError = null;
  return state.fix;
}

function watchLocation() {
  if (!("geolocation" in navigator)) { state.fixError = T.noGeolocation; return; }
  navigator.geolocation.watchPosition((p) => {
    setFix(p);
    showWhere();
  }, (e) => {
    state.fixError = e.code === 1 ? T.locationDenied : T.locationUnavailable;
    showWhere();
  }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 });
}

// Can the server be reached right now? A quick look decides whether the event is made as an
// online one (the server's receipt is its time) or queued as offline.
async function reachable() {
  if (!navigator.onLine) return false;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 4000);
  try {
    const r = await fetch("/api/v1/time", { cache: "no-store", signal: controller.signal });
    return r.ok;
  } catch (e) {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function send(kind, challengeId = null) {
  if (state.busy) return;
  state.busy = true;
  const previous = $("#result");
  if (previous) previous.remove(); // never leave the last answer showing as if it were this one
  state.result = { kind: "wait", title: T.sending };
  await showHome();
  try {
    let fix;
    try { fix = await freshFix(); } catch (e) {
      state.result = { kind: "bad", title: T.noFix, reasons: [] };
      return;
    }
    const office = currentOffice();
    const online = await reachable();
    const entry = await makeEvent({
      employee: state.session.employee, kind, fix, challengeId, offline: !online,
      officeQr: office && office.qr, officeCode: office && office.code,
    });
    state.office = null;
    const { sent } = online ? await flush() : { sent: [] };
    const mine = sent.find((e) => e.id === entry.id);
    if (!mine) {
      state.result = { kind: "queued", title: T.savedOffline, time: fmt(T.madeAt,
        { time: hhmm(new Date(entry.createdAt)) }) };
      requestBackgroundSync();
    } else {
      state.result = verdictResult(mine);
    }
    await refresh();
  } finally {
    state.busy = false;
    await showHome();
  }
}

function verdictResult(entry) {
  const a = entry.answer;
  const titles = { accepted: T.accepted, accepted_with_warnings: T.acceptedWithNotes,
                   rejected: T.rejected };
  const kind = { accepted: "good", accepted_with_warnings: "note", rejected: "bad" }[a.outcome];
  const time = a.time_of_record && a.outcome !== "rejected"
    ? fmt(T.recordedAt, { time: hhmm(new Date(a.time_of_record)) }) : null;
  return { kind, title: titles[a.outcome], time, reasons: a.reasons || [] };
}

async function requestBackgroundSync() {
  try {
    const reg = await navigator.serviceWorker.ready;
    if (reg.sync) await reg.sync.register("hadir-queue");
  } catch (e) { /* the app sends when it opens or the network returns */ }
}

async function sendQueue() {
  if (!state.session) return;
  const { sent } = await flush();
  if (sent.length) {
    const last = sent[sent.length - 1];
    state.result = { ...verdictResult(last), title: fmt(T.queueSent, { n: sent.length }) + " " +
      verdictResult(last).title };
    await refresh();
    if (location.hash === "" || location.hash === "#beranda") await showHome();
  }
}

// --- The office code by camera ---------------------------------------------------------------

async function openScanner() {
  const controller = new AbortController();
  const video = el("video", { playsinline: true, muted: true, id: "camera" });
  const status = el("p", { role: "status" }, T.scanHelp);
  const dialog = el("div", { class: "scanner", id: "scanner" }, status, video,
    el("button", { class: "secondary", onclick: () => controller.abort() }, T.close));
  document.body.append(dialog);
  try {
    const text = await scan(video, (t) => readOfficeQr(t) !== null, controller.signal);
    if (text) {
      state.office = { ...readOfficeQr(text), at: Date.now() };
    }
  } catch (e) {
    alertText(T.cameraUnavailable);
  } finally {
    dialog.remove();
    await showHome();
  }
}

function alertText(text) {
  state.result = { kind: "bad", title: text, reasons: [] };
}

// --- Push ------------------------------------------------------------------------------------

function b64urlToBytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function enablePush() {
  try {
    if ((await Notification.requestPermission()) !== "granted") throw new Error("denied");
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: b64urlToBytes(state.me.push_public_key),
    });
    const json = sub.toJSON();
    const device = await currentDevice();
    await api("/app/push", { method: "POST", json: { key_id: device.keyId,
      endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth } });
    localStorage.setItem("hadir.push", "1");
  } catch (e) {
    alertText(T.pushFailed);
  }
  await showHome();
}

// --- My month, my leave, my devices ----------------------------------------------------------

// The last twelve months, named in Indonesian whatever language the phone's date picker has.
function monthOptions() {
  const now = new Date();
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    const value = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
    const label = d.toLocaleDateString("id-ID", { month: "long", year: "numeric" });
    return el("option", { value }, label);
  });
}

async function showMonth() {
  const input = el("select", { id: "month", onchange: () => loadMonth(input.value, list) },
    monthOptions());
  const month = input.value;
  const list = el("div", { id: "days" }, T.loading);
  screen(el("h1", {}, T.myMonth), el("label", { for: "month" }, T.month), input, list);
  await loadMonth(month, list);
}

async function loadMonth(month, list) {
  try {
    const data = await api("/app/month?month=" + encodeURIComponent(month));
    const days = data.days.filter((d) => d.codes.length || d.check_in || d.check_out);
    list.replaceChildren(...(days.length ? days.map(dayCard) : [el("p", {}, T.noDays)]));
  } catch (e) {
    list.replaceChildren(el("p", { class: "error" }, errorText(e)));
  }
}

function dayCard(day) {
  const date = new Date(day.date + "T00:00:00");
  const label = date.toLocaleDateString("id-ID", { weekday: "short", day: "numeric",
                                                    month: "short" });
  return el("article", { class: "card day" },
    el("h3", {}, label, day.codes.length ? " · " + day.codes.map((c) => c.code).join(" + ") : ""),
    day.codes.length ? el("p", {}, day.codes.map((c) => c.label).join("; ")) : null,
    el("p", {}, fmt(T.dayTimes, { in: day.check_in || "–", out: day.check_out || "–" })),
    day.notes.length ? el("ul", {}, day.notes.map((n) => el("li", {}, n))) : null);
}

function isoDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-` +
    String(d.getDate()).padStart(2, "0");
}

// Dates from a month back to two months ahead, written in Indonesian (a native date picker
// speaks the phone's language, which may not be the app's).
function dayOptions(selected) {
  const now = new Date();
  return Array.from({ length: 92 }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 31 + i);
    const value = isoDate(d);
    const label = d.toLocaleDateString("id-ID", { weekday: "short", day: "numeric",
                                                  month: "short", year: "numeric" });
    return el("option", { value, selected: value === selected }, label);
  });
}

async function showLeave() {
  const list = el("div", { id: "leave-list" }, T.loading);
  const error = el("p", { class: "error", role: "alert", id: "leave-error" });
  const photoName = el("p", { id: "photo-name" }, T.noPhoto);
  const kinds = el("select", { id: "kind", name: "kind", required: true,
                                onchange: () => { duty.hidden = kinds.value !== "DL"; } });
  const duty = dutyFields();
  const today = isoDate(new Date());
  const form = el("form", { class: "card", id: "leave-form",
                            onsubmit: (e) => { e.preventDefault(); submitLeave(form, error, list); } },
    el("h2", {}, T.askLeave),
    el("label", { for: "kind" }, T.leaveKind), kinds,
    el("label", { for: "first_day" }, T.firstDay),
    el("select", { id: "first_day", name: "first_day", required: true }, dayOptions(today)),
    el("label", { for: "last_day" }, T.lastDay),
    el("select", { id: "last_day", name: "last_day", required: true }, dayOptions(today)),
    el("label", { for: "reason" }, T.leaveReason),
    el("textarea", { id: "reason", name: "reason", rows: "3", required: true,
                     maxlength: "2000" }),
    duty,
    el("p", { class: "label" }, T.photo),
    el("label", { for: "photo", class: "button secondary", id: "photo-button" }, T.takePhoto),
    el("input", { type: "file", id: "photo", name: "photo", accept: "image/*",
                  capture: "environment", class: "hidden-file",
                  onchange: (e) => { photoName.textContent = e.target.files.length
                    ? fmt(T.photoChosen, { name: e.target.files[0].name }) : T.noPhoto; } }),
    photoName,
    error,
    el("button", { class: "primary", type: "submit" }, T.submitLeave));
  screen(el("h1", {}, T.myLeave), form, el("h2", {}, T.myRequests), list);
  try {
    const data = await api("/app/leave");
    kinds.replaceChildren(...data.kinds.map((k) => el("option", { value: k.code }, k.label)));
    duty.hidden = kinds.value !== "DL";
    renderLeave(list, data.requests);
  } catch (e) {
    list.replaceChildren(el("p", { class: "error" }, errorText(e)));
  }
}

function renderLeave(list, requests) {
  list.replaceChildren(...(requests.length ? requests.map((r) => el("article", { class: "card" },
    el("h3", {}, r.kind_label),
    el("p", {}, r.first_day === r.last_day ? longDate(r.first_day)
      : longDate(r.first_day) + " – " + longDate(r.last_day)),
    r.destination ? el("p", {}, fmt(T.dutyAt, { place: r.destination })) : null,
    el("p", { class: "state-" + r.status }, r.status_label),
    r.decision_reason ? el("p", {}, r.decision_reason) : null)) : [el("p", {}, T.noRequests)]));
}

// A phone photo is several MB: shrunk to a JPEG of at most 1600 px, well under the 2 MB limit.
async function shrinkPhoto(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
}

// Dinas luar: the surat tugas, the destination's name and, optionally, its point (the fraud
// analysis then judges the day's check-ins there): the phone's location when the employee is
// already there, or a point pasted from a map app ("-2.2096, 113.9136").
function dutyFields() {
  const point = el("input", { id: "destination_point", name: "destination_point", type: "text",
                              inputmode: "decimal", autocomplete: "off",
                              placeholder: "-2.2096, 113.9136" });
  const status = el("p", { id: "point-status", role: "status" });
  const locate = async () => {
    status.textContent = T.locating;
    try {
      const fix = await freshFix();
      point.value = `${fix.lat.toFixed(5)}, ${fix.lon.toFixed(5)}`;
      status.textContent = "";
      $("#leave-error").textContent = ""; // an earlier "not two numbers" no longer holds
    } catch (e) {
      status.textContent = T.locationFailed;
    }
  };
  return el("div", { id: "duty-fields", hidden: true },
    el("label", { for: "assignment_letter" }, T.dutyLetter),
    el("input", { id: "assignment_letter", name: "assignment_letter", type: "text",
                  autocomplete: "off", maxlength: "100" }),
    el("label", { for: "destination" }, T.dutyDestination),
    el("input", { id: "destination", name: "destination", type: "text", maxlength: "200" }),
    el("label", { for: "destination_point" }, T.dutyPoint),
    point,
    el("p", {}, T.dutyPointHelp),
    el("button", { type: "button", class: "secondary", id: "use-location", onclick: locate },
      T.useMyLocation),
    status);
}

// "lat, lon" (a comma or spaces between; decimal points) -> [lat, lon], [] when empty, null when
// it is not two numbers. The server checks the ranges.
function parsePoint(text) {
  const parts = text.trim().split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return [];
  const numbers = parts.map(Number);
  return numbers.length === 2 && numbers.every(Number.isFinite) ? numbers : null;
}

// 1e-7 is "0.0000001": the API reads digits with a point, not an exponent.
function plainDecimal(number) {
  return number.toFixed(7).replace(/\.?0+$/, "");
}

async function submitLeave(form, error, list) {
  error.className = "error";
  error.textContent = "";
  const data = new FormData();
  for (const name of ["kind", "first_day", "last_day", "reason"]) data.append(name, form[name].value);
  if (form.kind.value === "DL") {
    data.append("assignment_letter", form.assignment_letter.value);
    data.append("destination", form.destination.value);
    const point = parsePoint(form.destination_point.value);
    if (point === null) {
      error.textContent = T.pointUnreadable;
      return;
    }
    if (point.length) {
      data.append("destination_lat", plainDecimal(point[0]));
      data.append("destination_lon", plainDecimal(point[1]));
    }
  }
  const file = form.photo.files[0];
  try {
    if (file) data.append("attachment", await shrinkPhoto(file), "foto.jpg");
    await api("/app/leave", { method: "POST", form: data });
    form.reset();
    form.querySelector("#duty-fields").hidden = form.kind.value !== "DL";
    $("#photo-name").textContent = T.noPhoto;
    const fresh = await api("/app/leave");
    renderLeave(list, fresh.requests);
    error.className = "ok";
    error.textContent = T.leaveSent;
  } catch (e) {
    error.textContent = e instanceof DOMException ? T.photoUnreadable : errorText(e);
  }
}

async function showDevices() {
  await refresh();
  const device = await currentDevice();
  const devices = (state.me && state.me.devices) || [];
  screen(el("h1", {}, T.myDevices),
    ...devices.map((d) => el("article", { class: "card" },
      el("h3", {}, d.model || T.phone, d.key_id === (device && device.keyId) ? " · " + T.thisPhone : ""),
      el("p", { class: "state-" + d.status }, d.status_label),
      el("p", {}, fmt(T.enrolledOn, { date: longDate(d.enrolled_at) })))),
    el("button", { class: "secondary", onclick: logout }, T.logout));
}

// --- Routing and start -----------------------------------------------------------------------

async function route() {
  if (!state.session) return showLogin();
  const device = await currentDevice();
  if (!device) return showLogin();
  if (device.status !== "active") return showPending(device);
  const page = location.hash.replace("#", "") || "beranda";
  for (const link of nav.querySelectorAll("a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === "#" + page);
  }
  if (page === "riwayat") return showMonth();
  if (page === "izin") return showLeave();
  if (page === "perangkat") return showDevices();
  return showHome();
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/sw.js", { scope: "/app/", type: "module" })
      .catch(() => {});
    navigator.serviceWorker.addEventListener("message", async (event) => {
      const type = event.data && event.data.type;
      if (type === "queue-sent" || type === "challenge") {
        try { await refresh(); } catch (e) { return; }
        route();
      }
    });
    navigator.serviceWorker.startMessages();
  }
  state.session = await db.get("kv", "session");
  if (state.session) {
    state.me = await db.get("kv", "me:" + state.session.employee);
    route();
    try { await refresh(); } catch (e) { return; }
    route();
    await sendQueue();
    prune();
  } else {
    showLogin();
  }
  watchLocation();
  window.addEventListener("hashchange", route);
  window.addEventListener("online", () => { sendQueue(); route(); });
  window.addEventListener("offline", () => route());
  document.addEventListener("visibilitychange", async () => {
    if (document.visibilityState === "visible" && state.session) {
      try { await refresh(); } catch (e) { return; }
      await sendQueue();
      route();
    }
  });
  // Polling, with or without push: the queue, and open presence checks.
  setInterval(async () => {
    if (!state.session || !navigator.onLine || document.visibilityState !== "visible") return;
    await sendQueue();
    const before = JSON.stringify((state.me && state.me.challenges) || []);
    try { await refresh(); } catch (e) { return; }
    if (JSON.stringify(state.me.challenges) !== before && !state.busy) route();
  }, 60000);
  document.body.dataset.ready = "1";
}

start();
