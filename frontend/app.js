// Hark's page: sign in, record or upload a voice note, follow its transcription, read it.
// The note being followed is in the address (#node=<id>), so a reload keeps following it.

import * as api from './api.js';
import { follow } from './follow.js';
import { createHistory } from './history.js';
import { formatClock, microphoneProblem, recordingSupported, startRecording } from './recorder.js';
import * as view from './view.js';

const { els } = view;

const state = {
  user: null, // the signed-in user's name
  nodeId: null, // the note shown, as a string
  last: null, // its latest status
  follower: null,
  probeTimer: null,
  upload: null, // the upload under way
  recording: null, // the recording under way
  dropped: null, // a dropped file, where the browser would not put it into the file input
};

const notes = createHistory({
  list: els.history,
  note: els.historyNote,
  more: els.historyMore,
  onOpen: (id) => showNode(id, { focus: true }),
});

/** Shows an error unless the sign-in form already says what happened. */
function report(err, source) {
  if (err && err.signedOut) return;
  view.showMessage(err && err.message ? err.message : String(err), { source });
}

function refreshBusy() {
  view.setBusy({ recording: Boolean(state.recording), uploading: Boolean(state.upload) });
}

/** Keyboard users keep their place: when the focused control disappears, focus goes to target. */
function keepFocus(target) {
  const active = document.activeElement;
  if (!active || active === document.body || active.closest('[hidden]') || active.disabled) target.focus();
}

// --- accounts ----------------------------------------------------------------------------------

function signedIn(username) {
  state.user = username;
  els.loading.hidden = true;
  els.signInForm.hidden = true;
  els.accountRow.hidden = false;
  els.signedInAs.textContent = `Signed in as ${username}`;
  els.uploadForm.hidden = false;
  els.historySection.hidden = false;
  refreshBusy();
  notes.start();
  openFromHash();
}

function signedOut(message) {
  state.user = null;
  stopFollowing();
  if (state.upload) state.upload.abort();
  if (state.recording) state.recording.cancel();
  notes.stop();
  view.hideStatus();
  els.loading.hidden = true;
  els.uploadForm.hidden = true;
  els.historySection.hidden = true;
  els.accountRow.hidden = true;
  els.signInForm.hidden = false;
  if (message) view.showMessage(message, { source: 'auth' });
  else view.clearMessage();
  keepFocus(els.username);
}

// Any API call that finds the session gone lands here; the address keeps the note for after sign-in.
api.onSignedOut((message) => signedOut(message || 'Please sign in again.'));

function setAuthBusy(busy) {
  els.signInButton.disabled = busy;
  els.registerButton.disabled = busy;
}

async function authenticate(action) {
  const username = els.username.value.trim();
  const password = els.password.value;
  if (!username || !password) {
    view.showMessage('Enter your user name and a password.', { source: 'auth' });
    (username ? els.password : els.username).focus();
    return;
  }
  view.clearMessage();
  setAuthBusy(true);
  try {
    const who = await (action === 'register' ? api.register : api.signIn)(username, password);
    els.password.value = '';
    signedIn((who && who.username) || username);
    keepFocus(els.recordButton.disabled ? els.dropZone : els.recordButton);
  } catch (err) {
    view.showMessage(err.message, { source: 'auth' });
  } finally {
    setAuthBusy(false);
  }
}

async function signOutClicked() {
  els.signOutButton.disabled = true;
  try {
    await api.signOut();
  } catch (err) {
    // The cookie is only cleared by the server; staying "signed in" is the honest answer.
    view.showMessage(`Could not sign out: ${err.message}`);
    return;
  } finally {
    els.signOutButton.disabled = false;
  }
  history.replaceState(null, '', location.pathname + location.search);
  signedOut();
  els.username.focus();
}

async function checkSession() {
  try {
    const who = await api.whoAmI();
    if (who) signedIn(who.username);
    else signedOut();
  } catch (err) {
    signedOut(err.message);
  }
}

// --- following a note --------------------------------------------------------------------------

function hashNodeId() {
  const match = /^#node=([A-Za-z0-9_-]+)$/.exec(location.hash);
  return match ? match[1] : null;
}

function openFromHash() {
  const id = hashNodeId();
  if (id) openNode(id);
  else closeNode();
}

/** Opens a note and puts it in the address (a new history entry, so Back returns to the last one). */
function showNode(id, { focus = false } = {}) {
  openNode(id);
  if (hashNodeId() !== String(id)) location.hash = `node=${id}`;
  if (focus) {
    els.statusHeading.focus({ preventScroll: true });
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    els.statusSection.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' });
  }
}

