// The employee app's service worker: the app shell from the cache (the app opens without
// network), the queue sent by Background Sync, and Web Push for presence checks.
// Served by hadir.pwa.views.service_worker, which fills in VERSION and FILES.
import { flush } from "/static/pwa/events.js";

const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = "hadir-app-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("hadir-app-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  const key = event.request.mode === "navigate" && url.pathname.startsWith("/app/")
    && !url.pathname.startsWith("/app/coba") ? "/app/" : event.request;
  event.respondWith((async () => {
    const cached = await caches.match(key, { ignoreSearch: true });
    return cached || fetch(event.request);
  })());
});

async function sendQueue() {
  const { sent } = await flush();
  if (sent.length) {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) client.postMessage({ type: "queue-sent", count: sent.length });
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === "hadir-queue") event.waitUntil(sendQueue());
});

self.addEventListener("push", (event) => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (e) { message = {}; }
  event.waitUntil((async () => {
    // Every open window of the app, also one this worker does not control yet.
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) client.postMessage(message);
    await self.registration.showNotification(message.title || "Hadir", {
      body: message.body || "",
      tag: String(message.id || "hadir"),
      data: { url: message.url || "/app/" },
      icon: "/static/pwa/icons/icon-192.png",
      requireInteraction: true,
    });
  })());
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/app/";
  event.waitUntil((async () => {
    for (const client of await self.clients.matchAll({ type: "window" })) {
      if (new URL(client.url).pathname.startsWith("/app/")) {
        await client.focus();
        return client.navigate(url);
      }
    }
    return self.clients.openWindow(url);
  })());
});
