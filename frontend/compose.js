// Making a new voice note: record one, choose or drop a file, and upload it with progress.

import * as api from './api.js';
import { formatClock, microphoneProblem, recordingSupported, startRecording } from './recorder.js';
import * as view from './view.js';

const { els } = view;

/**
 * isSignedIn() says whether to go on (signing out may happen at any moment);
 * onUploaded(node) gets Hark's answer to a finished upload.
 */
export function createComposer({ isSignedIn, onUploaded }) {
  const state = {
    upload: null, // the upload under way
    recording: null, // the recording under way
    dropped: null, // a dropped file, where the browser would not put it into the file input
  };

  function refreshBusy() {
    view.setBusy({ recording: Boolean(state.recording), uploading: Boolean(state.upload) });
  }

  // --- the chosen file ---

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

  // --- uploading ---

  async function upload(file) {
    if (state.upload || !isSignedIn()) return;
    if (file.size === 0) {
      view.showMessage('That file is empty. Choose another one.', { source: 'upload' });
      return;
    }
    view.clearMessage();
    const job = api.uploadAudio(file, (loaded, total) => view.uploadProgress(loaded, total));
    state.upload = job;
    view.uploadStarted();
    refreshBusy();
    view.keepFocus(els.cancelUploadButton);
    let node = null;
    try {
      node = await job.done;
    } catch (err) {
      // Signed out meanwhile: the sign-in form says so.
      if (isSignedIn() && err.cancelled) view.showMessage('Upload cancelled.', { source: 'upload', kind: 'info' });
      else if (isSignedIn()) view.showProblem(err, 'upload');
    }
    if (state.upload === job) state.upload = null;
    view.uploadEnded();
    refreshBusy();
    if (!isSignedIn()) return;
    if (node) {
      clearChosen();
      onUploaded(node);
    }
    view.keepFocus(node ? els.statusHeading : els.uploadButton);
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

  // --- the drop zone, which is also the file picker ---

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
    if (!isSignedIn()) {
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
    if (file && isSignedIn()) upload(file);
    else if (isSignedIn()) view.keepFocus(els.recordButton);
  }

  // --- wiring ---

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

  // A recording exists only in this page until it is uploaded: let the browser ask before leaving.
  // (An upload is not guarded: the file is still on the person's device.)
  window.addEventListener('beforeunload', (e) => {
    if (state.recording) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  return {
    refreshBusy,
    /** Drops whatever is under way without a word (when signing out). */
    abandon() {
      if (state.upload) state.upload.abort();
      if (state.recording) state.recording.cancel();
    },
  };
}