function stopFollowing() {
  if (state.follower) state.follower.stop();
  state.follower = null;
  clearTimeout(state.probeTimer);
}

function closeNode() {
  stopFollowing();
  state.nodeId = null;
  state.last = null;
  notes.setCurrent(null);
  view.hideStatus();
}

function openNode(id, options = {}) {
  stopFollowing();
  id = String(id);
  state.nodeId = id;
  state.last = null;
  view.clearMessage();
  view.statusStarting(id);
  view.setDownloads({ txt: api.transcriptHref(id, 'txt') });
  notes.setCurrent(id);
  state.follower = follow(id, {
    onStatus: (status) => onStatus(id, status),
    onWaiting: () => view.statusWaiting(),
    onTrouble: (message) => (message
      ? view.showMessage(message, { source: 'follow' })
      : view.clearMessage('follow')),
    onGone: (message) => {
      view.hideStatus();
      notes.setCurrent(null);
      view.showMessage(message, { source: 'follow' });
    },
    onSignedOut: () => {}, // the API module has shown the sign-in form already
  }, options);
}

function onStatus(id, status) {
  if (state.nodeId !== id) return;
  const changed = !state.last || state.last.status !== status.status;
  state.last = status;
  view.renderStatus(status);
  notes.update(status);
  if (!changed) return;
  notes.refreshSoon();
  if (status.status === 'completed') probeSubtitles(id, 0);
}

/** SRT/VTT links only when the engine gave timestamps; asked once, again a little later if not ready. */
async function probeSubtitles(id, attempt) {
  const answer = await api.subtitlesAvailable(id);
  if (state.nodeId !== id || !state.last || state.last.status !== 'completed') return;
  if (answer === 'yes') {
    view.setDownloads({ srt: api.transcriptHref(id, 'srt'), vtt: api.transcriptHref(id, 'vtt') });
  } else if (answer === 'later' && attempt < 5) {
    state.probeTimer = setTimeout(() => probeSubtitles(id, attempt + 1), 3000);
  }
}

async function retryClicked() {
  const id = state.nodeId;
  const failed = state.last;
  if (!id) return;
  els.retryButton.disabled = true;
  view.clearMessage();
  try {
    await api.retryTranscription(id);
    // Until the new attempt shows up, the status still says the old one failed: not the news.
    openNode(id, {
      isStale: (s) => s.status === 'failed' && (!failed || s.completed_at === failed.completed_at),
    });
    notes.refreshSoon();
    keepFocus(els.statusHeading);
  } catch (err) {
    report(err);
  } finally {
    els.retryButton.disabled = false;
  }
}

// --- upload ------------------------------------------------------------------------------------

function chosenFile() {
  return (els.file.files && els.file.files[0]) || state.dropped;
}

function chooseFile(file) {
  state.dropped = null;
  try {
    // Putting a dropped file into the input keeps one source of truth for "the chosen file".
    const transfer = new DataTransfer();
    transfer.items.add(file);
    els.file.files = transfer.files;
  } catch {
    state.dropped = file;
  }
  view.showChosenFile(file);
}

function clearChosen() {
  state.dropped = null;
  els.file.value = '';
  view.showChosenFile(null);
}

async function upload(file) {
  if (state.upload || !state.user) return;
  if (file.size === 0) {
    view.showMessage('That file is empty. Choose another one.', { source: 'upload' });
    return;
  }
  view.clearMessage();
  const job = api.uploadAudio(file, (loaded, total) => view.uploadProgress(loaded, total));
  state.upload = job;
  view.uploadStarted();
  refreshBusy();
  keepFocus(els.cancelUploadButton);
  try {
    const node = await job.done;
    clearChosen();
    showNode(node.id);
    notes.refreshSoon();
  } catch (err) {
    if (!state.user) return; // signed out meanwhile: the sign-in form says so
    if (err.cancelled) view.showMessage('Upload cancelled.', { source: 'upload', kind: 'info' });
    else report(err, 'upload');
  } finally {
    if (state.upload === job) state.upload = null;
    view.uploadEnded();
    refreshBusy();
    if (state.user) keepFocus(state.nodeId && !els.statusSection.hidden ? els.statusHeading : els.uploadButton);
  }
}

