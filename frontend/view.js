// What the page shows: the elements, and how a status, an upload or a transcript looks.
// No network calls here.

const $ = (id) => document.getElementById(id);

export const els = {
  loading: $('loading'),
  error: $('error'),
  signInForm: $('sign-in-form'),
  username: $('username'),
  password: $('password'),
  signInButton: $('sign-in-button'),
  registerButton: $('register-button'),
  accountRow: $('account-row'),
  signedInAs: $('signed-in-as'),
  signOutButton: $('sign-out-button'),
  eraseAccountButton: $('erase-account-button'),
  eraseAccountForm: $('erase-account-form'),
  erasePassword: $('erase-password'),
  eraseKeepButton: $('erase-keep-button'),
  uploadForm: $('upload-form'),
  recordButton: $('record-button'),
  stopButton: $('stop-button'),
  recordTimer: $('record-timer'),
  recordHint: $('record-hint'),
  dropZone: $('drop-zone'),
  dropZoneFile: $('drop-zone-file'),
  file: $('audio-file'),
  uploadButton: $('upload-button'),
  queueBlock: $('queue-block'),
  uploadQueue: $('upload-queue'),
  pendingBlock: $('pending-block'),
  pendingList: $('pending-list'),
  statusSection: $('status-section'),
  statusHeading: $('status-heading'),
  statusPhase: $('status-phase'),
  statusDetail: $('status-detail'),
  progressBar: $('progress-bar'),
  progressPercent: $('progress-percent'),
  chunksText: $('chunks-text'),
  etaText: $('eta-text'),
  partialBlock: $('partial-block'),
  partialTranscript: $('partial-transcript'),
  retryButton: $('retry-button'),
  cancelButton: $('cancel-button'),
  deleteButton: $('delete-button'),
  transcriptSection: $('transcript-section'),
  transcript: $('transcript'),
  transcriptEmpty: $('transcript-empty'),
  transcriptLanguage: $('transcript-language'),
  copyButton: $('copy-button'),
  copyStatus: $('copy-status'),
  downloadTxt: $('download-txt'),
  downloadSrt: $('download-srt'),
  downloadVtt: $('download-vtt'),
  historySection: $('history-section'),
  history: $('history'),
  historyNote: $('history-note'),
  historyMore: $('history-more'),
  historyRefresh: $('history-refresh'),
  // issue 21: the player, names, search
  renameButton: $('rename-button'),
  renameForm: $('rename-form'),
  renameInput: $('rename-input'),
  renameCancel: $('rename-cancel'),
  titleRow: $('title-row'),
  playerBlock: $('player-block'),
  player: $('player'),
  playerGone: $('player-gone'),
  playerKeys: $('player-keys'),
  historySearch: $('history-search'),
};

// --- messages ----------------------------------------------------------------------------------

let errorSource = null;

/**
 * Shows a message in the alert region. source names who showed it, so that e.g. the follower
 * clears its own "still trying" without wiping an upload error. kind 'info' is for non-problems.
 */
export function showMessage(message, { source = null, kind = 'error' } = {}) {
  errorSource = source;
  els.error.textContent = message;
  els.error.classList.toggle('info', kind === 'info');
  els.error.hidden = !message;
  // On a phone the message may be a screen away from the button pressed; bring it into view.
  // Not for the follower's "still trying": that should not pull the reader away from the text.
  if (message && source !== 'follow') {
    const box = els.error.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) els.error.scrollIntoView({ block: 'nearest' });
  }
}

/** Shows an error, unless the sign-in form already says what happened (the session ended). */
export function showProblem(err, source = null) {
  if (err && err.signedOut) return;
  showMessage(err && err.message ? err.message : String(err), { source });
}

/** Keyboard users keep their place: when the focused control goes away, focus moves to target. */
export function keepFocus(target) {
  const active = document.activeElement;
  if (!active || active === document.body || active.closest('[hidden]') || active.disabled) target.focus();
}

export function clearMessage(source) {
  if (source !== undefined && source !== errorSource) return;
  showMessage('');
}

// --- words -------------------------------------------------------------------------------------

export const PHASES = {
  pending: 'Waiting in queue...',
  processing: 'Transcribing audio...',
  completed: 'Complete!',
  failed: 'Transcription failed',
  cancelled: 'Transcription cancelled',
};

