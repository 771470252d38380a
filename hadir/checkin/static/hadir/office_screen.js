// Office screen: shows the workplace's rotating code (TOTP, RFC 6238) as digits, and a QR code
// that also carries the step and a MAC over it (docs/api.md, "The office QR code"), so a phone
// without a boot clock can prove when it scanned it. The secret is provisioned once into
// localStorage; after that the page needs no network, because remote offices lose connectivity
// for days. When online it measures its clock against the server; from two measurements it
// learns how fast its own clock drifts, corrects for it offline, and says how far off it may be.
"use strict";
var HadirOfficeScreen = (function () {
  var STORE = "hadir.office.provision";
  var SYNCS = "hadir.office.syncs"; // the last two measurements: [{at, offset, rtt}]
  var ASSUMED_DRIFT = 50e-6; // a PC's quartz clock without NTP: ~4 s a day, until measured
  var MAX_DRIFT = 500e-6;

  function base32ToBytes(text) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    var bits = 0, value = 0, out = [];
    text = text.replace(/=+$/, "").toUpperCase();
    for (var i = 0; i < text.length; i++) {
      var idx = alphabet.indexOf(text[i]);
      if (idx < 0) throw new Error("bad base32");
      value = (value << 5) | idx;
      bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(out);
  }

  async function hmac(hash, keyBytes, message) {
    var key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: hash },
      false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  }

  async function totpAtStep(secret, step, digits) {
    var counter = step, msg = new Uint8Array(8);
    for (var i = 7; i >= 0; i--) { msg[i] = counter & 255; counter = Math.floor(counter / 256); }
    var mac = await hmac("SHA-1", base32ToBytes(secret), msg);
    var off = mac[mac.length - 1] & 15;
    var bin = ((mac[off] & 127) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
    return String(bin % Math.pow(10, digits)).padStart(digits, "0");
  }

  async function totp(secret, unixSeconds, step, digits) {
    return totpAtStep(secret, Math.floor(unixSeconds / step), digits);
  }

  // hadir:oq1:<workplace>:<step>:<first 12 bytes of HMAC-SHA256(k, "<workplace>:<step>")>,
  // k = HMAC-SHA256(secret, "hadir office qr v1"): the same as hadir.domain.office_code.
  async function qrText(secret, workplace, step) {
    var enc = new TextEncoder();
    var key = await hmac("SHA-256", base32ToBytes(secret), enc.encode("hadir office qr v1"));
    var mac = await hmac("SHA-256", key, enc.encode(workplace + ":" + step));
    var hex = Array.from(mac.slice(0, 12), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
    return "hadir:oq1:" + workplace + ":" + step + ":" + hex;
  }

  function qrSvg(text) {
    var qr = qrcode(0, "M");
    qr.addData(text);
    qr.make();
    return qr.createSvgTag({ cellSize: 8, margin: 2, scalable: true });
  }

  function syncs() {
    try { return JSON.parse(localStorage.getItem(SYNCS)) || []; } catch (e) { return []; }
  }

  // The clock model: offset at the last sync, plus the drift rate measured between the last two
  // syncs (when they are far enough apart to mean anything).
  function clockModel(now) {
    var s = syncs();
    if (!s.length) return { offset: 0, uncertainty: null, last: null, rate: null };
    var last = s[s.length - 1], rate = null;
    if (s.length > 1 && last.at - s[0].at > 3600e3) {
      rate = (last.offset - s[0].offset) / (last.at - s[0].at);
      if (Math.abs(rate) > MAX_DRIFT) rate = null; // a clock set by hand, not a drift
    }
    var elapsed = Math.max(0, now - last.at);
    var offset = last.offset + (rate || 0) * elapsed;
    // What is not known: half the round trip, and the drift not yet measured (or its error).
    var uncertainty = last.rtt / 2 + (rate === null ? ASSUMED_DRIFT : ASSUMED_DRIFT / 5) * elapsed;
    return { offset: offset, uncertainty: uncertainty, last: last, rate: rate };
  }

  async function checkClock(timeUrl) {
    try {
      var before = Date.now();
      var res = await fetch(timeUrl, { cache: "no-store" });
      var body = await res.json();
      var after = Date.now();
      var offset = Date.parse(body.server_time) - (before + after) / 2;
      var s = syncs();
      var first = s.length ? s[0] : null;
      // Keep the oldest sync of the last days as the base for the drift rate.
      var base = first && after - first.at < 7 * 86400e3 ? first : s[s.length - 1];
      var entry = { at: after, offset: offset, rtt: after - before };
      localStorage.setItem(SYNCS, JSON.stringify(base ? [base, entry] : [entry]));
      return true;
    } catch (e) {
      return false;
    }
  }

  function formatAgo(ms, texts) {
    var minutes = Math.round(ms / 60000);
    if (minutes < 1) return texts.justNow;
    if (minutes < 120) return texts.minutesAgo.replace("{n}", minutes);
    var hours = Math.round(minutes / 60);
    if (hours < 48) return texts.hoursAgo.replace("{n}", hours);
    return texts.daysAgo.replace("{n}", Math.round(hours / 24));
  }

  function showClock(online, p, texts, els) {
    var model = clockModel(Date.now());
    els.status.textContent = online ? texts.online : texts.offline;
    if (!model.last) {
      els.sync.textContent = texts.neverSynced;
      els.warn.textContent = texts.mayBeOff;
      return;
    }
    var drift = Math.round(model.uncertainty / 1000);
    els.sync.textContent = texts.lastSync + " " + formatAgo(Date.now() - model.last.at, texts) +
      " · " + texts.drift.replace("{s}", drift);
    els.sync.dataset.uncertaintyS = String(model.uncertainty / 1000);
    var warnings = [];
    if (model.uncertainty > p.step * 1000) warnings.push(texts.driftTooLarge);
    if (Math.abs(model.offset) > 5000) {
      warnings.push(texts.clockOff + " " + Math.round(model.offset / 1000) + " s");
    }
    els.warn.textContent = warnings.join(" ");
  }

  async function start(options) {
    if (options.provision) {
      localStorage.setItem(STORE, JSON.stringify(options.provision));
      // The secret is now on this screen; the address bar must not keep a provisioning link.
      history.replaceState(null, "", "/office/screen/");
    }
    var stored = localStorage.getItem(STORE);
    var els = {
      status: document.getElementById("status"),
      sync: document.getElementById("sync"),
      warn: document.getElementById("warn"),
    };
    var texts = options.texts;
    if (!stored) { els.status.textContent = texts.notProvisioned; return; }
    var p = JSON.parse(stored);
    document.getElementById("name").textContent = p.name;
    var qrEl = document.getElementById("qr");
    var codeEl = document.getElementById("code");
    var bar = document.querySelector("#bar div");
    var shownStep = null, online = false;
    async function sync() {
      online = await checkClock(options.timeUrl);
      showClock(online, p, texts, els);
    }
    showClock(false, p, texts, els);
    sync();
    setInterval(sync, 300000);
    async function tick() {
      var now = (Date.now() + clockModel(Date.now()).offset) / 1000;
      var step = Math.floor(now / p.step);
      if (step !== shownStep) {
        shownStep = step;
        var code = await totpAtStep(p.secret, step, p.digits);
        qrEl.innerHTML = qrSvg(await qrText(p.secret, p.workplace, step));
        qrEl.hidden = false;
        codeEl.textContent = code;
        codeEl.dataset.code = code;
        codeEl.dataset.step = String(step);
      }
      bar.style.width = (100 * (1 - (now % p.step) / p.step)) + "%";
    }
    await tick();
    setInterval(tick, 250);
    setInterval(function () { showClock(online, p, texts, els); }, 30000);
  }

  return { start: start, totp: totp, qrText: qrText, clockModel: clockModel };
})();
