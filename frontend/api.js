// Every call the page makes to Hark's API, and plain words for what can go wrong.
// The sign-in token lives in an HttpOnly cookie the server sets: the page never sees it,
// and same-origin requests (fetch, XHR, EventSource) carry it by themselves.

const NETWORK = 'Could not reach Hark. Check your connection and try again.';

// Used only when the server's answer carries no message of its own (e.g. a proxy's HTML page).
const FALLBACK = {
  400: 'Hark could not use that request.',
  401: 'Please sign in again.',
  403: 'That voice note is not yours.',
  404: 'Not found.',
  409: 'That is not possible right now.',
  413: 'That file is too large to upload.',
  415: 'That file type is not supported. Choose an audio file (MP3, WAV, M4A, WebM, OGG, FLAC, Opus or AAC).',
  429: 'Too many uploads for now. Please wait a moment before the next one.',
};

const UPLOAD_FALLBACK = { ...FALLBACK, 400: 'Choose an audio file to upload: the file was missing or empty.' };

export class ApiError extends Error {
  constructor(message, status, extra = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    Object.assign(this, extra);
  }
}

let signedOutHandler = () => {};

/** Called with the server's message whenever an API call says the session is gone (401). */
export function onSignedOut(handler) {
  signedOutHandler = handler;
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfterSeconds(header) {
  if (!header) return null;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function waitWords(seconds) {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** The server's own message when it sent one, else ours. */
export function messageFor(status, body, { fallbacks = FALLBACK, retryAfter = null } = {}) {
  const own = body && typeof body.error === 'string' && body.error.trim();
  let message = own
    || fallbacks[status]
    || (status >= 500
      ? `Hark had a problem (HTTP ${status}). Please try again in a moment.`
      : `Something went wrong (HTTP ${status}).`);
  // The server's own 429 message may say when already; say it only if it does not.
  if (status === 429 && retryAfter != null && !/try again in/i.test(message)) {
    message = `${message.replace(/[.!]?\s*$/, '.')} You can try again in ${waitWords(retryAfter)}.`;
  }
  return message;
}

function failure(status, body, options = {}) {
  const retryAfter = retryAfterSeconds(options.retryAfterHeader);
  const err = new ApiError(messageFor(status, body, { ...options, retryAfter }), status, { retryAfter });
  if (status === 401 && !options.quiet401) {
    err.signedOut = true;
    signedOutHandler(err.message);
  }
  return err;
}

/**
 * One request; answers { status, ok, body (parsed JSON or null), text } for any HTTP status,
 * and throws an ApiError with status 0 only when the server could not be reached.
 */
async function send(path, { method = 'GET', json, accept = 'application/json', quiet401 = false, signal } = {}) {
  const headers = { Accept: accept };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (signal && signal.aborted) throw err; // given up on purpose: not a network problem
    throw new ApiError(NETWORK, 0);
  }
  const text = await res.text().catch(() => '');
  const answer = { status: res.status, ok: res.ok, body: parseJson(text), text, headers: res.headers };
  if (res.status === 401 && !quiet401) failure(401, answer.body);
  return answer;
}

async function expectOk(path, options = {}) {
  const answer = await send(path, options);
  if (!answer.ok) throw refusal(answer, options);
  return answer;
}

/** The error for a refused answer; send() has already announced a 401 when it should. */
function refusal(answer, options = {}) {
  const err = failure(answer.status, answer.body, {
    quiet401: true,
    retryAfterHeader: answer.headers.get('Retry-After'),
  });
  if (answer.status === 401 && !options.quiet401) err.signedOut = true;
  return err;
}

// --- accounts --------------------------------------------------------------------------------

/** Who is signed in, or null. */
export async function whoAmI() {
  const answer = await send('/api/auth/me', { quiet401: true });
  if (answer.status === 401) return null;
  if (!answer.ok) throw refusal(answer, { quiet401: true });
  return answer.body;
}

// A 401 here means a wrong password, not an expired session, so it must not trigger the sign-out path.
export async function signIn(username, password) {
  return (await expectOk('/api/auth/login', { method: 'POST', json: { username, password }, quiet401: true })).body;
}

export async function register(username, password) {
  return (await expectOk('/api/auth/register', { method: 'POST', json: { username, password }, quiet401: true })).body;
}

export async function signOut() {
  await send('/api/auth/logout', { method: 'POST', quiet401: true });
}

/** Erases the account and everything in it; the password is asked again. */
export async function eraseAccount(password) {
  await expectOk('/api/auth/me', { method: 'DELETE', json: { password } });
}

// --- voice notes -----------------------------------------------------------------------------

const nodePath = (id) => `/api/nodes/${encodeURIComponent(id)}`;

export const statusPath = (id) => `${nodePath(id)}/transcription-status`;
export const eventsPath = (id) => `${nodePath(id)}/transcription-events`;

/** The status answer for any HTTP status: the follower decides what a 404 or 403 means. */
export function fetchStatus(id) {
  return send(statusPath(id));
}

/**
 * The caller's voice notes, newest first; with q, only those whose transcript or title has the
 * words, best match first, each with a highlighted snippet.
 */
export async function listNodes({ page = 0, size = 20, q = '', signal } = {}) {
  const query = new URLSearchParams({ page: String(page), size: String(size) });
  if (q) query.set('q', q);
  return (await expectOk(`/api/nodes?${query}`, { signal })).body;
}

/** Cancels the node's pending or running transcription; the stages stop working on it shortly after. */
export async function cancelTranscription(id) {
  const answer = await send(`${nodePath(id)}/transcription`, { method: 'DELETE' });
  if (!answer.ok) throw refusal(answer);
  return answer.body;
}

/** Erases the note, its recording and its transcript, everywhere in Hark. Deleted already is fine. */
export async function deleteNode(id) {
  const answer = await send(nodePath(id), { method: 'DELETE' });
  if (!answer.ok && answer.status !== 404) throw refusal(answer);
}

export async function retryTranscription(id) {
  const answer = await send(`${nodePath(id)}/transcription/retry`, { method: 'POST' });
  // A server without the endpoint answers 405, or a 404 about the path (Spring: "No static resource");
  // a 404 of the endpoint itself (e.g. "Node 5 has no audio") is said as it is.
  const ownWords = answer.body && typeof answer.body.error === 'string' ? answer.body.error : '';
  if (answer.status === 405 || (answer.status === 404 && (!ownWords || /static resource/i.test(ownWords)))) {
    throw new ApiError('Retry is not available on this server yet.', answer.status);
  }
  if (!answer.ok) throw refusal(answer);
  return answer.body;
}

// --- issue 21: names, the player, the timed transcript ---------------------------------------

/** The node itself (its title among other things). */
export async function getNode(id) {
  return (await expectOk(nodePath(id))).body;
}

/** Gives the note a new name; answers the node with it. */
export async function renameNode(id, title) {
  const answer = await send(nodePath(id), { method: 'PATCH', json: { title } });
  if (answer.status === 405) throw new ApiError('Renaming is not available on this server yet.', 405);
  if (!answer.ok) throw refusal(answer);
  return answer.body;
}

/** Where the recording streams from (range requests, so a player can seek). */
export function audioHref(id) {
  return `${nodePath(id)}/audio`;
}

/** The HTTP status of the recording (404: none, 410: removed after the retention period), 0 unreachable. */
export async function audioStatus(id) {
  try {
    const res = await fetch(audioHref(id), {
      method: 'HEAD', credentials: 'same-origin', cache: 'no-store',
    });
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * The transcript with its timed segments: { ok, later, body } where body is
 * { text, language, segments: [{ start, end, text }] }; later when it is worth asking again.
 */
export async function transcriptWithTimes(id) {
  let answer;
  try {
    answer = await send(`${nodePath(id)}/transcript?format=json`);
  } catch {
    return { ok: false, later: true };
  }
  const body = answer.body;
  if (answer.ok && body && typeof body === 'object') return { ok: true, body };
  return { ok: false, later: answer.status === 409 || answer.status >= 500 };
}

/** Where to download the transcript: txt, srt or vtt, as an attachment. */
export function transcriptHref(id, format) {
  return `${nodePath(id)}/transcript?format=${format}&download=true`;
}

/**
 * Whether subtitles exist: 'yes', 'no' (the engine gave no timestamps), or 'later'
 * (the server is still putting them together, or could not be asked).
 */
export async function subtitlesAvailable(id) {
  let answer;
  try {
    answer = await send(`${nodePath(id)}/transcript?format=vtt`, { accept: 'text/vtt' });
  } catch {
    return 'later';
  }
  if (answer.ok) return 'yes';
  if (answer.status === 409 || answer.status >= 500) return 'later';
  return 'no';
}

/**
 * Uploads one recording (a File or Blob, sent under name) as the form field audio_file, with an
 * optional title, and an Idempotency-Key when key is given: sending the same recording again after a
 * lost answer then answers the note the first try made instead of making a second one.
 * XMLHttpRequest rather than fetch, because only XHR reports upload progress.
 * Answers { done: Promise<node>, abort() }; a refusal is an ApiError with the HTTP status (0: the
 * server was not reached or the connection was lost).
 */
export function uploadAudio(file, onProgress, { name = file.name, title = null, key = null } = {}) {
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.open('POST', '/api/nodes');
    xhr.setRequestHeader('Accept', 'application/json');
    if (key) xhr.setRequestHeader('Idempotency-Key', key);
    xhr.upload.addEventListener('progress', (e) => {
      onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    });
    xhr.addEventListener('load', () => {
      const body = parseJson(xhr.responseText);
      // 200: a repeated upload (same Idempotency-Key) answers the note its first try made.
      const accepted = xhr.status === 201 || xhr.status === 200;
      if (accepted && body && body.id != null) return resolve(body);
      if (accepted) {
        return reject(new ApiError('The upload arrived, but Hark\'s answer was not understood. Reload the page to see it in your list.', xhr.status));
      }
      reject(failure(xhr.status, body, {
        fallbacks: UPLOAD_FALLBACK,
        retryAfterHeader: xhr.getResponseHeader('Retry-After'),
      }));
    });
    // A server that refuses a big file early (413) may cut the connection before answering.
    xhr.addEventListener('error', () => reject(new ApiError(
      'The upload did not go through: the connection to Hark was lost. Check your connection and try again'
      + ' (a very large file may be over Hark\'s size limit).', 0)));
    xhr.addEventListener('abort', () => reject(new ApiError('Upload cancelled.', 0, { cancelled: true })));

    const form = new FormData();
    // The title first: the server reads the fields before the file's bytes.
    if (title) form.append('title', title);
    form.append('audio_file', file, name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
