// Signed events and the outbox, shared by the page and the service worker (Background Sync).
//
// An event is made, signed and stored in one step, so its bytes and device_time are fixed when
// the employee presses the button, network or not. The outbox is sent oldest first, one at a
// time, always the same bytes: the server answers a repeat with the first answer, so an event
// whose answer was lost is still stored exactly once. A refused event is set aside and the
// queue goes on; a network failure or a server error stops the round, to be tried again.
import * as db from "./db.js";
import { randomId, sha256hex, sign } from "./crypto.js";

export const APP_VERSION = "hadir-pwa/1";
const KEEP_SENT_DAYS = 35;

function withLock(name, options, work) {
  const locks = (typeof navigator !== "undefined" && navigator.locks) || null;
  if (!locks) return work(true);
  return locks.request(name, options, work);
}

export function localIso(date) {
  const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export function deviceKeyName(employee) {
  return "device:" + employee;
}

// fix: {lat, lon, accuracy, altitude, speed, heading, timestamp}
export async function makeEvent({ employee, kind, fix, officeCode, officeQr, challengeId,
                                  offline }) {
  return withLock("hadir-chain", {}, async () => {
    const device = await db.get("kv", deviceKeyName(employee));
    if (!device) throw new Error("no device key");
    const now = new Date();
    const seq = (device.seq || 0) + 1;
    const data = {
      v: 1,
      event_id: randomId(),
      kind,
      employee,
      device_time: localIso(now),
      // A browser has no boot clock: the page's own monotonic time, and no boot count.
      monotonic_ms: Math.max(0, Math.floor(performance.now())),
      boot_count: null,
      seq,
      prev_hash: seq === 1 ? null : device.prevHash,
      location: {
        lat: fix.lat,
        lon: fix.lon,
        accuracy_m: Math.max(0.1, Math.min(99999, fix.accuracy || 99999)),
        provider: "unknown",
        fix_time: localIso(new Date(fix.timestamp)),
        mock: false, // a browser cannot tell
        altitude_m: finiteOrNull(fix.altitude, -1000, 10000),
        speed_mps: finiteOrNull(fix.speed, 0, 1000),
        bearing_deg: finiteOrNull(fix.heading, 0, 360),
      },
      wifi: [],
      office_code: officeQr ? null : officeCode || null,
      queued_offline: Boolean(offline),
      app_version: APP_VERSION,
      integrity_token: null,
      challenge_id: challengeId || null,
    };
    if (officeQr) data.office_qr = officeQr;
    const body = JSON.stringify(data);
    const entry = {
      employee,
      keyId: device.keyId,
      seq,
      eventId: data.event_id,
      kind,
      body,
      signature: await sign(device.privateKey, body),
      hash: await sha256hex(body),
      previous: { seq: device.seq || 0, prevHash: device.prevHash || null },
      offline: Boolean(offline),
      createdAt: now.toISOString(),
      state: "queued",
      tries: 0,
    };
    const [id] = await db.writeAll([
      { store: "outbox", value: entry },
      { store: "kv", key: deviceKeyName(employee), value: { ...device, seq, prevHash: entry.hash } },
    ]);
    entry.id = id;
    return entry;
  });
}

function finiteOrNull(value, low, high) {
  return typeof value === "number" && isFinite(value) && value >= low && value <= high
    ? value : null;
}

export async function queued() {
  return (await db.all("outbox")).filter((e) => e.state === "queued").sort((a, b) => a.id - b.id);
}

// Sends what is queued. Returns {sent: [...entries answered], stopped: null | "network" | ...}.
export async function flush(fetcher = fetch) {
  return withLock("hadir-send", { ifAvailable: true }, async (lock) => {
    if (!lock) return { sent: [], stopped: "busy" };
    const sent = [];
    for (;;) {
      const next = (await queued())[0];
      if (!next) return { sent, stopped: null };
      const outcome = await sendOne(next, fetcher);
      if (outcome === "stop") return { sent, stopped: "network" };
      sent.push(outcome);
    }
  });
}

async function sendOne(entry, fetcher) {
  let response;
  try {
    response = await fetcher("/api/v1/events", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Hadir-Key-Id": entry.keyId,
        "X-Hadir-Signature": entry.signature,
      },
      body: entry.body,
      cache: "no-store",
    });
  } catch (e) {
    await db.put("outbox", { ...entry, tries: entry.tries + 1, lastError: "network" });
    return "stop";
  }
  let answer = null;
  try { answer = await response.json(); } catch (e) { answer = null; }
  const verdict = answer && answer.outcome;
  if (!verdict) {
    // Nothing was judged (a proxy error, an overloaded server): the same bytes go again later.
    await db.put("outbox", { ...entry, tries: entry.tries + 1, lastError: String(response.status) });
    return "stop";
  }
  const done = {
    ...entry,
    state: verdict === "rejected" ? "rejected" : "sent",
    status: response.status,
    answer,
    sentAt: new Date().toISOString(),
  };
  await db.put("outbox", done);
  if (done.state === "rejected" && response.status !== 409) await rewind(done);
  return done;
}

// A refused event is not recorded and does not advance the chain (docs/api.md): if nothing was
// made after it, the next event takes its seq and prev_hash again.
async function rewind(entry) {
  await withLock("hadir-chain", {}, async () => {
    const name = deviceKeyName(entry.employee);
    const device = await db.get("kv", name);
    if (device && device.keyId === entry.keyId && device.seq === entry.seq &&
        device.prevHash === entry.hash) {
      await db.put("kv", { ...device, seq: entry.previous.seq, prevHash: entry.previous.prevHash },
        name);
    }
  });
}

export async function prune(now = Date.now()) {
  const limit = now - KEEP_SENT_DAYS * 86400e3;
  for (const entry of await db.all("outbox")) {
    if (entry.state !== "queued" && Date.parse(entry.createdAt) < limit) {
      await db.del("outbox", entry.id);
    }
  }
}
