// Reading the office screen's QR code with the camera: BarcodeDetector where the browser has
// it, else the vendored jsQR (loaded only then). Returns the text, or null if closed.
let jsQRLoading = null;

function loadJsQR() {
  if (!jsQRLoading) {
    jsQRLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/static/pwa/vendor/jsQR.js";
      script.onload = () => resolve(window.jsQR);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return jsQRLoading;
}

async function detector() {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const native = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async (video) => {
          const found = await native.detect(video);
          return found.length ? found[0].rawValue : null;
        };
      }
    } catch (e) { /* fall through to jsQR */ }
  }
  const jsQR = await loadJsQR();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    const w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    const scale = Math.min(1, 640 / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  };
}

export async function scan(video, isWanted, signal) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment" }, audio: false,
  });
  try {
    video.srcObject = stream;
    await video.play();
    const read = await detector();
    while (!signal.aborted) {
      const text = await read(video);
      if (text && isWanted(text)) return text;
      await new Promise((r) => setTimeout(r, 200));
    }
    return null;
  } finally {
    stream.getTracks().forEach((t) => t.stop());
    video.srcObject = null;
  }
}

// hadir:oq1:<workplace>:<step>:<mac> (carries its time), or hadir:oc:<workplace>:<digits>.
export function readOfficeQr(text) {
  let m = /^hadir:oq1:([^:\s]{1,40}):([0-9]{1,12}):([0-9a-f]{24})$/.exec(text);
  if (m) return { qr: text, workplace: m[1], step: Number(m[2]) };
  m = /^hadir:oc:([^:\s]{1,40}):([0-9]{4,10})$/.exec(text);
  if (m) return { code: m[2], workplace: m[1] };
  return null;
}
