// Hark front end: upload an audio file, then follow its transcription job.

const POLL_MS = 2000;

const $ = (id) => document.getElementById(id);
const els = {
  signInForm: $('sign-in-form'),
  username: $('username'),
  password: $('password'),
  registerButton: $('register-button'),
  accountRow: $('account-row'),
  signedInAs: $('signed-in-as'),
  signOutButton: $('sign-out-button'),
  form: $('upload-form'),
  file: $('audio-file'),
  uploadButton: $('upload-button'),
  uploadRow: $('upload-row'),
  uploadProgress: $('upload-progress'),
  uploadPercent: $('upload-percent'),
  error: $('error'),
  statusSection: $('status-section'),
  statusText: $('status-text'),
  progressBar: $('progress-bar'),
  progressPercent: $('progress-percent'),
  transcriptSection: $('transcript-section'),
  transcript: $('transcript'),
  copyButton: $('copy-button'),
  copyStatus: $('copy-status'),
};

const UPLOAD_FALLBACKS = {
  400: 'Please choose an audio file to upload.',
  401: 'Please sign in again.',
  429: 'Too many uploads at once. Please wait a moment and try again.',
  413: 'That file is too large to upload.',
  415: 'That file type is not supported. Please choose an audio file.',
};

// Bumped whenever we start following a different node, so stale poll loops stop themselves.
let followToken = 0;

function showError(message) {
  els.error.textContent = message;
  els.error.hidden = false;
}

function clearError() {
  els.error.textContent = '';
  els.error.hidden = true;
}

function setPercent(bar, label, value) {
  const pct = Math.max(0, Math.min(100, Math.round(Number(value) || 0)));
  bar.value = pct;
  label.textContent = `${pct}%`;
}

function describeStatus(s) {
  switch (s.status) {
    case 'pending':
      return 'Waiting in queue...';
    case 'processing':
      return s.task_info?.message
        ? `Transcribing audio... ${s.task_info.message}`
        : 'Transcribing audio...';
    case 'completed':
      return 'Complete!';
    case 'failed':
      return s.error ? `Transcription failed: ${s.error}` : 'Transcription failed';
    default:
      return `Status: ${s.status ?? 'unknown'}`;
  }
}

function nodeIdFromHash() {
  const match = /^#node=(\d+)$/.exec(location.hash);
  return match ? Number(match[1]) : null;
}

function upload(file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/nodes');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) setPercent(els.uploadProgress, els.uploadPercent, (e.loaded / e.total) * 100);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201 && xhr.response?.id != null) return resolve(xhr.response);
      // Prefer the server's wording; fall back when the body isn't our JSON (e.g. a proxy page).
      const message = xhr.response?.error
        || UPLOAD_FALLBACKS[xhr.status]
        || `Upload failed (HTTP ${xhr.status}). Please try again.`;
      reject(Object.assign(new Error(message), { status: xhr.status }));
    });
    xhr.addEventListener('error', () => reject(new Error('Could not reach the server. Check your connection and try again.')));
    xhr.addEventListener('abort', () => reject(new Error('The upload was cancelled.')));

    const body = new FormData();
    body.append('audio_file', file);
    xhr.send(body);
  });
}

async function onSubmit(event) {
  event.preventDefault();
  clearError();
  const file = els.file.files[0];
  if (!file) {
    showError(UPLOAD_FALLBACKS[400]);
    els.file.focus();
    return;
  }

  els.uploadButton.disabled = true;
  els.uploadRow.hidden = false;
  setPercent(els.uploadProgress, els.uploadPercent, 0);
  try {
    const node = await upload(file);
    setPercent(els.uploadProgress, els.uploadPercent, 100);
    els.form.reset();
    // Setting the hash fires hashchange, which follows the node; if it is unchanged, follow directly.
    if (nodeIdFromHash() === node.id) follow(node.id);
    else location.hash = `node=${node.id}`;
  } catch (err) {
    if (err.status === 401) signedOut();
    showError(err.message);
    els.uploadRow.hidden = true;
  } finally {
    els.uploadButton.disabled = false;
  }
}

