// Office screen: shows the workplace's rotating code (TOTP, RFC 6238) as a QR code and digits.
// The secret is provisioned once into localStorage; after that the page needs no network,
// because remote offices lose connectivity. When online, it measures its clock offset against
// the server and applies it, since a TOTP is only as right as the clock that computes it.
"use strict";
var HadirOfficeScreen = (function () {
  var STORE = "hadir.office.provision";
  var OFFSET = "hadir.office.clockOffsetMs";

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

  async function totp(secret, unixSeconds, step, digits) {
    var counter = Math.floor(unixSeconds / step);
    var msg = new Uint8Array(8);
    for (var i = 7; i >= 0; i--) { msg[i] = counter & 255; counter = Math.floor(counter / 256); }
    var key = await crypto.subtle.importKey("raw", base32ToBytes(secret),
      { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    var mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, msg));
    var off = mac[mac.length - 1] & 15;
    var bin = ((mac[off] & 127) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
    return String(bin % Math.pow(10, digits)).padStart(digits, "0");
  }

  function qrSvg(text) {
    var qr = qrcode(0, "M");
    qr.addData(text);
    qr.make();
    return qr.createSvgTag({ cellSize: 8, margin: 2, scalable: true });
  }

  async function checkClock(timeUrl, texts, statusEl, warnEl) {
    try {
      var before = Date.now();
      var res = await fetch(timeUrl, { cache: "no-store" });
      var body = await res.json();
      var after = Date.now();
      var server = Date.parse(body.server_time);
      var offset = server - (before + after) / 2;
      localStorage.setItem(OFFSET, String(offset));
      statusEl.textContent = texts.online;
      warnEl.textContent = Math.abs(offset) > 5000
        ? texts.clockOff + " " + Math.round(offset / 1000) + " s" : "";
    } catch (e) {
      statusEl.textContent = texts.offline;
    }
  }

  async function start(options) {
    if (options.provision) {
      localStorage.setItem(STORE, JSON.stringify(options.provision));
      // The secret is now on this screen; the address bar must not keep a provisioning link.
      history.replaceState(null, "", "/office/screen/");
    }
    var stored = localStorage.getItem(STORE);
    var statusEl = document.getElementById("status");
    var warnEl = document.getElementById("warn");
    if (!stored) { statusEl.textContent = options.texts.notProvisioned; return; }
    var p = JSON.parse(stored);
    document.getElementById("name").textContent = p.name;
    var qrEl = document.getElementById("qr");
    var codeEl = document.getElementById("code");
    var bar = document.querySelector("#bar div");
    var shown = null;
    checkClock(options.timeUrl, options.texts, statusEl, warnEl);
    setInterval(function () { checkClock(options.timeUrl, options.texts, statusEl, warnEl); },
      300000);
    async function tick() {
      var now = (Date.now() + Number(localStorage.getItem(OFFSET) || 0)) / 1000;
      var code = await totp(p.secret, now, p.step, p.digits);
      if (code !== shown) {
        shown = code;
        qrEl.innerHTML = qrSvg("hadir:oc:" + p.workplace + ":" + code);
        qrEl.hidden = false;
        codeEl.textContent = code;
        codeEl.dataset.code = code;
      }
      bar.style.width = (100 * (1 - (now % p.step) / p.step)) + "%";
    }
    await tick();
    setInterval(tick, 250);
  }

  return { start: start, totp: totp };
})();
