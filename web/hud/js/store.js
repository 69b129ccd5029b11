// IndexedDB persistence: a key-value store (device token, cached lists,
// task cards, machines) and the ordered queue of actions not yet delivered.
// Falls back to memory when IndexedDB is unavailable (some private modes).

const DB_NAME = 'visor-hud';
const DB_VERSION = 1;
let dbPromise = null;
const memory = { kv: new Map(), queue: [], seq: 0 };

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve) => {
      if (!self.indexedDB) return resolve(null);
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
        if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    });
  }
  return dbPromise;
}

function run(storeName, mode, fn) {
  return open().then((db) => {
    if (!db) return fn(null);
    return new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const result = fn(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(result instanceof IDBRequest ? result.result : result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  });
}

export const kv = {
  get: (key) => run('kv', 'readonly', (s) => (s ? s.get(key) : memory.kv.get(key))),
  set: (key, value) => run('kv', 'readwrite', (s) => (s ? s.put(value, key) : memory.kv.set(key, value))).then(() => value),
  del: (key) => run('kv', 'readwrite', (s) => (s ? s.delete(key) : memory.kv.delete(key))),
  clear: () => run('kv', 'readwrite', (s) => (s ? s.clear() : memory.kv.clear())),
};

export const queueStore = {
  all: () => run('queue', 'readonly', (s) => (s ? s.getAll() : [...memory.queue])),
  add: (item) => run('queue', 'readwrite', (s) => {
    if (s) return s.add(item);
    item.seq = ++memory.seq;
    memory.queue.push(item);
    return item.seq;
  }),
  del: (seq) => run('queue', 'readwrite', (s) => {
    if (s) return s.delete(seq);
    memory.queue = memory.queue.filter((i) => i.seq !== seq);
    return undefined;
  }),
  clear: () => run('queue', 'readwrite', (s) => (s ? s.clear() : (memory.queue = []))),
};
