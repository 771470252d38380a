// The device key (ECDSA P-256, WebCrypto, private key non-extractable) and the encodings the
// server expects (docs/api.md): SPKI base64 at enrolment, key id = first 32 hex of SHA-256 of
// the SPKI, signatures as raw r||s in standard base64, over the exact body bytes.
const encoder = new TextEncoder();

export function b64(bytes) {
  let text = "";
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i++) text += String.fromCharCode(view[i]);
  return btoa(text);
}

export function b64url(bytes) {
  return b64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256hex(text) {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

export async function newDeviceKey() {
  const pair = await crypto.subtle.generateKey(
    { name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"],
  );
  const spki = await crypto.subtle.exportKey("spki", pair.publicKey);
  const keyId = hex(await crypto.subtle.digest("SHA-256", spki)).slice(0, 32);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, spki: b64(spki), keyId };
}

export async function sign(privateKey, text) {
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" }, privateKey, encoder.encode(text),
  );
  return b64(signature);
}

export function randomId() {
  return b64url(crypto.getRandomValues(new Uint8Array(16)));
}
