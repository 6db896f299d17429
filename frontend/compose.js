// Making new voice notes: record one, or choose or drop files, and upload them one after another,
// each with its own line and progress. A recording made here is kept in this browser (keep.js)
// before its upload starts and until Hark accepts it; one that did not go through is listed under
// "Not uploaded yet" with Retry and Discard, also after a reload.

import * as api from './api.js';
import * as keep from './keep.js';
import { formatClock, microphoneProblem, recordingSupported, recordingTitle, startRecording } from './recorder.js';
import * as view from './view.js';

const { els } = view;

/** Refusals that may go through when sent again: no connection, busy, too many for now, server trouble. */
export function retryable(status) {
  // 200/201: the note was made but its answer was not understood; the Idempotency-Key makes a retry safe.
  return status === 0 || status === 200 || status === 201 || status === 401 || status === 408 || status === 409
    || status === 429 || status >= 500;
}

/** A fresh Idempotency-Key for one recording (randomUUID needs a secure page; the fallback does not). */
function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const REOPENED = 'The page was closed or reloaded before Hark accepted it.';

/**
 * isSignedIn() says whether to go on (signing out may happen at any moment);
 * onUploaded(node) gets Hark's answer to each accepted upload.
 */
export function createComposer({ isSignedIn, onUploaded }) {
  const state = {
    user: null, // whose recordings are shown
    items: [], // uploads: waiting, uploading, or not uploaded (failed)
    running: false, // the queue is being worked through
    recording: null, // the recording under way
    dropped: null, // dropped files, where the browser would not put them into the file input
    urls: [], // object URLs of the "Save a copy" links, revoked at each render
    nextId: 1,
  };

  function refreshBusy() {
    view.setBusy({ recording: Boolean(state.recording) });
  }

  // --- the chosen files ---

  function chosenFiles() {
    const files = els.file.files && els.file.files.length ? Array.from(els.file.files) : state.dropped;
    return files || [];
  }

  function chooseFiles(files) {
    state.dropped = null;
    try {
      // Putting dropped files into the input keeps one source of truth for "the chosen files".
      const transfer = new DataTransfer();
      files.forEach((file) => transfer.items.add(file));
      els.file.files = transfer.files;
    } catch {
      state.dropped = files;
    }
    view.showChosenFiles(files);
  }

  function clearChosen() {
    state.dropped = null;
    els.file.value = '';
    view.showChosenFiles([]);
  }

  // --- the queue ---

  function add(item) {
    state.items.push({ id: state.nextId++, state: 'waiting', reason: '', retryable: true, loaded: 0, ...item });
    render();
    pump();
  }

  /** Uploads the waiting items one after another; one pump at a time. */
  async function pump() {
    if (state.running) return;
    state.running = true;
    try {
      let item;
      while (isSignedIn() && (item = state.items.find((i) => i.state === 'waiting'))) {
        // eslint-disable-next-line no-await-in-loop -- one after another, on purpose
        await send(item);
      }
    } finally {
      state.running = false;
    }
  }

  async function send(item) {
    item.state = 'uploading';
    item.loaded = 0;
    item.reason = '';
    render();
    const job = api.uploadAudio(item.blob, (loaded, total) => progress(item, loaded, total), {
      name: item.name,
      title: item.title,
      key: item.key,
    });
    item.job = job;
    let node = null;
    let problem = null;
    try {
      node = await job.done;
    } catch (err) {
      problem = err;
    }
    item.job = null;
    // Signed out, or discarded, meanwhile: the recording stays kept for its owner's next visit.
    if (!state.items.includes(item) || !isSignedIn()) return;
    if (node) {
      state.items = state.items.filter((i) => i !== item);
      await keep.remove(item.keptId);
      render();
      onUploaded(node);
      view.keepFocus(els.statusHeading);
      return;
    }
    if (problem.cancelled && item.kind === 'file') {
      // A chosen file is still on the person's device: a cancelled one simply leaves the queue.
      state.items = state.items.filter((i) => i !== item);
      render();
      view.showMessage(`Upload of ${item.name} cancelled.`, { source: 'upload', kind: 'info' });
      view.keepFocus(els.uploadButton);
      return;
    }
    item.state = 'failed';
    item.reason = problem.cancelled ? 'You cancelled its upload.' : problem.message;
    item.retryable = problem.cancelled || retryable(problem.status);
    keep.note(item.keptId, { reason: item.reason, retryable: item.retryable });
    render();
    if (!problem.cancelled && !problem.signedOut) {
      view.showMessage(`${item.title || item.name} was not uploaded: ${problem.message}`
        + (item.retryable ? ' It is listed under “Not uploaded yet”: Retry it from there.' : ''), { source: 'upload' });
    }
    view.keepFocus(els.uploadButton);
  }

  function progress(item, loaded, total) {
    item.loaded = loaded;
    item.total = total;
    const line = els.uploadQueue.querySelector(`li[data-item="${item.id}"]`);
    if (line) showProgress(line, item);
  }

  function showProgress(line, item) {
    const total = item.total || item.size;
    const pct = total > 0 ? Math.max(0, Math.min(100, Math.round((item.loaded / total) * 100))) : 0;
    line.querySelector('progress').value = pct;
    line.querySelector('.percent').textContent = `${pct}%`;
    line.querySelector('.queue-meta').textContent = `${view.formatBytes(item.loaded)} of ${view.formatBytes(total)}`;
  }

  function retry(item) {
    if (!isSignedIn()) return;
    item.state = 'waiting';
    item.reason = '';
    view.clearMessage('upload');
    render();
    pump();
  }

  async function discard(item) {
    const recording = item.kind === 'recording';
    if (recording && !window.confirm(`Discard “${item.title || item.name}”? It was not uploaded, and it cannot be brought back.`)) {
      return;
    }
    if (item.job) item.job.abort();
    state.items = state.items.filter((i) => i !== item);
    await keep.remove(item.keptId);
    render();
    view.keepFocus(els.uploadButton);
  }

  // --- the lists ---

  function button(label, action, item, { kind = 'secondary' } = {}) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `${kind} small`;
    b.dataset.action = action;
    b.append(label);
    // "Retry" alone is ambiguous with several lines; the name says which.
    const which = document.createElement('span');
    which.className = 'visually-hidden';
    which.textContent = ` ${item.title || item.name}`;
    b.append(which);
    return b;
  }

  function line(item) {
    const li = document.createElement('li');
    li.className = 'queue-item';
    li.dataset.item = String(item.id);
    li.dataset.state = item.state;
    li.dataset.kind = item.kind;
    const title = document.createElement('span');
    title.className = 'queue-title';
    title.textContent = item.title || item.name;
    const meta = document.createElement('span');
    meta.className = 'queue-meta';
    const actions = document.createElement('span');
    actions.className = 'queue-actions';
    li.append(title, meta);

    if (item.state === 'uploading') {
      const bar = document.createElement('span');
      bar.className = 'queue-bar';
      const p = document.createElement('progress');
      p.max = 100;
      p.value = 0;
      p.setAttribute('aria-label', `Uploading ${item.title || item.name}`);
      const pct = document.createElement('span');
      pct.className = 'percent';
      bar.append(p, pct);
      li.append(bar);
      const cancel = button('Cancel', 'cancel', item);
      cancel.addEventListener('click', () => item.job && item.job.abort());
      actions.append(cancel);
      showProgress(li, item);
    } else if (item.state === 'waiting') {
      meta.textContent = `${view.formatBytes(item.size)} · waiting`;
      const remove = button('Remove', 'remove', item);
      remove.addEventListener('click', () => discard(item));
      actions.append(remove);
    } else {
      meta.textContent = view.formatBytes(item.size);
      const reason = document.createElement('span');
      reason.className = 'queue-reason';
      reason.textContent = item.reason || REOPENED;
      li.append(reason);
      if (item.retryable) {
        const again = button('Retry', 'retry', item, { kind: '' });
        again.addEventListener('click', () => retry(item));
        actions.append(again);
      }
      if (item.kind === 'recording') {
        // The person may want to keep it elsewhere, above all when Hark will not take it.
        const url = URL.createObjectURL(item.blob);
        state.urls.push(url);
        const save = document.createElement('a');
        save.className = 'button-link small';
        save.href = url;
        save.download = item.name;
        save.dataset.action = 'save';
        save.textContent = 'Save a copy';
        const which = document.createElement('span');
        which.className = 'visually-hidden';
        which.textContent = ` of ${item.title || item.name}`;
        save.append(which);
        actions.append(save);
      }
      const remove = button('Discard', 'discard', item);
      remove.addEventListener('click', () => discard(item));
      actions.append(remove);
    }
    li.append(actions);
    return li;
  }

  function render() {
    // Rebuilding the lines would drop keyboard focus; put it back on the same action of the same line.
    const active = document.activeElement;
    const within = active && active.closest && active.closest('.queue-item');
    const focused = within ? { item: within.dataset.item, action: active.dataset.action } : null;

    state.urls.forEach((url) => URL.revokeObjectURL(url));
    state.urls = [];
    const going = state.items.filter((i) => i.state !== 'failed');
    const failed = state.items.filter((i) => i.state === 'failed');
    els.uploadQueue.replaceChildren(...going.map(line));
    els.pendingList.replaceChildren(...failed.map(line));
    els.queueBlock.hidden = going.length === 0;
    els.pendingBlock.hidden = failed.length === 0;

    if (focused) {
      const again = document.querySelector(`.queue-item[data-item="${focused.item}"] [data-action="${focused.action}"]`)
        || document.querySelector(`.queue-item[data-item="${focused.item}"] [data-action]`);
      if (again) again.focus();
    }
  }

  // --- uploading chosen files ---

  function uploadSubmitted(event) {
    event.preventDefault();
    if (!isSignedIn()) return;
    const files = chosenFiles();
    if (!files.length) {
      view.showMessage('Choose an audio file first, or record one.', { source: 'upload' });
      els.dropZone.focus();
      return;
    }
    const empty = files.filter((f) => f.size === 0);
    if (empty.length) {
      view.showMessage(`${empty.map((f) => f.name).join(', ')}: empty, so not uploaded. Choose another file.`, { source: 'upload' });
    } else {
      view.clearMessage();
    }
    clearChosen();
    files.filter((f) => f.size > 0).forEach((file) => add({
      kind: 'file', blob: file, name: file.name, title: null, size: file.size, key: newKey(), keptId: null,
    }));
  }

  // --- the drop zone, which is also the file picker ---

  function openPicker() {
    els.file.click();
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
      e.dataTransfer.dropEffect = 'copy';
      zone.classList.add('drag-over');
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
      if (!files || !files.length) return;
      view.clearMessage('upload');
      chooseFiles(Array.from(files));
      els.uploadButton.focus();
    });
    // A file dropped beside the zone would make the browser open it and leave the page.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
  }

  // --- recording ---

  function setUpRecording() {
    if (recordingSupported()) return;
    els.recordButton.dataset.unsupported = 'true';
    els.recordButton.disabled = true;
    els.recordHint.textContent = window.isSecureContext
      ? 'This browser cannot record audio. Choose a file instead.'
      : 'Recording needs a secure (https://) page in this browser. Choose a file instead.';
  }

  async function recordClicked() {
    if (state.recording) return;
    view.clearMessage();
    let recording;
    try {
      els.recordTimer.textContent = formatClock(0);
      recording = await startRecording({ onTick: (ms) => { els.recordTimer.textContent = formatClock(ms); } });
    } catch (err) {
      view.showMessage(microphoneProblem(err), { source: 'record' });
      return;
    }
    if (!isSignedIn()) {
      recording.cancel();
      return;
    }
    const user = state.user;
    state.recording = recording;
    refreshBusy();
    els.stopButton.focus();
    let made = null;
    try {
      made = await recording.finished;
    } catch (err) {
      view.showMessage(err.message, { source: 'record' });
    }
    state.recording = null;
    refreshBusy();
    if (!made || !isSignedIn() || state.user !== user) {
      if (isSignedIn()) view.keepFocus(els.recordButton);
      return;
    }
    const { file } = made;
    const item = {
      kind: 'recording',
      blob: file,
      name: file.name,
      type: file.type,
      size: file.size,
      title: recordingTitle(made.startedAt, made.durationMs),
      created: made.startedAt.getTime(),
      key: newKey(),
    };
    // Kept before the upload starts: whatever happens to the upload, the recording is not lost.
    const { blob, name, type, title, created, key } = item;
    item.keptId = await keep.keep({ user, blob, name, type, title, created, key });
    if (!isSignedIn() || state.user !== user) return;
    add(item);
    view.keepFocus(els.recordButton);
  }

  /** The user's recordings kept from an earlier visit, listed as not uploaded yet. */
  async function loadKept(user) {
    const kept = await keep.list(user);
    if (state.user !== user) return;
    const known = new Set(state.items.map((i) => i.keptId));
    kept.filter((k) => !known.has(k.id)).forEach((k) => {
      state.items.push({
        id: state.nextId++,
        kind: 'recording',
        keptId: k.id,
        blob: k.blob,
        name: k.name,
        type: k.type,
        size: k.blob ? k.blob.size : 0,
        title: k.title,
        created: k.created,
        key: k.key,
        state: 'failed',
        reason: k.reason || REOPENED,
        retryable: k.retryable !== false,
        loaded: 0,
      });
    });
    render();
    els.pendingBlock.dataset.loaded = 'true'; // what was kept is listed (the tests wait for it)
  }

  // --- wiring ---

  els.uploadForm.addEventListener('submit', uploadSubmitted);
  els.file.addEventListener('change', () => {
    state.dropped = null;
    view.clearMessage('upload');
    view.showChosenFiles(Array.from(els.file.files || []));
  });
  els.recordButton.addEventListener('click', recordClicked);
  els.stopButton.addEventListener('click', () => state.recording && state.recording.stop());
  wireDropZone();
  setUpRecording();

  // A recording under way exists only in this page, as does one this browser could not keep:
  // let the browser ask before leaving.
  window.addEventListener('beforeunload', (e) => {
    if (state.recording || state.items.some((i) => i.kind === 'recording' && i.keptId == null)) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  return {
    refreshBusy,
    /** A user signed in: show their recordings not uploaded yet. */
    start(user) {
      state.user = user;
      refreshBusy();
      return loadKept(user);
    },
    /** Drops whatever is under way without a word (when signing out); kept recordings stay kept. */
    abandon() {
      const jobs = state.items.map((i) => i.job).filter(Boolean);
      state.items = [];
      state.user = null;
      jobs.forEach((job) => job.abort());
      if (state.recording) state.recording.cancel();
      clearChosen();
      render();
      delete els.pendingBlock.dataset.loaded;
    },
    /** Forgets the user's kept recordings (their account is deleted). */
    forget(user) {
      return keep.removeAll(user);
    },
  };
}
