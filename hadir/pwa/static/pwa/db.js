// IndexedDB in a few promises. Stores: "kv" (session, profile cache, device keys by employee)
// and "outbox" (signed events, oldest first by their auto-increment id). CryptoKey objects are
// stored as they are: the private key is non-extractable and never leaves the browser.
const NAME = "hadir";
const VERSION = 1;
let opening = null;

export function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
        if (!db.objectStoreNames.contains("outbox")) {
          const outbox = db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
          outbox.createIndex("state", "state");
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
}

export async function get(store, key) {
  const db = await open();
  return done(db.transaction(store).objectStore(store).get(key));
}

export async function put(store, value, key) {
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  const result = done(tx.objectStore(store).put(value, key));
  await finished(tx);
  return result;
}

export async function del(store, key) {
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  return finished(tx);
}

export async function all(store) {
  const db = await open();
  return done(db.transaction(store).objectStore(store).getAll());
}

// Several writes in one transaction: all land, or none (a crash mid-way leaves the old state).
export async function writeAll(writes) {
  const db = await open();
  const stores = [...new Set(writes.map((w) => w.store))];
  const tx = db.transaction(stores, "readwrite");
  const results = writes.map((w) => done(tx.objectStore(w.store).put(w.value, w.key)));
  await finished(tx);
  return Promise.all(results);
}