function uploadSubmitted(event) {
  event.preventDefault();
  const file = chosenFile();
  if (!file) {
    view.showMessage('Choose an audio file first, or record one.', { source: 'upload' });
    els.dropZone.focus();
    return;
  }
  upload(file);
}

function dropZoneDisabled() {
  return els.dropZone.getAttribute('aria-disabled') === 'true';
}

function openPicker() {
  if (!dropZoneDisabled()) els.file.click();
}

function wireDropZone() {
  const zone = els.dropZone;
  zone.addEventListener('click', openPicker);
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault(); // Space would scroll the page
      openPicker();
    }
  });
  const over = (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = dropZoneDisabled() ? 'none' : 'copy';
    zone.classList.toggle('drag-over', !dropZoneDisabled());
  };
  zone.addEventListener('dragenter', over);
  zone.addEventListener('dragover', over);
  zone.addEventListener('dragleave', (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove('drag-over');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('drag-over');
    const files = e.dataTransfer.files;
    if (dropZoneDisabled() || !files || !files.length) return;
    view.clearMessage('upload');
    chooseFile(files[0]);
    if (files.length > 1) {
      view.showMessage(`Only one file at a time: ${files[0].name} is chosen.`, { source: 'upload', kind: 'info' });
    }
    els.uploadButton.focus();
  });
  // A file dropped beside the zone would make the browser open it and leave the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

// --- recording ---------------------------------------------------------------------------------

function setUpRecording() {
  if (recordingSupported()) return;
  els.recordButton.dataset.unsupported = 'true';
  els.recordButton.disabled = true;
  els.recordHint.textContent = window.isSecureContext
    ? 'This browser cannot record audio. Choose a file instead.'
    : 'Recording needs a secure (https://) page in this browser. Choose a file instead.';
}

async function recordClicked() {
  if (state.recording || state.upload) return;
  view.clearMessage();
  let recording;
  try {
    els.recordTimer.textContent = formatClock(0);
    recording = await startRecording({ onTick: (ms) => { els.recordTimer.textContent = formatClock(ms); } });
  } catch (err) {
    view.showMessage(microphoneProblem(err), { source: 'record' });
    return;
  }
  if (!state.user) {
    recording.cancel();
    return;
  }
  state.recording = recording;
  refreshBusy();
  els.stopButton.focus();
  let file = null;
  try {
    file = await recording.finished;
  } catch (err) {
    view.showMessage(err.message, { source: 'record' });
  }
  state.recording = null;
  refreshBusy();
  if (file && state.user) upload(file);
  else if (state.user) keepFocus(els.recordButton);
}

// --- transcript --------------------------------------------------------------------------------

async function copyClicked() {
  const text = els.transcript.textContent;
  try {
    await navigator.clipboard.writeText(text);
    els.copyStatus.textContent = 'Copied to clipboard.';
    return;
  } catch {
    // No clipboard API outside secure pages, or no permission: select the text instead.
  }
  view.selectTranscript();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  els.copyStatus.textContent = copied
    ? 'Copied to clipboard.'
    : 'Could not copy automatically. The text is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
}

// --- wiring ------------------------------------------------------------------------------------

els.signInForm.addEventListener('submit', (e) => {
  e.preventDefault();
  authenticate('login');
});
els.registerButton.addEventListener('click', () => authenticate('register'));
els.signOutButton.addEventListener('click', signOutClicked);

els.uploadForm.addEventListener('submit', uploadSubmitted);
els.file.addEventListener('change', () => {
  state.dropped = null;
  view.clearMessage('upload');
  view.showChosenFile(els.file.files[0] || null);
});
els.cancelUploadButton.addEventListener('click', () => state.upload && state.upload.abort());
els.recordButton.addEventListener('click', recordClicked);
els.stopButton.addEventListener('click', () => state.recording && state.recording.stop());
wireDropZone();
setUpRecording();

els.retryButton.addEventListener('click', retryClicked);
els.copyButton.addEventListener('click', copyClicked);
els.historyRefresh.addEventListener('click', () => notes.refresh());

// Back/Forward, or an address typed in; showNode() has already opened the note it put there.
window.addEventListener('hashchange', () => {
  if (state.user && hashNodeId() !== state.nodeId) openFromHash();
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.user) notes.refreshSoon();
});
// Leaving mid-upload or mid-recording loses it: let the browser ask first.
window.addEventListener('beforeunload', (e) => {
  if (state.upload || state.recording) {
    e.preventDefault();
    e.returnValue = '';
  }
});

checkSession();
