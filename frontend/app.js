// Hark's page: sign in, record or upload a voice note, follow its transcription, read it.
// The note being followed is in the address (#node=<id>), so a reload keeps following it.

import * as api from './api.js';
import { follow } from './follow.js';
import { createComposer } from './compose.js';
import { createHistory } from './history.js';
import { createPlayer } from './player.js';
import * as view from './view.js';

const { els } = view;

const state = {
  user: null, // the signed-in user's name
  nodeId: null, // the note shown, as a string
  last: null, // its latest status
  follower: null,
  probeTimer: null,
  timesTimer: null,
  title: null, // the shown note's name, null when it has none (or it is not known yet)
};

const notes = createHistory({
  list: els.history,
  note: els.historyNote,
  more: els.historyMore,
  search: els.historySearch,
  onOpen: (id) => showNode(id, { focus: true }),
});

const player = createPlayer({
  areas: [els.transcriptSection, els.statusSection],
  block: els.playerBlock,
  audio: els.player,
  gone: els.playerGone,
  transcript: els.transcript,
  keys: els.playerKeys,
});
view.setTranscriptWriter(player.showText);

const composer = createComposer({
  isSignedIn: () => state.user !== null,
  onUploaded: (node) => {
    showNode(node.id, { justUploaded: true });
    notes.refreshSoon();
  },
});

// --- accounts ----------------------------------------------------------------------------------

function signedIn(username) {
  state.user = username;
  els.loading.hidden = true;
  els.signInForm.hidden = true;
  els.accountRow.hidden = false;
  els.signedInAs.textContent = `Signed in as ${username}`;
  els.uploadForm.hidden = false;
  els.historySection.hidden = false;
  composer.start(username);
  notes.start();
  openFromHash();
}

function signedOut(message) {
  state.user = null;
  stopFollowing();
  composer.abandon();
  notes.stop();
  player.reset();
  view.hideStatus();
  els.loading.hidden = true;
  els.uploadForm.hidden = true;
  els.historySection.hidden = true;
  els.accountRow.hidden = true;
  els.signInForm.hidden = false;
  if (message) view.showMessage(message, { source: 'auth' });
  else view.clearMessage();
  view.keepFocus(els.username);
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
    view.keepFocus(els.recordButton.disabled ? els.dropZone : els.recordButton);
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

function showEraseForm(shown) {
  els.eraseAccountForm.hidden = !shown;
  els.eraseAccountButton.hidden = shown;
  els.erasePassword.value = '';
  if (shown) els.erasePassword.focus();
}

async function eraseAccountSubmitted(e) {
  e.preventDefault();
  if (!window.confirm('Delete your account, every voice note, recording and transcript in it? This cannot be undone.')) return;
  const submit = els.eraseAccountForm.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    await api.eraseAccount(els.erasePassword.value);
    await composer.forget(state.user); // its recordings kept in this browser go too
    showEraseForm(false);
    history.replaceState(null, '', location.pathname + location.search);
    signedOut();
    view.showMessage('Your account and everything in it are deleted.', { kind: 'info' });
  } catch (err) {
    view.showProblem(err);
  } finally {
    submit.disabled = false;
  }
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
function showNode(id, { focus = false, justUploaded = false } = {}) {
  openNode(id, { justUploaded });
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
  clearTimeout(state.timesTimer);
}

function closeNode() {
  stopFollowing();
  state.nodeId = null;
  state.last = null;
  state.title = null;
  notes.setCurrent(null);
  player.reset();
  view.hideStatus();
}

function openNode(id, { justUploaded = false, isStale } = {}) {
  stopFollowing();
  id = String(id);
  const sameNote = state.nodeId === id;
  state.nodeId = id;
  state.last = null;
  view.clearMessage();
  player.reset(); // a retried note gets a new transcript
  if (!sameNote) state.title = null;
  view.statusStarting(id, { pending: justUploaded });
  showTitle(id, sameNote ? state.title : notes.titleOf(id));
  loadTitle(id);
  view.setDownloads({ txt: api.transcriptHref(id, 'txt') });
  notes.setCurrent(id);
  state.follower = follow(id, {
    onStatus: (status) => onStatus(id, status),
    onWaiting: () => view.statusWaiting(),
    onTrouble: (message) => (message
      ? view.showMessage(message, { source: 'follow' })
      : view.clearMessage('follow')),
    onGone: (message) => {
      player.reset();
      view.hideStatus();
      notes.setCurrent(null);
      view.showMessage(message, { source: 'follow' });
    },
    onSignedOut: () => {}, // the API module has shown the sign-in form already
  }, { isStale });
}

function onStatus(id, status) {
  if (state.nodeId !== id) return;
  const changed = !state.last || state.last.status !== status.status;
  state.last = status;
  view.renderStatus(status);
  notes.update(status);
  // The recording can be heard from the start: beside the progress while it works, above the text once done.
  view.placePlayer(status.status === 'completed');
  player.load(id);
  if (!changed) return;
  notes.refreshSoon();
  if (status.status === 'completed') {
    loadTimes(id, 0);
    probeSubtitles(id, 0);
  }
}

/** The transcript's timed segments, to read along with the player; plain text stays when there are none. */
async function loadTimes(id, attempt) {
  const answer = await api.transcriptWithTimes(id);
  if (state.nodeId !== id || !state.last || state.last.status !== 'completed') return;
  if (answer.ok) {
    const { segments, text } = answer.body;
    if (Array.isArray(segments) && segments.length) player.showSegments(segments, text || state.last.content);
  } else if (answer.later && attempt < 10) {
    // The segments may come in a little after "completed"; ask again, less often as time goes on (~1 min).
    state.timesTimer = setTimeout(() => loadTimes(id, attempt + 1), Math.min(2000 * (attempt + 1), 8000));
  }
}

// --- names -------------------------------------------------------------------------------------

function showTitle(id, title) {
  state.title = typeof title === 'string' && title.trim() ? title : null;
  view.showNoteTitle(id, state.title);
}

/** The note's own answer carries its name; the list may not hold the note (another page, a search). */
async function loadTitle(id) {
  try {
    const node = await api.getNode(id);
    if (state.nodeId === id && node && 'title' in node && els.renameForm.hidden) showTitle(id, node.title);
  } catch {
    // The follower says what is wrong with the note; the heading keeps what it has.
  }
}

function renameClicked() {
  if (!state.nodeId) return;
  view.showRenameForm(true, state.title || '');
}

function renameCancelled() {
  view.showRenameForm(false);
  els.renameButton.focus();
}

async function renameSubmitted(e) {
  e.preventDefault();
  const id = state.nodeId;
  const title = els.renameInput.value.trim();
  if (!id) return;
  if (!title) {
    view.showMessage('Type a name for the note, or press Escape to keep the one it has.', { source: 'rename' });
    els.renameInput.focus();
    return;
  }
  if (title === state.title) {
    renameCancelled();
    return;
  }
  const save = els.renameForm.querySelector('button[type="submit"]');
  save.disabled = true;
  view.clearMessage();
  try {
    const node = await api.renameNode(id, title);
    if (state.nodeId !== id) return;
    const saved = node && typeof node.title === 'string' ? node.title : title;
    showTitle(id, saved);
    notes.renamed(id, saved);
    view.showRenameForm(false);
    els.renameButton.focus();
  } catch (err) {
    view.showProblem(err, 'rename');
    if (!err.signedOut) els.renameInput.focus();
  } finally {
    save.disabled = false;
  }
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
    // Until the new attempt shows up, the status still says the old one ended: not the news.
    openNode(id, {
      isStale: (s) => (s.status === 'failed' || s.status === 'cancelled')
        && (!failed || s.completed_at === failed.completed_at),
    });
    notes.refreshSoon();
    view.keepFocus(els.statusHeading);
  } catch (err) {
    view.showProblem(err);
  } finally {
    els.retryButton.disabled = false;
  }
}

