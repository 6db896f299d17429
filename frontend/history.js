// The person's voice notes, newest first, from GET /api/nodes; or, with words in the search box,
// the notes that have them, best match first, with the passage that matched.

import { listNodes } from './api.js';
import { chunkWords, formatClock, noteName } from './view.js';

const PAGE_SIZE = 20;
const MAX_SIZE = 100; // the server's largest page
// Notes other than the one followed live change too; while any is unfinished, look again now and then.
const BUSY_REFRESH_MS = 10000;
// Search once typing pauses, not on every key.
const SEARCH_DELAY_MS = 300;

const WORDS = {
  pending: () => 'Waiting',
  processing: (item) => `Transcribing ${Math.round(item.progress || 0)}%`,
  completed: () => 'Complete',
  failed: () => 'Failed',
  cancelled: () => 'Cancelled',
};

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatTime(iso) {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? when.format(date) : '';
}

/** The matched passage: plain text pieces, the matching ones in <mark>; never parsed as HTML. */
function snippetNodes(snippet) {
  return snippet.filter((piece) => piece && typeof piece.text === 'string').map((piece) => {
    if (!piece.match) return document.createTextNode(piece.text);
    const mark = document.createElement('mark');
    mark.textContent = piece.text;
    return mark;
  });
}

/**
 * list: the <ol>; note: a line for "empty" and loading problems; more: the "Show more" button;
 * search: the search box. onOpen(id) is called when an item is chosen.
 */