function render(s) {
  els.statusText.textContent = describeStatus(s);
  // A finished job may report a stale progress number; the bar should read full.
  setPercent(els.progressBar, els.progressPercent, s.status === 'completed' ? 100 : s.progress);
  if (s.status === 'completed') {
    els.transcript.textContent = s.content ?? '';
    els.copyStatus.textContent = '';
    els.transcriptSection.hidden = false;
  }
}

async function follow(nodeId) {
  const token = ++followToken;
  clearError();
  els.statusSection.hidden = false;
  els.transcriptSection.hidden = true;
  els.statusText.textContent = 'Checking status...';
  setPercent(els.progressBar, els.progressPercent, 0);

  // The status view learns of an upload from the event log a moment after the upload answers,
  // so a 404 in the first seconds means "not seen yet", not "gone".
  const notFoundUntil = Date.now() + 15000;
  while (token === followToken) {
    try {
      const res = await fetch(`/api/nodes/${nodeId}/transcription-status`, { headers: { Accept: 'application/json' } });
      if (token !== followToken) return;
      if (res.status === 404 && Date.now() < notFoundUntil) {
        els.statusText.textContent = 'Waiting in queue...';
      } else if (res.status === 404) {
        els.statusText.textContent = '';
        showError(`Voice note ${nodeId} was not found.`);
        return;
      } else {
        if (res.status === 401) return signedOut('Please sign in again.');
        if (res.status === 403) return showError(`Voice note ${nodeId} is not yours.`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const status = await res.json();
        if (token !== followToken) return;
        clearError();
        render(status);
        if (status.status === 'completed' || status.status === 'failed') return;
      }
    } catch {
      // Transient hiccups shouldn't abandon a long job; say so and keep trying.
      if (token !== followToken) return;
      showError('Having trouble reaching the server. Still trying...');
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function copyTranscript() {
  try {
    await navigator.clipboard.writeText(els.transcript.textContent);
    els.copyStatus.textContent = 'Copied to clipboard.';
  } catch {
    // Clipboard needs a secure context and permission; point to the manual route instead.
    els.copyStatus.textContent = 'Could not copy automatically. Select the text and copy it manually.';
  }
}

function onHashChange() {
  const id = nodeIdFromHash();
  if (id != null) {
    follow(id);
  } else {
    followToken++;
    els.statusSection.hidden = true;
    els.transcriptSection.hidden = true;
  }
}

// Accounts: the token lives in an HttpOnly cookie the server sets, so this page never touches it.
function signedIn(username) {
  els.signInForm.hidden = true;
  els.form.hidden = false;
  els.accountRow.hidden = false;
  els.signedInAs.textContent = `Signed in as ${username}`;
  onHashChange();
}

function signedOut(message) {
  followToken++;
  els.signInForm.hidden = false;
  els.form.hidden = true;
  els.accountRow.hidden = true;
  els.statusSection.hidden = true;
  els.transcriptSection.hidden = true;
  if (message) showError(message);
}

async function authenticate(path) {
  clearError();
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: els.username.value.trim(), password: els.password.value }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return showError(body.error || `Could not sign in (HTTP ${res.status}).`);
  els.password.value = '';
  signedIn(body.username);
}

async function checkSession() {
  const res = await fetch('/api/auth/me').catch(() => null);
  if (res?.ok) signedIn((await res.json()).username);
  else signedOut();
}

els.signInForm.addEventListener('submit', (e) => { e.preventDefault(); authenticate('/api/auth/login'); });
els.registerButton.addEventListener('click', () => authenticate('/api/auth/register'));
els.signOutButton.addEventListener('click', async () => {
  await fetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
  signedOut();
});
els.form.addEventListener('submit', onSubmit);
els.copyButton.addEventListener('click', copyTranscript);
window.addEventListener('hashchange', onHashChange);
checkSession();
