// Listening while reading: the recording's player and, where the engine gave timestamps, the
// transcript as timed segments that follow it. The segment being heard is marked and kept in view;
// choosing a segment plays from its start. Keys in the area: Space plays or pauses, the left and
// right arrows skip 5 s, up and down (on a segment) move between segments.

import { audioHref, audioStatus } from './api.js';
import { formatClock } from './view.js';

const SKIP_SECONDS = 5;
// After the reader scrolls the transcript, it is left where they put it for this long.
const HANDS_OFF_MS = 4000;

const GONE_WORDS = {
  404: 'There is no recording to play for this note.',
  410: 'The recording was removed after the audio retention period; the transcript stays.',
};

const KEYS_PLAIN = 'Space plays or pauses, ← and → skip 5 seconds.';
const KEYS_SEGMENTS = 'Choose a line to hear it. Space plays or pauses, ← and → skip 5 seconds, '
  + '↑ and ↓ move between lines.';

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * areas: the elements whose keys drive the player; block: the player's wrapper (hidden when there is
 * nothing to play); audio: the <audio>; gone: the hint shown instead; transcript: where the text goes; keys: the line saying which keys do what.
 */
export function createPlayer({ areas, block, audio, gone, transcript, keys }) {
  let nodeId = null;
  let plain = ''; // the transcript's text, what Copy copies
  let segments = []; // { start, end, el }, in order
  let current = -1;
  let userScrolledAt = -Infinity;
  let autoScrolling = false;
  let autoScrollTimer = null;
  let silent = false; // the recording cannot be played: segments are text with times only

  /** Without a recording, choosing a segment would do nothing: they stop being buttons to press. */
  function applySilence() {
    segments.forEach((s) => { s.el.disabled = silent; });
    if (silent && segments.length) transcript.setAttribute('tabindex', '0');
  }

  function hasAudio() {
    return !block.hidden && audio.hasAttribute('src');
  }

  /** Back to nothing: no recording, no text. */
  function reset() {
    nodeId = null;
    silent = false;
    plain = '';
    segments = [];
    current = -1;
    if (audio.hasAttribute('src')) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
    }
    block.hidden = true;
    gone.hidden = true;
    gone.textContent = '';
    transcript.classList.remove('segmented');
    transcript.setAttribute('tabindex', '0');
    transcript.replaceChildren();
    keys.textContent = KEYS_PLAIN;
  }

  /** Readies the recording of note id (asks only for its length until played). */
  function load(id) {
    id = String(id);
    if (nodeId === id && audio.hasAttribute('src')) return;
    nodeId = id;
    silent = false;
    gone.hidden = true;
    block.hidden = false;
    audio.src = audioHref(id);
  }

  async function audioFailed() {
    const id = nodeId;
    if (!id || !audio.hasAttribute('src')) return;
    block.hidden = true;
    silent = true;
    applySilence();
    const status = await audioStatus(id);
    if (nodeId !== id) return;
    gone.textContent = GONE_WORDS[status]
      || (status === 0 ? 'Could not reach Hark to play the recording.'
        : 'This browser could not play the recording; the transcript is below.');
    gone.hidden = false;
  }

  /** The plain text, unless the same note's timed segments are shown already. */
  function showText(text) {
    if (transcript.classList.contains('segmented')) return;
    plain = text || '';
    if (transcript.textContent !== plain) transcript.textContent = plain;
  }

  /** The transcript as segments, each a button that plays from its start. */
  function showSegments(list, text) {
    const usable = (list || []).filter((s) => s && Number.isFinite(Number(s.start)) && String(s.text || '').trim());
    if (!usable.length) return;
    plain = text || usable.map((s) => s.text.trim()).join(' ');
    segments = usable.map((s, i) => {
      const start = Math.max(0, Number(s.start));
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'segment';
      button.dataset.start = String(start);
      button.tabIndex = i === 0 ? 0 : -1;
      const time = document.createElement('span');
      time.className = 'segment-time';
      time.textContent = formatClock(start);
      const words = document.createElement('span');
      words.className = 'segment-text';
      words.textContent = String(s.text).trim();
      button.append(time, ' ', words);
      return { start, end: Number.isFinite(Number(s.end)) ? Number(s.end) : null, el: button };
    });
    current = -1;
    transcript.classList.add('segmented');
    // The segments take focus themselves; the box needs no tab stop of its own.
    transcript.removeAttribute('tabindex');
    transcript.replaceChildren(...segments.map((s) => s.el));
    keys.textContent = KEYS_SEGMENTS;
    applySilence();
    markHeard();
  }

  function text() {
    return plain;
  }

  // --- following the recording -----------------------------------------------------------------

  /** The segment being heard: the last one begun, unless its end is well past. */
  function heardAt(time) {
    let lo = 0;
    let hi = segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid].start <= time + 0.05) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found >= 0) {
      const { end } = segments[found];
      const next = segments[found + 1];
      // In a long pause after a segment, nothing is being heard.
      if (end != null && time > end + 1.5 && (!next || time < next.start)) return -1;
    }
    return found;
  }

  function markHeard() {
    if (!segments.length) return;
    const index = heardAt(audio.currentTime || 0);
    if (index === current) return;
    if (current >= 0 && segments[current]) {
      segments[current].el.removeAttribute('aria-current');
    }
    current = index;
    if (index < 0) return;
    const { el } = segments[index];
    el.setAttribute('aria-current', 'true');
    // The tab stop follows the segment heard, unless the reader is moving among them.
    if (!transcript.contains(document.activeElement)) {
      segments.forEach((s) => { s.el.tabIndex = s.el === el ? 0 : -1; });
    }
    keepInView(el);
  }

  /** Scrolls the transcript box (not the page) to the segment, unless the reader just scrolled it. */
  function keepInView(el) {
    if (performance.now() - userScrolledAt < HANDS_OFF_MS) return;
    if (transcript.scrollHeight <= transcript.clientHeight) return;
    const box = transcript.getBoundingClientRect();
    const seg = el.getBoundingClientRect();
    const margin = Math.min(48, box.height / 4);
    if (seg.top >= box.top + margin && seg.bottom <= box.bottom - margin) return;
    autoScrolling = true;
    clearTimeout(autoScrollTimer);
    autoScrollTimer = setTimeout(() => { autoScrolling = false; }, 1000);
    transcript.scrollTo({
      top: Math.max(0, transcript.scrollTop + (seg.top - box.top) - box.height / 3),
      behavior: reducedMotion() ? 'auto' : 'smooth',
    });
  }

  function readerScrolled() {
    userScrolledAt = performance.now();
  }

  // --- acting ----------------------------------------------------------------------------------

  function play() {
    const started = audio.play();
    if (started && typeof started.catch === 'function') started.catch(() => {});
  }

  function playFrom(seconds) {
    audio.currentTime = seconds;
    userScrolledAt = -Infinity; // the reader chose a place: follow from there
    markHeard();
    play();
  }

  function togglePlay() {
    if (audio.paused) play();
    else audio.pause();
  }

  function skip(seconds) {
    const end = Number.isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.max(0, Math.min(end, (audio.currentTime || 0) + seconds));
    userScrolledAt = -Infinity;
  }

  function moveAmongSegments(from, key) {
    const index = segments.findIndex((s) => s.el === from);
    if (index < 0) return false;
    let to = index;
    if (key === 'ArrowUp') to = index - 1;
    else if (key === 'ArrowDown') to = index + 1;
    else if (key === 'Home') to = 0;
    else if (key === 'End') to = segments.length - 1;
    else return false;
    to = Math.max(0, Math.min(segments.length - 1, to));
    segments.forEach((s, i) => { s.el.tabIndex = i === to ? 0 : -1; });
    segments[to].el.focus();
    return true;
  }

  transcript.addEventListener('click', (e) => {
    const button = e.target.closest('button.segment');
    if (!button || !transcript.contains(button) || !hasAudio()) return;
    playFrom(Number(button.dataset.start));
  });

  function keyPressed(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target;
    // Typing stays typing.
    if (target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
    // Only where the player is: the status area has it while the note is transcribed.
    if (!e.currentTarget.contains(block) && !e.currentTarget.contains(transcript)) return;
    const segment = target.closest('button.segment');
    if (segment && moveAmongSegments(segment, e.key)) {
      e.preventDefault();
      return;
    }
    if (!hasAudio()) return;
    if (e.key === ' ' || e.key === 'Spacebar') {
      // Buttons, links and the player's own controls keep their Space.
      if (target.closest('button, a[href], audio, summary')) return;
      e.preventDefault();
      togglePlay();
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && target !== audio) {
      e.preventDefault();
      skip(e.key === 'ArrowLeft' ? -SKIP_SECONDS : SKIP_SECONDS);
    }
  }

  areas.forEach((area) => area.addEventListener('keydown', keyPressed));

  audio.addEventListener('timeupdate', markHeard);
  audio.addEventListener('seeked', markHeard);
  audio.addEventListener('error', audioFailed);

  transcript.addEventListener('wheel', readerScrolled, { passive: true });
  transcript.addEventListener('touchmove', readerScrolled, { passive: true });
  transcript.addEventListener('scroll', () => {
    if (!autoScrolling) readerScrolled();
  }, { passive: true });
  transcript.addEventListener('scrollend', () => {
    autoScrolling = false;
  });

  return { reset, load, showText, showSegments, text, hasAudio };
}
