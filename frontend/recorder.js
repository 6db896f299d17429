// Recording a voice note with the browser's MediaRecorder.

// Opus in WebM is small and Hark accepts it; browsers without it (Safari) pick their own default.
const PREFERRED_TYPE = 'audio/webm;codecs=opus';

export function recordingSupported() {
  return Boolean(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

function chosenType() {
  try {
    return MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(PREFERRED_TYPE) ? PREFERRED_TYPE : '';
  } catch {
    return '';
  }
}

/** The file name ending Hark expects for what the recorder produced. */
export function extensionFor(mimeType) {
  const type = String(mimeType || '').toLowerCase();
  if (type.includes('ogg')) return 'ogg';
  if (type.includes('mp4') || type.includes('aac') || type.includes('m4a')) return 'm4a';
  return 'webm';
}

/** voice-note-2024-05-01T14-03-22.webm: sortable, and without colons, which some systems refuse in names. */
export function voiceNoteName(mimeType, when = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`
    + `T${pad(when.getHours())}-${pad(when.getMinutes())}-${pad(when.getSeconds())}`;
  return `voice-note-${stamp}.${extensionFor(mimeType)}`;
}

/** mm:ss (minutes go past 59 rather than adding hours: voice notes are short). */
export function formatClock(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** m:ss, as a recording's length is said in its title. */
export function formatLength(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const titleTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "Recording 5 Dec 2026, 08:03, 0:07": the note's title, in the person's own date format. */
export function recordingTitle(startedAt, ms) {
  // Plain spaces: some locales' times carry a narrow no-break space (\u202f) before AM/PM.
  return `Recording ${titleTime.format(startedAt).replace(/\s/g, ' ')}, ${formatLength(ms)}`;
}

/** Plain words for why the microphone could not be used. */
export function microphoneProblem(err) {
  switch (err && err.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was not allowed. Allow it in your browser\'s site settings, or choose a file instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one, or choose a file instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone is busy or could not be started. Close other apps using it and try again.';
    default:
      return 'Recording could not start in this browser. Choose a file instead.';
  }
}

/**
 * Starts recording. Answers { finished, stop(), cancel() }: finished settles with
 * { file, startedAt (a Date), durationMs } once recording ends (by stop(), or by the microphone
 * going away), or with null after cancel().
 * onTick gets the elapsed milliseconds a few times a second for the timer.
 * Throws when the microphone is not available.
 */
export async function startRecording({ onTick = () => {} } = {}) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const type = chosenType();
  let recorder;
  try {
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  } catch {
    recorder = new MediaRecorder(stream);
  }

  const pieces = [];
  let discard = false;
  const startedAt = performance.now();
  const startedDate = new Date();
  let durationMs = 0;
  const ticker = setInterval(() => onTick(performance.now() - startedAt), 250);
  onTick(0);

  const release = () => {
    clearInterval(ticker);
    if (!durationMs) durationMs = performance.now() - startedAt;
    // Stopping the tracks turns the browser's "microphone in use" indicator off.
    stream.getTracks().forEach((track) => track.stop());
  };

  const finished = new Promise((resolve, reject) => {
    recorder.addEventListener('dataavailable', (e) => {
      if (e.data && e.data.size > 0) pieces.push(e.data);
    });
    recorder.addEventListener('stop', () => {
      release();
      if (discard) return resolve(null);
      const mime = recorder.mimeType || (pieces[0] && pieces[0].type) || type || 'audio/webm';
      const bare = mime.split(';')[0].trim();
      const blob = new Blob(pieces, { type: bare });
      if (blob.size === 0) return reject(new Error('The recording is empty: no sound was captured. Try again.'));
      // Recorders' WebM carries no length in its header; Hark measures it by decoding.
      const file = new File([blob], voiceNoteName(bare, startedDate), { type: bare });
      resolve({ file, startedAt: startedDate, durationMs });
    });
    recorder.addEventListener('error', () => {
      release();
      reject(new Error('The recording stopped unexpectedly. Try again, or choose a file instead.'));
    });
  });
  // A timeslice hands data over every second, so a long note is not held in one piece.
  recorder.start(1000);

  const end = () => {
    if (recorder.state !== 'inactive') recorder.stop();
  };
  return {
    finished,
    stop: end,
    cancel() {
      discard = true;
      end();
    },
  };
}
