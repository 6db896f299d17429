// Recordings made on the page, kept in this browser (IndexedDB) from before their upload starts
// until Hark has accepted them: a lost connection, a stopped server or a reload loses nothing.
// Each is kept under the signed-in user's name, so another person on the same browser never sees it.
// Where IndexedDB is not available (some private windows), nothing is kept and every call still works.

const DB_NAME = 'hark';
const STORE = 'recordings';
const VERSION = 1;

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (!window.indexedDB) {
        reject(new Error('IndexedDB is not available'));
        return;
      }
      const request = indexedDB.open(DB_NAME, VERSION);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
        store.createIndex('user', 'user');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    opening.catch(() => {
      opening = null;
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

async function store(mode) {
  const db = await open();
  return db.transaction(STORE, mode).objectStore(STORE);
}

/** Whether a recording can be kept at all in this browser. */
export async function available() {
  try {
    await open();
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps a recording: { user, blob, type, name, title, created (ms), key (the upload's
 * Idempotency-Key) }. Answers its id, or null when it could not be kept.
 */
export async function keep(recording) {
  try {
    return await done((await store('readwrite')).add({ ...recording }));
  } catch {
    return null;
  }
}

/** The user's kept recordings, oldest first. */
export async function list(user) {
  try {
    const all = await done((await store('readonly')).index('user').getAll(user));
    return all.sort((a, b) => a.created - b.created);
  } catch {
    return [];
  }
}

/** Notes why the last upload of a kept recording did not go through (shown again after a reload). */
export async function note(id, fields) {
  if (id == null) return;
  try {
    const kept = await store('readwrite');
    const recording = await done(kept.get(id));
    if (recording) await done(kept.put({ ...recording, ...fields }));
  } catch {
    // Only the reason would be lost.
  }
}

export async function remove(id) {
  if (id == null) return;
  try {
    await done((await store('readwrite')).delete(id));
  } catch {
    // Nothing to do: it stays until the next discard.
  }
}

/** Forgets every recording of the user (their account is deleted). */
export async function removeAll(user) {
  try {
    const kept = await store('readwrite');
    const ids = await done(kept.index('user').getAllKeys(user));
    await Promise.all(ids.map((id) => done(kept.delete(id))));
  } catch {
    // Nothing more can be done from here.
  }
}