async function cancelClicked() {
  const id = state.nodeId;
  if (!id) return;
  els.cancelButton.disabled = true;
  view.clearMessage();
  try {
    // The job's next state, "cancelled", arrives as any other status does (and refreshes the list).
    await api.cancelTranscription(id);
  } catch (err) {
    view.showProblem(err);
  } finally {
    els.cancelButton.disabled = false;
  }
}

async function deleteClicked() {
  const id = state.nodeId;
  if (!id) return;
  if (!window.confirm('Delete this voice note, its recording and its transcript? This cannot be undone.')) return;
  els.deleteButton.disabled = true;
  view.clearMessage();
  try {
    await api.deleteNode(id);
    closeNode();
    history.replaceState(null, '', location.pathname + location.search);
    view.showMessage('The voice note is deleted.', { kind: 'info' });
    notes.refresh();
  } catch (err) {
    view.showProblem(err);
  } finally {
    els.deleteButton.disabled = false;
  }
}

// --- transcript --------------------------------------------------------------------------------

async function copyClicked() {
  const text = player.text();
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
els.eraseAccountButton.addEventListener('click', () => showEraseForm(true));
els.eraseKeepButton.addEventListener('click', () => showEraseForm(false));
els.eraseAccountForm.addEventListener('submit', eraseAccountSubmitted);

els.retryButton.addEventListener('click', retryClicked);
els.cancelButton.addEventListener('click', cancelClicked);
els.deleteButton.addEventListener('click', deleteClicked);
els.copyButton.addEventListener('click', copyClicked);
els.renameButton.addEventListener('click', renameClicked);
els.renameCancel.addEventListener('click', renameCancelled);
els.renameForm.addEventListener('submit', renameSubmitted);
els.renameInput.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    e.preventDefault();
    renameCancelled();
  }
});
els.historyRefresh.addEventListener('click', () => notes.refresh());

// Back/Forward, or an address typed in; showNode() has already opened the note it put there.
window.addEventListener('hashchange', () => {
  if (state.user && hashNodeId() !== state.nodeId) openFromHash();
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.user) notes.refreshSoon();
});

checkSession();