/** "about 1 min 20 s left": rounded more coarsely the further away, since it is an estimate. */
export function formatEta(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '';
  if (seconds < 1) return 'almost done';
  seconds = Math.ceil(seconds);
  if (seconds < 60) return `about ${seconds} s left`;
  if (seconds < 600) {
    const rounded = Math.round(seconds / 5) * 5;
    const min = Math.floor(rounded / 60);
    const sec = rounded % 60;
    return sec ? `about ${min} min ${sec} s left` : `about ${min} min left`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const min = minutes % 60;
  return min ? `about ${hours} h ${min} min left` : `about ${hours} h left`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** A time or a length as a clock shows it: "0:07", "12:34", "1:02:03". */
export function formatClock(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** What a note is called: its title, or its number when it has none. */
export function noteName(id, title) {
  const name = typeof title === 'string' ? title.trim() : '';
  return name || `Voice note #${id}`;
}

export function chunkWords(done, total) {
  return `${done} of ${total} chunk${total === 1 ? '' : 's'} done`;
}

function clampPercent(value) {
  return Math.max(0, Math.min(100, Math.round(Number(value) || 0)));
}

/** Sets text only when it changed, so live regions do not repeat themselves. */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setShown(el, text) {
  setText(el, text || '');
  el.hidden = !text;
}

// --- upload ------------------------------------------------------------------------------------

export function showChosenFiles(files) {
  let words = 'No file chosen';
  if (files.length === 1) words = `Chosen: ${files[0].name} (${formatBytes(files[0].size)})`;
  else if (files.length > 1) {
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    words = `Chosen: ${files.length} files (${formatBytes(bytes)}): ${files.map((f) => f.name).join(', ')}`;
  }
  els.dropZoneFile.textContent = words;
  els.dropZone.classList.toggle('has-file', files.length > 0);
}

/** While recording, Stop takes Record's place; uploads go on beside it, one after another. */
export function setBusy({ recording }) {
  els.recordButton.hidden = recording;
  els.stopButton.hidden = !recording;
  els.recordTimer.hidden = !recording;
  els.recordButton.disabled = els.recordButton.dataset.unsupported === 'true';
  els.uploadForm.classList.toggle('recording', recording);
}

// --- status ------------------------------------------------------------------------------------

// The ETA counts down between updates (they come only when a chunk finishes).
let eta = null;
let etaTicker = null;

function renderEta() {
  if (!eta) {
    setShown(els.etaText, '');
    return;
  }
  const left = eta.seconds - (Date.now() - eta.at) / 1000;
  setShown(els.etaText, formatEta(left));
}

function setEta(seconds) {
  eta = seconds == null ? null : { seconds, at: Date.now() };
  clearInterval(etaTicker);
  etaTicker = eta ? setInterval(renderEta, 1000) : null;
  renderEta();
}

function setPhase(phase, detail) {
  setText(els.statusPhase, phase);
  setShown(els.statusDetail, detail);
}

function setProgress(value) {
  const pct = clampPercent(value);
  els.progressBar.value = pct;
  setText(els.progressPercent, `${pct}%`);
}

function setPartial(text) {
  const el = els.partialTranscript;
  // Keep following the end as text grows, unless the reader has scrolled up to read.
  const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  setText(el, text || '');
  el.hidden = !text;
  els.partialBlock.hidden = !text;
  if (atEnd) el.scrollTop = el.scrollHeight;
}

/** Shows the status area for a job about to be followed, with nothing known yet. */
export function statusStarting(id, { pending = false } = {}) {
  els.statusSection.hidden = false;
  showNoteTitle(id, null);
  showRenameForm(false);
  // A note just uploaded is known to be queued; one opened otherwise is asked about first.
  setPhase(pending ? PHASES.pending : 'Checking status...', '');
  setProgress(0);
  setShown(els.chunksText, '');
  setEta(null);
  setPartial('');
  els.retryButton.hidden = true;
  els.cancelButton.hidden = true;
  hideTranscript();
}

/** The heading says the note's name. */
export function showNoteTitle(id, title) {
  setText(els.statusHeading, noteName(id, title));
}

/** The inline rename form instead of the heading, or the heading back. */
export function showRenameForm(shown, current = '') {
  els.renameForm.hidden = !shown;
  els.titleRow.hidden = shown;
  if (shown) {
    els.renameInput.value = current;
    els.renameInput.focus();
    els.renameInput.select();
  }
}

/** The player goes above the transcript once there is one; before, it sits with the progress. */
export function placePlayer(withTranscript) {
  const [parent, before] = withTranscript
    ? [els.transcriptSection, els.transcript]
    : [els.statusSection, els.partialBlock];
  if (els.playerBlock.parentElement === parent) return;
  // Moved within one task, a playing recording plays on; a keyboard user stays on it.
  const focused = els.playerBlock.contains(document.activeElement) ? document.activeElement : null;
  parent.insertBefore(els.playerBlock, before);
  parent.insertBefore(els.playerGone, before);
  if (focused) focused.focus({ preventScroll: true });
}

/** The job is not visible yet. The bar is left alone: progress shown never goes backwards. */
export function statusWaiting() {
  setPhase(PHASES.pending, '');
}

export function hideStatus() {
  els.statusSection.hidden = true;
  setEta(null);
  hideTranscript();
}

const QUIET_MESSAGES = new Set(['Transcribing', 'Working']); // say nothing "Transcribing audio..." does not

export function renderStatus(s) {
  const phase = PHASES[s.status] || `Status: ${s.status || 'unknown'}`;
  let detail = '';
  if (s.status === 'processing') {
    const message = s.task_info && s.task_info.message;
    if (message && !QUIET_MESSAGES.has(message)) detail = message;
  } else if (s.status === 'failed') {
    detail = s.error ? `Reason: ${s.error}` : 'Hark did not say why.';
  } else if (s.status === 'cancelled') {
    detail = 'The recording is kept: Retry starts over.';
  }
  setPhase(phase, detail);
  // A finished job may still carry its last progress number; the bar should read full.
  setProgress(s.status === 'completed' ? 100 : s.progress);

  const processing = s.status === 'processing';
  const total = s.chunks_total;
  setShown(els.chunksText, processing && total > 0 ? chunkWords(s.chunks_done || 0, total) : '');
  setEta(processing && s.eta_seconds != null ? s.eta_seconds : null);
  setPartial(processing ? s.partial_content : '');
  els.retryButton.hidden = s.status !== 'failed' && s.status !== 'cancelled';
  els.cancelButton.hidden = s.status !== 'pending' && s.status !== 'processing';

  if (s.status === 'completed') showTranscript(s.content, s.language);
  else hideTranscript();
}

// --- transcript --------------------------------------------------------------------------------

// Who puts the text in: the player (it may show it as timed segments).
let writeTranscript = (text) => setText(els.transcript, text);

export function setTranscriptWriter(write) {
  writeTranscript = write;
}

function showTranscript(text, language) {
  const content = text || '';
  writeTranscript(content);
  // Marked in its language, so screen readers pronounce it right; said when the engine heard one.
  els.transcript.lang = language || '';
  setShown(els.transcriptLanguage, language ? `Heard in ${languageName(language)}.` : '');
  els.transcriptEmpty.hidden = content.trim() !== '';
  if (els.transcriptSection.hidden) els.copyStatus.textContent = '';
  els.transcriptSection.hidden = false;
}

/** "German" for "de", in the reader's own language where the browser knows it; the code otherwise. */
function languageName(code) {
  try {
    return new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' }).of(code) || code;
  } catch (e) {
    return code;
  }
}

function hideTranscript() {
  els.transcriptSection.hidden = true;
  els.downloadSrt.hidden = true;
  els.downloadVtt.hidden = true;
}

export function setDownloads({ txt, srt, vtt }) {
  if (txt) els.downloadTxt.href = txt;
  els.downloadSrt.hidden = !srt;
  els.downloadVtt.hidden = !vtt;
  if (srt) els.downloadSrt.href = srt;
  if (vtt) els.downloadVtt.href = vtt;
}

/** Selects the transcript's text, so that a manual copy is one key press away. */
export function selectTranscript() {
  const range = document.createRange();
  range.selectNodeContents(els.transcript);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
