// Following one transcription job until it is completed, failed or cancelled: first one status call
// (which tells "not there yet", "not yours" and "signed out" apart, something EventSource cannot),
// then the server's live event stream, or polling every 2 seconds when the stream is not usable.

import { eventsPath, fetchStatus } from './api.js';

const POLL_MS = 2000;
const WAITING_RETRY_MS = 1000;
// The status view learns of an upload a moment after the upload answers: a 404 that soon means "not yet".
const GRACE_MS = 15000;
// The stream opens with the current state; no event by then means something in between holds it back.
const FIRST_EVENT_MS = 10000;
// EventSource reconnects by itself (with Last-Event-ID); this many failures in a row and we poll instead.
const MAX_STREAM_ERRORS = 3;

export const isFinal = (s) => s && ['completed', 'failed', 'cancelled'].includes(s.status);

/**
 * Follows node id. Handlers:
 *   onStatus(status)        every state seen (the last one is final)
 *   onWaiting()             the job is not visible yet ("Waiting in queue...")
 *   onTrouble(message|null) a passing problem (still trying), or null once it is over
 *   onGone(message)         following cannot go on (not found, not yours)
 *   onSignedOut()           the session ended (the API module has already said so)
 * Options: isStale(status) marks a state still left over from before (e.g. the failed attempt
 * just retried), treated like "not visible yet" during the grace time.
 * Answers { stop() }.
 */
export function follow(id, handlers, { isStale = () => false } = {}) {
  const graceUntil = Date.now() + GRACE_MS;
  let stopped = false;
  let timer = null;
  let source = null;
  let firstEventTimer = null;
  let lastJson = null;

  function stop() {
    stopped = true;
    clearTimeout(timer);
    closeStream();
  }

  function closeStream() {
    clearTimeout(firstEventTimer);
    if (source) source.close();
    source = null;
  }

  function later(step, ms) {
    clearTimeout(timer);
    timer = setTimeout(step, ms);
  }

  /** Hands a state on (once per change); answers true when it was the final one. */
  function deliver(status) {
    const json = JSON.stringify(status);
    const final = isFinal(status);
    if (final) stop();
    if (json !== lastJson) {
      lastJson = json;
      handlers.onStatus(status);
    }
    return final;
  }

  /** One status call, then what it means: 'ok' (with status), 'waiting', or null when handled. */
  async function ask() {
    let answer;
    try {
      answer = await fetchStatus(id);
    } catch (err) {
      if (!stopped) handlers.onTrouble(`${err.message} Still trying…`);
      return null;
    }
    if (stopped) return null;
    if (answer.ok && answer.body) {
      handlers.onTrouble(null);
      return { kind: 'ok', status: answer.body };
    }
    if (answer.status === 404) {
      if (Date.now() < graceUntil) return { kind: 'waiting' };
      stop();
      handlers.onGone(`Voice note ${id} was not found.`);
      return null;
    }
    if (answer.status === 401) {
      stop();
      handlers.onSignedOut();
      return null;
    }
    if (answer.status === 403 || answer.status === 400) {
      // 400: an id the server cannot take (e.g. typed into the address); waiting will not help.
      stop();
      handlers.onGone((answer.body && answer.body.error)
        || (answer.status === 403 ? `Voice note ${id} is not yours.` : `There is no voice note ${id}.`));
      return null;
    }
    // Anything else (5xx, a proxy's page) is taken as passing: a long job should not be abandoned.
    const said = answer.body && answer.body.error ? ` (${answer.body.error})` : ` (HTTP ${answer.status})`;
    handlers.onTrouble(`Having trouble getting the status${said}. Still trying…`);
    return null;
  }

  async function start() {
    const got = await ask();
    if (stopped) return;
    if (!got) return later(start, POLL_MS);
    if (got.kind === 'waiting' || (isStale(got.status) && Date.now() < graceUntil)) {
      handlers.onWaiting();
      return later(start, WAITING_RETRY_MS);
    }
    if (deliver(got.status)) return;
    stream();
  }

  function stream() {
    if (typeof EventSource !== 'function') return poll();
    let errors = 0;
    let seenEvent = false;
    source = new EventSource(eventsPath(id));
    firstEventTimer = setTimeout(() => {
      if (!seenEvent) fallBackToPolling();
    }, FIRST_EVENT_MS);
    source.addEventListener('status', (e) => {
      if (stopped) return;
      seenEvent = true;
      errors = 0;
      let status;
      try {
        status = JSON.parse(e.data);
      } catch {
        return; // a garbled event; the next one carries the whole state again
      }
      handlers.onTrouble(null);
      // The server ends the stream after the final state; deliver() closes it first, so
      // EventSource's "error" at the end does not make it reconnect.
      deliver(status);
    });
    source.addEventListener('error', () => {
      if (stopped || !source) return;
      errors += 1;
      // CLOSED: the server refused (e.g. signed out); polling finds out why and says so.
      if (source.readyState === EventSource.CLOSED || errors >= MAX_STREAM_ERRORS) fallBackToPolling();
    });
  }

  function fallBackToPolling() {
    closeStream();
    if (!stopped) poll();
  }

  async function poll() {
    const got = await ask();
    if (stopped) return;
    if (got && got.kind === 'waiting') handlers.onWaiting();
    if (got && got.kind === 'ok' && deliver(got.status)) return;
    later(poll, POLL_MS);
  }

  start();
  return { stop };
}