export function createHistory({ list, note, more, search, onOpen }) {
  let query = ''; // the words searched for; '' for the whole list
  let generation = 0; // bumped when the query changes: answers to older ones are dropped
  let searchTimer = null;
  let items = [];
  let pages = 1;
  let total = 0;
  let current = null;
  let active = false;
  let soon = null;
  let busyTimer = null;
  let loading = null;
  let inFlight = null; // the request under way, aborted when the words change (Hark runs few searches per user at once)

  function itemFor(id) {
    return items.find((item) => String(item.node_id) === String(id));
  }

  function render() {
    // Rebuilding the list would drop keyboard focus; put it back on the same note.
    const focused = list.contains(document.activeElement)
      ? document.activeElement.closest('li')?.dataset.nodeId : null;
    list.replaceChildren(...items.map(renderItem));
    if (focused) list.querySelector(`li[data-node-id="${CSS.escape(focused)}"] button`)?.focus();
    more.hidden = items.length >= total;
    list.classList.toggle('searching', Boolean(query));
    if (note.dataset.kind === 'problem') return;
    if (query) {
      note.textContent = total
        ? `${total === 1 ? '1 note matches' : `${total} notes match`} “${query}”.`
        : `No notes match “${query}”.`;
    } else {
      note.textContent = items.length ? '' : 'No voice notes yet. Record or upload one to see it here.';
    }
  }

  function renderItem(item) {
    const li = document.createElement('li');
    li.dataset.nodeId = String(item.node_id);
    li.dataset.status = item.status;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'history-item';
    if (String(item.node_id) === String(current)) button.setAttribute('aria-current', 'true');

    const title = document.createElement('span');
    title.className = 'item-title';
    title.textContent = noteName(item.node_id, item.title);
    const badge = document.createElement('span');
    badge.className = `badge badge-${item.status}`;
    badge.textContent = (WORDS[item.status] || (() => item.status))(item);
    const meta = document.createElement('span');
    meta.className = 'item-meta';
    const parts = [];
    if (Number.isFinite(item.duration_seconds)) parts.push(formatClock(item.duration_seconds));
    parts.push(formatTime(item.uploaded_at));
    if (item.status === 'processing' && item.chunks_total > 1) parts.push(chunkWords(item.chunks_done, item.chunks_total));
    if (item.status === 'failed' && item.error) parts.push(item.error);
    meta.textContent = parts.filter(Boolean).join(' · ');

    button.append(title, badge, meta);
    // In a search, the passage that matched; otherwise the first words.
    const words = document.createElement('span');
    words.className = 'item-words';
    if (query && Array.isArray(item.snippet) && item.snippet.length) {
      words.classList.add('item-snippet');
      words.append(...snippetNodes(item.snippet));
    } else if (typeof item.preview === 'string' && item.preview.trim()) {
      words.classList.add('item-preview');
      words.textContent = item.preview;
    }
    if (words.hasChildNodes()) button.append(words);
    button.addEventListener('click', () => onOpen(item.node_id));
    li.append(button);
    return li;
  }

  function problem(err) {
    if (err.signedOut) return; // the sign-in form says it
    note.dataset.kind = 'problem';
    note.textContent = `Could not load your voice notes: ${err.message}`;
  }

  function settled() {
    note.dataset.kind = '';
  }

  /** Loads the pages shown so far again, in one call. */
  async function refresh() {
    if (!active) return;
    clearTimeout(soon);
    if (loading) return loading;
    const asked = generation;
    const load = (async () => {
      try {
        const size = Math.min(MAX_SIZE, pages * PAGE_SIZE);
        inFlight = new AbortController();
        const page = await listNodes({ page: 0, size, q: query, signal: inFlight.signal });
        if (!active || asked !== generation) return;
        settled();
        items = page.items || [];
        total = page.total ?? items.length;
        render();
      } catch (err) {
        if (active && asked === generation && err.name !== 'AbortError') problem(err);
      } finally {
        if (loading === load) loading = null;
        scheduleBusyRefresh();
      }
    })();
    loading = load;
    return load;
  }

  /** The search box's words changed: search for them, or back to the whole list when cleared. */
  function searchFor(words) {
    const next = words.trim().slice(0, 200);
    clearTimeout(searchTimer);
    if (next === query) return;
    query = next;
    generation += 1;
    loading = null; // an answer still on its way is for the old words
    if (inFlight) inFlight.abort();
    pages = 1;
    refresh();
  }

  function searchTyped() {
    clearTimeout(searchTimer);
    // Cleared: the whole list at once; words: once typing pauses.
    if (!search.value.trim()) searchFor('');
    else searchTimer = setTimeout(() => searchFor(search.value), SEARCH_DELAY_MS);
  }

  async function showMore() {
    more.disabled = true;
    const asked = generation;
    try {
      const page = await listNodes({ page: pages, size: PAGE_SIZE, q: query });
      if (!active || asked !== generation) return;
      settled();
      // Uploads since the first page shift the pages; skip what is already shown.
      const seen = new Set(items.map((item) => String(item.node_id)));
      items = items.concat((page.items || []).filter((item) => !seen.has(String(item.node_id))));
      total = page.total ?? total;
      pages += 1;
      render();
    } catch (err) {
      problem(err);
    } finally {
      more.disabled = false;
    }
  }

  function scheduleBusyRefresh() {
    clearTimeout(busyTimer);
    // The note being followed is updated live already; only the others need a look.
    const busy = items.some((item) => (item.status === 'pending' || item.status === 'processing')
      && String(item.node_id) !== String(current));
    if (active && busy) {
      busyTimer = setTimeout(() => (document.hidden ? scheduleBusyRefresh() : refresh()), BUSY_REFRESH_MS);
    }
  }

  function refreshSoon() {
    if (!active) return;
    clearTimeout(soon);
    soon = setTimeout(refresh, 400);
  }

  more.addEventListener('click', showMore);
  search.addEventListener('input', searchTyped);
  search.addEventListener('search', () => searchFor(search.value)); // Enter, or the box's clear button

  return {
    start() {
      active = true;
      pages = 1;
      return refresh();
    },
    stop() {
      active = false;
      clearTimeout(soon);
      clearTimeout(busyTimer);
      items = [];
      total = 0;
      current = null;
      clearTimeout(searchTimer);
      search.value = '';
      query = '';
      generation += 1;
      loading = null;
      list.replaceChildren();
      note.textContent = '';
      more.hidden = true;
    },
    refresh,
    /** Refreshes shortly, so that a burst of changes costs one call. */
    refreshSoon,
    /** Marks the note being shown. */
    setCurrent(id) {
      current = id;
      list.querySelectorAll('button[aria-current]').forEach((b) => b.removeAttribute('aria-current'));
      if (id != null) {
        list.querySelector(`li[data-node-id="${CSS.escape(String(id))}"] button`)?.setAttribute('aria-current', 'true');
      }
    },
    /** A note got a new name: shown at once, and asked for again (a search may now find it or not). */
    renamed(id, title) {
      const item = itemFor(id);
      if (item) {
        item.title = title;
        render();
      }
      refreshSoon();
    },
    /** The note's name as the list knows it, or undefined when it is not in the list. */
    titleOf(id) {
      return itemFor(id)?.title;
    },
    /** Applies a live status of the followed note at once, without waiting for the list. */
    update(status) {
      const item = itemFor(status.node_id);
      if (!item) {
        if (!query) refreshSoon(); // a search need not show it
        return;
      }
      const changed = item.status !== status.status || item.progress !== status.progress;
      Object.assign(item, {
        status: status.status,
        progress: status.progress,
        stage: status.stage,
        error: status.error,
        chunks_total: status.chunks_total,
        chunks_done: status.chunks_done,
        completed_at: status.completed_at,
      });
      if (changed) render();
    },
  };
}
