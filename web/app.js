// Pillar's web UI (issue 19): search, read, tag, cite, export and compare over the JSON API of
// `pillar serve` (docs/api.md). Plain JavaScript, no framework: the whole state of a page is in
// its URL (?view=...&q=...), so a page can be shared and the back button works; every view is
// rendered from the URL by render().
'use strict';

const main = document.getElementById('main');
const statusRegion = document.getElementById('status');

// ---- Small helpers -------------------------------------------------------------------------

// An element with attributes (on* take functions, others strings; false/null are left out)
// and children (strings become text nodes: nothing from the API is ever parsed as HTML).
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'className') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function announce(text) {
  statusRegion.textContent = '';
  // A fresh text node each time, so that screen readers announce a repeated message.
  setTimeout(() => { statusRegion.textContent = text; }, 30);
}

function toast(text) {
  const t = h('div', { className: 'toast', role: 'alert' }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 3000);
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Fetches `path` from the API and parses its JSON; throws ApiError with the server's
// {"error": {"code", "message"}}.
async function api(path, options) {
  const res = await fetch(path, options);
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!res.ok) {
    const err = (body && body.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || text);
  }
  return body;
}

const enc = encodeURIComponent;
function passagePath(id) { return '/api/passages/' + enc(id); }

let taxonomyCache = null;
async function taxonomy() {
  if (!taxonomyCache) {
    const list = await api('/api/taxonomy');
    const concepts = Array.isArray(list) ? list : (list.concepts || []);
    taxonomyCache = { list: concepts, byId: new Map(concepts.map((c) => [c.id, c])) };
  }
  return taxonomyCache;
}

let documentsCache = null;
async function documents() {
  if (!documentsCache) {
    const list = await api('/api/documents');
    const docs = Array.isArray(list) ? list : (list.documents || []);
    documentsCache = { list: docs, byId: new Map(docs.map((d) => [d.id, d])) };
  }
  return documentsCache;
}

// Text with [begin, end) code-point ranges marked.
function highlighted(text, spans) {
  if (!text) return [];
  const cps = Array.from(text);
  const out = [];
  let at = 0;
  for (const [b, e] of spans || []) {
    if (b < at || e > cps.length) continue;
    if (b > at) out.push(cps.slice(at, b).join(''));
    out.push(h('mark', {}, cps.slice(b, e).join('')));
    at = e;
  }
  if (at < cps.length) out.push(cps.slice(at).join(''));
  return out;
}

// "para. 5", "Article 5", "PP3" and "p. 12": where a passage is, as the house style cites it.
function where(p) {
  const parts = [];
  if (p.locator) parts.push(/^\d/.test(p.locator) ? 'para. ' + p.locator : p.locator);
  if (p.page) parts.push('p. ' + p.page);
  return parts.join(', ');
}

function sourceLabel(source) {
  return { rule: 'rule', model: 'model', manual: 'manual' }[source] || source;
}

// The chips of a passage's pillars; the evidence shows on hover and on focus.
function chips(pillars, tax) {
  if (!pillars || !pillars.length) return null;
  return h('ul', { className: 'chips', 'aria-label': 'Pillars' }, pillars.map((p) => {
    const concept = tax && tax.byId.get(p.id);
    let evidence = '';
    if (p.source === 'manual') {
      evidence = 'Tagged by hand' + (p.by ? ' by ' + p.by : '') + (p.when ? ' on ' + p.when.slice(0, 10) : '') +
        (p.note ? ': ' + p.note : '');
    } else if (p.evidence && p.evidence.length) {
      evidence = (p.source === 'model' ? 'Model, words: ' : 'Rule matched: ') + p.evidence.join(', ');
    }
    const label = (concept ? concept.label : p.id) + ' (' + sourceLabel(p.source) + ')';
    return h('li', {
      className: 'chip ' + p.source, tabindex: '0', 'data-evidence': evidence || null,
      title: evidence || null, 'aria-label': label + (evidence ? '. ' + evidence : ''),
    }, p.id, ' · ', sourceLabel(p.source));
  }));
}

// ---- URL state -----------------------------------------------------------------------------

const SEARCH_KEYS = ['q', 'pillar', 'doc', 'org', 'year', 'lang', 'type', 'offset', 'per_doc', 'no_acronyms'];
const PAGE_SIZE = 10;

function params() { return new URLSearchParams(location.search); }

// Navigates to `query` (a URLSearchParams or object) inside the app, recording history.
function go(query, replace) {
  const qs = new URLSearchParams(query).toString();
  const url = '/' + (qs ? '?' + qs : '');
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  render();
}

function searchState(p) {
  const s = new URLSearchParams();
  for (const k of SEARCH_KEYS) for (const v of p.getAll(k)) if (v !== '') s.append(k, v);
  return s;
}

function quoteField(v) { return /^[\w.-]+$/.test(v) ? v : '"' + v.replace(/"/g, '') + '"'; }

// The filters the API has no parameter for (bodies, years, types) join the query as its
// fields; several values of one field are alternatives.
function apiQuery(p) {
  const parts = [];
  const q = (p.get('q') || '').trim();
  if (q) parts.push(p.getAll('org').length || p.getAll('year').length || p.getAll('type').length ? '(' + q + ')' : q);
  for (const field of ['org', 'year', 'type']) {
    const values = p.getAll(field);
    if (!values.length) continue;
    const clauses = values.map((v) => field + ':' + quoteField(v));
    parts.push(clauses.length > 1 ? '(' + clauses.join(' OR ') + ')' : clauses[0]);
  }
  return parts.join(' ');
}

function apiSearchParams(p, offset, limit) {
  const a = new URLSearchParams();
  a.set('q', apiQuery(p));
  for (const k of ['pillar', 'doc', 'lang']) for (const v of p.getAll(k)) a.append(k, v);
  if (p.get('per_doc')) a.set('per_doc', p.get('per_doc'));
  if (p.get('no_acronyms')) a.set('no_acronyms', '1');
  a.set('offset', String(offset));
  a.set('limit', String(limit));
  return a;
}

// ---- Selection for export (kept for the session; not part of a shared URL) ------------------

const selection = new Set(JSON.parse(sessionStorage.getItem('pillar.selection') || '[]'));
function saveSelection() {
  sessionStorage.setItem('pillar.selection', JSON.stringify([...selection]));
  const button = document.getElementById('export-selection');
  if (button) {
    button.textContent = 'Download selection (' + selection.size + ')';
    button.disabled = selection.size === 0;
  }
}

const EXPORT_FORMATS = [
  ['bibtex', 'BibTeX', 'bib'], ['ris', 'RIS', 'ris'], ['csl-json', 'CSL-JSON', 'json'],
  ['csv', 'CSV', 'csv'], ['w3c', 'W3C Web Annotations', 'jsonld'],
];

// Downloads `url` as a file called `name` (through a link, so the browser's own download
// handling applies and nothing is held in memory by the page).
function download(url, name) {
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

function exportToolbar(p) {
  const format = h('select', { id: 'export-format' },
    EXPORT_FORMATS.map(([v, label]) => h('option', { value: v }, label)));
  format.value = sessionStorage.getItem('pillar.format') || 'bibtex';
  format.addEventListener('change', () => sessionStorage.setItem('pillar.format', format.value));
  const ext = () => EXPORT_FORMATS.find((f) => f[0] === format.value)[2];
  const all = h('button', {
    type: 'button', id: 'export-all', className: 'secondary',
    onclick: () => {
      const a = apiSearchParams(p, 0, 0);
      a.delete('offset'); a.delete('limit');
      a.set('format', format.value);
      download('/api/export?' + a.toString(), 'pillar-results.' + ext());
      announce('Downloading the result set as ' + format.selectedOptions[0].textContent);
    },
  }, 'Download all results');
  const sel = h('button', {
    type: 'button', id: 'export-selection', className: 'secondary', disabled: selection.size === 0,
    onclick: () => {
      const name = 'pillar-selection.' + ext();
      if (['bibtex', 'ris', 'csl-json'].includes(format.value)) {
        // One citation per passage, with its pinpoint.
        const a = new URLSearchParams({ ids: [...selection].join(','), format: format.value });
        download('/api/cite?' + a.toString(), name);
      } else {
        exportSelection(format.value, name);
      }
      announce('Downloading ' + selection.size + ' selected passages');
    },
  }, 'Download selection (' + selection.size + ')');
  const clear = h('button', {
    type: 'button', className: 'secondary',
    onclick: () => {
      selection.clear(); saveSelection();
      for (const c of main.querySelectorAll('input.select')) c.checked = false;
    },
  }, 'Clear selection');
  return h('div', { className: 'toolbar', role: 'group', 'aria-label': 'Export' },
    h('label', { for: 'export-format' }, 'Export as'), format, sel, all, clear);
}

// The byte ranges of the records of a CSV text (RFC 4180: quoted fields may hold commas,
// quotes doubled and line breaks) and the first field of each, unquoted.
function csvRecords(text) {
  const records = [];
  let start = 0, quoted = false, first = null;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') { if (text[i + 1] === '"') i++; else quoted = false; }
      continue;
    }
    if (c === '"') { quoted = true; continue; }
    if (c === ',' && first === null) first = text.slice(start, i);
    if (c === '\n' || i === text.length) {
      if (i > start) {
        const raw = text.slice(start, i + (c === '\n' ? 1 : 0));
        const f = first === null ? raw.trim() : first;
        records.push({ raw, first: f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f });
      }
      start = i + 1;
      first = null;
    }
  }
  return records;
}

// CSV and W3C exports of the selected passages: /api/export takes search filters, not passage
// ids, so the documents of the selection are exported and cut down to its passages here.
async function exportSelection(format, name) {
  const ids = new Set(selection);
  const q = new URLSearchParams({ format });
  for (const doc of new Set([...ids].map((id) => id.split('#')[0]))) q.append('doc', doc);
  try {
    const res = await fetch('/api/export?' + q.toString());
    const text = await res.text();
    if (!res.ok) throw new Error(JSON.parse(text).error.message);
    let out, type;
    if (format === 'csv') {
      const records = csvRecords(text);
      out = records.length ? records[0].raw + records.slice(1).filter((r) => ids.has(r.first)).map((r) => r.raw).join('') : '';
      type = 'text/csv';
    } else {
      const collection = JSON.parse(text);
      const mine = (a) => [...ids].some((id) => String(a.id || '').startsWith('urn:pillar:annotation:' + enc(id) + ':'));
      const items = ((collection.first || {}).items || []).filter(mine);
      collection.first.items = items;
      collection.total = items.length;
      out = JSON.stringify(collection, null, 2) + '\n';
      type = 'application/ld+json';
    }
    const url = URL.createObjectURL(new Blob([out], { type }));
    download(url, name);
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    toast('Export failed: ' + err.message);
  }
}

async function copyCitation(id) {
  try {
    const res = await fetch('/api/cite?' + new URLSearchParams({ ids: id, format: 'text' }));
    if (!res.ok) throw new Error((await res.json()).error.message);
    const text = (await res.text()).trim();
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied: ' + text);
    } catch (e) {
      toast(text);  // no clipboard permission: show it to copy by hand
    }
    announce('Citation: ' + text);
    return text;
  } catch (e) {
    toast('Cannot cite: ' + e.message);
    return null;
  }
}

// ---- Search view ---------------------------------------------------------------------------

function facetButton(field, value, label, count, active, p) {
  return h('li', {}, h('button', {
    type: 'button', className: 'facet', 'aria-pressed': active ? 'true' : 'false',
    'data-facet': field, 'data-value': value,
    onclick: () => {
      const next = searchState(p);
      const values = next.getAll(field);
      next.delete(field);
      for (const v of values) if (v !== value) next.append(field, v);
      if (!active) next.append(field, value);
      next.delete('offset');
      go(next);
    },
  }, h('span', {}, label), h('span', { className: 'n' }, count.toLocaleString('en'))));
}

function facetGroup(title, field, counts, labels, p, sortByCount) {
  const active = new Set(p.getAll(field));
  let entries = Object.entries(counts || {});
  for (const v of active) if (!(v in (counts || {}))) entries.push([v, 0]);
  if (sortByCount) entries.sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  else entries.sort((x, y) => y[0].localeCompare(x[0]));
  if (!entries.length) return null;
  const id = 'facet-' + field;
  // A long facet (hundreds of documents in a large index) shows its first values and the
  // rest on request: building every button would cost the page its first interactive frame.
  const shown = entries.filter(([v], i) => i < FACET_SHOWN || active.has(v));
  const list = h('ul', { id: id + '-list' }, shown.map(([v, n]) => facetButton(field, v, labels ? labels(v) : v, n, active.has(v), p)));
  const more = entries.length > shown.length ? h('button', {
    type: 'button', className: 'linkish', 'aria-controls': id + '-list',
    onclick: (e) => {
      list.replaceChildren(...entries.map(([v, n]) => facetButton(field, v, labels ? labels(v) : v, n, active.has(v), p)));
      e.target.remove();
      list.querySelector('button').focus();
    },
  }, 'Show all ' + entries.length.toLocaleString('en')) : null;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), list, more);
}

const FACET_SHOWN = 8;

function pillarFacets(counts, tax, p) {
  const active = new Set(p.getAll('pillar'));
  const schemes = new Map();
  const ids = new Set([...Object.keys(counts || {}), ...active]);
  for (const c of tax.list) {
    if (!ids.has(c.id)) continue;
    if (!schemes.has(c.scheme)) schemes.set(c.scheme, []);
    schemes.get(c.scheme).push(c);
    ids.delete(c.id);
  }
  for (const id of ids) {  // concepts the taxonomy no longer lists
    if (!schemes.has('other')) schemes.set('other', []);
    schemes.get('other').push({ id, label: id });
  }
  if (!schemes.size) return null;
  return h('section', { 'aria-labelledby': 'facet-pillar' },
    h('h2', { id: 'facet-pillar' }, 'Pillars'),
    [...schemes].map(([scheme, concepts]) => [
      h('h3', {}, scheme),
      h('ul', {}, concepts.map((c) => facetButton('pillar', c.id, c.label, (counts || {})[c.id] || 0, active.has(c.id), p))),
    ]));
}

// Shows a query syntax error under the box, a caret at its column, and puts the cursor there.
function showQueryError(err, input, box) {
  const m = /column (\d+)/.exec(err.message);
  box.replaceChildren();
  input.setAttribute('aria-invalid', 'true');
  const children = [h('p', { id: 'query-error-message' }, err.message)];
  if (m) {
    const col = Number(m[1]);
    children.push(h('pre', { 'aria-hidden': 'true' }, input.value + '\n' + ' '.repeat(Math.max(0, col - 1)) + '^'));
    // The column counts characters from 1.
    const at = Math.min(input.value.length, Math.max(0, col - 1));
    input.setSelectionRange(at, at);
  }
  box.append(...children);
  box.hidden = false;
}

async function renderSearch(p) {
  const q = p.get('q') || '';
  const offset = Math.max(0, Number(p.get('offset') || 0));
  performance.clearMarks();
  performance.clearMeasures();
  const requested = performance.now();
  // The search starts first; the taxonomy and document list (cached after the first page)
  // load meanwhile.
  const response = fetch('/api/search?' + apiSearchParams(p, offset, PAGE_SIZE).toString())
    .then(async (res) => {
      const text = await res.text();
      performance.mark('search-response');
      return { res, text };
    });
  response.catch(() => {});
  const [tax, docs] = await Promise.all([taxonomy(), documents()]);
  document.title = q ? q + ' — Pillar' : 'Search — Pillar';

  const input = h('input', {
    type: 'search', id: 'q', name: 'q', value: q, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'query-help query-error',
  });
  const errorBox = h('div', { id: 'query-error', className: 'query-error error', role: 'alert', hidden: true });
  const form = h('form', {
    role: 'search', className: 'searchbar',
    onsubmit: (e) => {
      e.preventDefault();
      const next = searchState(p);
      next.set('q', input.value);
      next.delete('offset');
      go(next);
    },
  }, h('label', { for: 'q' }, 'Search passages'), input, h('button', { type: 'submit' }, 'Search'));
  const help = h('p', { id: 'query-help', className: 'hint' },
    'Words, "phrases", AND OR NOT -word, NEAR/n, word*, (groups), fields such as pillar:un-tier-2, ',
    'org:, type:, lang:, year:2012..2023 and symbols (S/RES/2719). Press / to come back here, ? for the keys.');
  const sidebar = h('nav', { className: 'facets', 'aria-label': 'Filters' });
  const results = h('div', { className: 'results' });
  main.replaceChildren(h('h1', {}, 'Search'), form, help, errorBox,
    h('div', { className: 'layout' }, sidebar, h('section', { 'aria-label': 'Results' }, results)));

  let data;
  try {
    const { res, text } = await response;
    data = JSON.parse(text);
    if (!res.ok) throw new ApiError(res.status, data.error.code, data.error.message);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) {
      showQueryError(err, input, errorBox);
      results.append(h('p', {}, 'Correct the query to see results.'));
    } else {
      results.append(h('p', { className: 'error', role: 'alert' }, 'Search failed: ' + err.message));
    }
    main.dataset.ready = 'search';
    return;
  }

  // Facets: exact counts over the whole result set.
  const f = data.facets || {};
  const docLabel = (id) => (docs.byId.get(id) || {}).title || id;
  sidebar.append(
    h('h2', { className: 'visually-hidden' }, 'Filters'),
    pillarFacets(f.pillar, tax, p) || '',
    facetGroup('Documents', 'doc', f.doc, docLabel, p, true) || '',
    facetGroup('Bodies', 'org', f.org, null, p, true) || '',
    facetGroup('Years', 'year', f.year, null, p, false) || '',
    facetGroup('Languages', 'lang', f.lang, null, p, true) || '',
    facetGroup('Document types', 'type', f.type, null, p, true) || '');

  // Active filters, each removable.
  const active = [];
  for (const k of ['pillar', 'doc', 'org', 'year', 'lang', 'type']) {
    for (const v of p.getAll(k)) {
      active.push(h('button', {
        type: 'button', className: 'secondary', 'aria-label': 'Remove filter ' + k + ' ' + v,
        onclick: () => {
          const next = searchState(p);
          const vs = next.getAll(k); next.delete(k);
          for (const x of vs) if (x !== v) next.append(k, x);
          next.delete('offset');
          go(next);
        },
      }, k + ': ' + (k === 'doc' ? docLabel(v) : v) + ' ×'));
    }
  }
  if (active.length) results.append(h('div', { className: 'active-filters', 'aria-label': 'Active filters' }, active));

  if (data.did_you_mean) {
    const next = searchState(p); next.set('q', data.did_you_mean); next.delete('offset');
    results.append(h('p', { className: 'did-you-mean' }, 'Did you mean ',
      h('a', { href: '/?' + next.toString(), onclick: (e) => { e.preventDefault(); go(next); } },
        h('strong', {}, data.did_you_mean)), '?'));
  }
  // Acronyms and long forms the documents define were searched too (docs/query.md): say so,
  // with the way back to the words as typed.
  const asTyped = searchState(p); asTyped.delete('offset');
  if (p.get('no_acronyms')) asTyped.delete('no_acronyms'); else asTyped.set('no_acronyms', '1');
  const toggle = (label) => h('a', { href: '/?' + asTyped.toString(),
    onclick: (e) => { e.preventDefault(); go(asTyped); } }, label);
  for (const e of data.also_searched || []) {
    results.append(h('p', { className: 'also-searched' }, 'Also searched: ',
      h('strong', {}, e.also.join(', ')), ' for “' + e.words + '”. ', toggle('Search only as typed')));
  }
  // A question's own words ("how", "does") were left out of the search (docs/query.md).
  if ((data.not_searched || []).length) {
    results.append(h('p', { className: 'not-searched' }, 'Read as a question; not searched: ',
      h('strong', {}, data.not_searched.join(', ')), '. Put a word in quotes to search it.'));
  }
  if (p.get('no_acronyms')) {
    results.append(h('p', { className: 'also-searched' }, 'Searched only as typed. ',
      toggle('Also search acronyms and long forms')));
  }
  const total = data.any_word_hits ? data.any_word_total : data.total;
  const hits = data.hits || [];
  const first = hits.length ? offset + 1 : 0;
  results.append(h('p', { className: 'summary', id: 'summary' },
    !data.any_word_hits ? '' : data.near_relaxed
      ? 'No passage has the words as near as asked; these have them farther apart or some of them. '
      : 'No passage has every word; these have some of them. ',
    hits.length ? `Passages ${first}–${offset + hits.length} of ${total.toLocaleString('en')}` :
      (data.offset_past_end ? 'No passages on this page.' : 'No passages match.')));
  results.append(exportToolbar(p));

  const list = h('ol', { className: 'hits', start: String(first || 1) });
  // After the passages that match the whole query, the page's fill (docs/query.md, "All
  // words first, then some") goes in a second list under a line that says what it holds.
  let fill = null;
  hits.forEach((hit, i) => {
    const rank = offset + i;
    const read = searchState(p);
    read.set('view', 'read'); read.set('id', hit.passage_id); read.set('hit', String(rank));
    const titleId = 'hit-title-' + rank;
    const box = h('input', {
      type: 'checkbox', className: 'select', id: 'select-' + rank, checked: selection.has(hit.passage_id),
      onchange: (e) => { if (e.target.checked) selection.add(hit.passage_id); else selection.delete(hit.passage_id); saveSelection(); },
    });
    if (hit.some_words && !data.any_word_hits && !fill) {
      fill = h('ol', { className: 'hits fill', start: String(offset + i + 1) });
    }
    (fill || list).append(h('li', { className: 'hit', 'data-id': hit.passage_id },
      h('h2', { id: titleId }, h('a', {
        href: '/?' + read.toString(), className: 'open',
        onclick: (e) => { if (e.ctrlKey || e.metaKey || e.shiftKey) return; e.preventDefault(); go(read); },
      }, hit.title || hit.doc_id, where(hit) ? ' — ' + where(hit) : '')),
      h('div', { className: 'where' }, [hit.issuer, hit.symbol, hit.date].filter(Boolean).join(' · '),
        hit.section ? h('span', {}, ' · ', hit.section) : null),
      h('p', { className: 'snippet' }, highlighted(hit.snippet, hit.snippet_highlights_cp)),
      chips(hit.pillars, tax),
      h('div', { className: 'actions' },
        h('span', {}, box, ' ', h('label', { for: 'select-' + rank }, 'Select for export')),
        h('button', { type: 'button', className: 'secondary', 'aria-describedby': titleId, onclick: () => copyCitation(hit.passage_id) }, 'Copy citation'))));
  });
  if (list.children.length) results.append(list);
  if (fill) {
    results.append(h('p', { className: 'fill-note', id: 'fill-note' }, data.near_relaxed
      ? 'Passages with the words farther apart or some of them:'
      : 'Passages with some of the words:'), fill);
  }

  // Paging.
  const pager = h('nav', { className: 'pager', 'aria-label': 'Pages' });
  const page = (o, label) => {
    const next = searchState(p);
    if (o > 0) next.set('offset', String(o)); else next.delete('offset');
    return h('a', { href: '/?' + next.toString(), onclick: (e) => { e.preventDefault(); go(next); } }, label);
  };
  if (offset > 0) pager.append(page(Math.max(0, offset - PAGE_SIZE), '← Previous'));
  if (!data.any_word_hits && offset + hits.length < total) pager.append(page(offset + PAGE_SIZE, 'Next →'));
  if (pager.childNodes.length) results.append(pager);

  // Interactive: the DOM is built; the next frame paints it and the page takes input.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  performance.mark('search-interactive');
  performance.measure('search-tti', 'search-response', 'search-interactive');
  performance.measure('search-total', { start: requested, end: 'search-interactive' });
  main.dataset.ready = 'search';
  announce(results.querySelector('#summary').textContent);
}

// ---- Reading view --------------------------------------------------------------------------

// Keys for concepts: 1-9, then letters the other shortcuts leave free.
const CONCEPT_KEYS = '123456789abcdefghilmopqstuvwyz'.split('');

function author() { return localStorage.getItem('pillar.author') || ''; }

async function renderRead(p) {
  const id = p.get('id');
  const tax = await taxonomy();
  let d;
  try {
    d = await api(passagePath(id) + '?context=2');
  } catch (err) {
    main.replaceChildren(h('h1', {}, 'Passage'), h('p', { className: 'error', role: 'alert' }, err.message));
    main.dataset.ready = 'read';
    return;
  }
  const passage = d.passage || d;
  const ctx = d.context || {};
  const before = ctx.before || d.before || [];
  const after = ctx.after || d.after || [];
  const docs = await documents();
  const doc = docs.byId.get(passage.doc_id) || {};
  document.title = (passage.title || passage.doc_id) + ' ' + where(passage) + ' — Pillar';

  const back = searchState(p);
  const hit = p.get('hit') !== null ? Number(p.get('hit')) : null;
  const nav = h('nav', { className: 'toolbar', 'aria-label': 'Passage navigation' });
  nav.append(h('a', { href: '/?' + back.toString(), onclick: (e) => { e.preventDefault(); go(back); } }, '← Results'));

  const readLink = (pid, extra) => {
    const next = searchState(p);
    next.set('view', 'read'); next.set('id', pid);
    for (const [k, v] of Object.entries(extra || {})) next.set(k, v);
    if (!extra || !('hit' in extra)) next.delete('hit');
    return next;
  };

  // Next/previous hit of the search the reader came from.
  let prevHit = null, nextHit = null;
  if (hit !== null && !Number.isNaN(hit)) {
    try {
      const from = Math.max(0, hit - 1);
      const r = await api('/api/search?' + apiSearchParams(p, from, hit - from + 2).toString());
      const hs = r.hits || [];
      const at = hit - from;
      if (at > 0 && hs[at - 1]) prevHit = readLink(hs[at - 1].passage_id, { hit: String(hit - 1) });
      if (hs[at + 1]) nextHit = readLink(hs[at + 1].passage_id, { hit: String(hit + 1) });
    } catch (e) { /* the search no longer runs: no hit links */ }
  }
  const link = (target, label, id2) => target ?
    h('a', { id: id2, href: '/?' + target.toString(), onclick: (e) => { e.preventDefault(); go(target); } }, label) :
    h('span', { className: 'hint' }, label);
  if (hit !== null) nav.append(link(prevHit, '[ Previous hit', 'prev-hit'), link(nextHit, 'Next hit ]', 'next-hit'));
  const prevPassage = before.length ? readLink(before[before.length - 1].passage_id) : null;
  const nextPassage = after.length ? readLink(after[0].passage_id) : null;
  nav.append(link(prevPassage, 'k Previous passage', 'prev-passage'), link(nextPassage, 'Next passage j', 'next-passage'));

  const section = passage.section_path || [];
  const crumbs = h('nav', { className: 'crumbs', 'aria-label': 'Section' },
    h('ol', {}, section.map((s) => h('li', {}, s))));
  const passageBlock = (x, target) => h('article', {
    className: 'passage ' + (target ? 'target' : 'neighbour'), id: target ? 'target' : null,
    tabindex: target ? '-1' : null, 'aria-label': target ? 'The passage' : null, lang: x.language || null,
  }, h('div', { className: 'loc' }, where(x) || 'unnumbered', x.footnote ? ' · footnote' : ''),
  h('p', {}, x.text),
  target ? null : h('div', { className: 'actions' }, chips(x.pillars, tax),
    h('a', { href: '/?' + readLink(x.passage_id).toString(), onclick: (e) => { e.preventDefault(); go(readLink(x.passage_id)); } },
      'Read this passage', h('span', { className: 'visually-hidden' }, ' ' + (where(x) || x.passage_id)))));

  const fileUrl = '/api/documents/' + enc(passage.doc_id) + '/file' + (passage.page ? '#page=' + passage.page : '');
  const meta = h('dl', { className: 'meta' },
    [['Title', passage.title], ['Issued by', passage.issuer], ['Symbol', passage.symbol], ['Date', passage.date],
      ['Type', passage.type], ['Language', passage.language], ['Passage id', passage.passage_id],
      ['Passages in the document', doc.passages]]
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));

  const tagPanel = tagPanelFor(passage, tax);
  main.replaceChildren(
    h('h1', {}, passage.title || passage.doc_id, where(passage) ? ' — ' + where(passage) : ''),
    nav,
    h('div', { className: 'reading' },
      h('div', {}, crumbs, before.map((x) => passageBlock(x, false)), passageBlock(passage, true),
        after.map((x) => passageBlock(x, false))),
      h('aside', { 'aria-label': 'Document and tags' },
        tagPanel,
        h('section', { className: 'panel', 'aria-labelledby': 'doc-h' }, h('h2', { id: 'doc-h' }, 'Document'), meta,
          h('p', {}, h('a', { href: fileUrl, target: '_blank', rel: 'noopener', id: 'original' },
            'Open the original' + (passage.page ? ' at page ' + passage.page : ''))),
          h('p', {}, h('button', { type: 'button', className: 'secondary', onclick: () => copyCitation(passage.passage_id) }, 'Copy citation'))))));
  main.dataset.ready = 'read';
  keyTargets = { prevHit, nextHit, prevPassage, nextPassage };
}

// The tagging panel: every concept with its key and a checkbox (checked when the passage has
// it), the note and the author, and "Set these".
function tagPanelFor(passage, tax) {
  const has = new Map((passage.pillars || []).map((x) => [x.id, x]));
  const note = h('input', { type: 'text', id: 'tag-note', autocomplete: 'off',
    onkeydown: (e) => {
      if (e.key === 'Enter') { e.preventDefault(); document.getElementById('target').focus(); announce('Note kept for the next tag'); }
    } });
  const who = h('input', { type: 'text', id: 'tag-author', value: author(), autocomplete: 'name',
    onchange: (e) => localStorage.setItem('pillar.author', e.target.value) });
  const list = h('ul', { className: 'concepts', id: 'concept-keys' });
  tax.list.forEach((c, i) => {
    const key = CONCEPT_KEYS[i];
    const tag = has.get(c.id);
    const box = h('input', { type: 'checkbox', id: 'concept-' + c.id, 'data-concept': c.id, checked: !!tag });
    list.append(h('li', {}, key ? h('kbd', { 'aria-hidden': 'true' }, key) : h('span', {}, ''), box,
      h('label', { for: 'concept-' + c.id, title: c.id }, c.label, key ? h('span', { className: 'visually-hidden' }, ' (key ' + key + ')') : '',
        tag ? h('span', { className: 'hint' }, ' — ' + sourceLabel(tag.source)) : '')));
  });
  const reviewed = h('button', { type: 'button', id: 'set-tags', onclick: () => setTags(passage, collectChecked(list)) },
    'Set these (mark reviewed)');
  return h('section', { className: 'panel', 'aria-labelledby': 'tags-h' },
    h('h2', { id: 'tags-h' }, 'Tags'),
    chips(passage.pillars, tax) || h('p', { className: 'hint' }, 'No pillar yet.'),
    h('p', {}, h('label', { for: 'tag-note' }, 'Note (key n; Enter keeps it)')), note,
    h('p', {}, h('label', { for: 'tag-author' }, 'Your name')), who,
    h('p', { className: 'hint' }, 'A key adds its concept with the note, or removes it when the passage has it; r marks the passage reviewed.'),
    list, h('p', {}, reviewed));
}

function collectChecked(list) {
  return [...list.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.dataset.concept);
}

function noteValue() { const n = document.getElementById('tag-note'); return n ? n.value : ''; }

async function tagRequest(path, method, body, done) {
  try {
    await api(path, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    announce(done);
    toast(done);
    await render({ keepFocus: true });
    const t = document.getElementById('target');
    if (t) t.focus();
  } catch (err) {
    toast('Not saved: ' + err.message);
    announce('Not saved: ' + err.message);
  }
}

function addTag(passage, concept) {
  return tagRequest(passagePath(passage.passage_id) + '/tags', 'POST',
    { concept, note: noteValue(), by: author() || 'web' }, 'Added ' + concept);
}

function removeTag(passage, concept) {
  const q = new URLSearchParams({ note: noteValue(), by: author() || 'web' });
  return tagRequest(passagePath(passage.passage_id) + '/tags/' + enc(concept) + '?' + q.toString(), 'DELETE', null, 'Removed ' + concept);
}

function setTags(passage, concepts) {
  return tagRequest(passagePath(passage.passage_id) + '/tags', 'PUT',
    { concepts, note: noteValue(), by: author() || 'web' }, 'Reviewed: ' + (concepts.join(', ') || 'no pillar'));
}

// ---- Annotations view ----------------------------------------------------------------------

async function renderAnnotations(p) {
  const orphans = p.has('orphans');
  document.title = (orphans ? 'Orphaned annotations' : 'Annotations') + ' — Pillar';
  let list;
  try {
    const r = await api('/api/annotations' + (orphans ? '?orphans' : ''));
    list = Array.isArray(r) ? r : (r.annotations || []);
  } catch (err) {
    main.replaceChildren(h('h1', {}, 'Annotations'), h('p', { className: 'error', role: 'alert' }, err.message));
    main.dataset.ready = 'annotations';
    return;
  }
  const toggle = h('p', {}, orphans ?
    h('a', { href: '/?view=annotations', onclick: (e) => { e.preventDefault(); go({ view: 'annotations' }); } }, 'Show all annotations') :
    h('a', { href: '/?view=annotations&orphans', onclick: (e) => { e.preventDefault(); go('view=annotations&orphans'); } }, 'Show only orphaned annotations'));
  const rows = list.map((a) => {
    const read = new URLSearchParams({ view: 'read', id: a.passage_id });
    return h('tr', {},
      h('td', {}, a.orphan ? h('span', {}, a.passage_id, h('br'), h('strong', { className: 'error' }, 'orphaned')) :
        h('a', { href: '/?' + read.toString(), onclick: (e) => { e.preventDefault(); go(read); } }, a.passage_id)),
      h('td', {}, a.action), h('td', {}, (a.concepts || []).join(', ') || '—'), h('td', {}, a.note || ''),
      h('td', {}, a.by || ''), h('td', {}, (a.when || '').replace('T', ' ').replace('Z', '')),
      h('td', {}, a.orphan ? h('div', { className: 'old-text' },
        h('span', { className: 'hint' }, a.prefix ? '…' + a.prefix : ''), h('strong', {}, a.exact || ''),
        h('span', { className: 'hint' }, a.suffix ? a.suffix + '…' : '')) : (a.exact || '').slice(0, 160)));
  });
  main.replaceChildren(h('h1', {}, orphans ? 'Orphaned annotations' : 'Annotations'),
    h('p', { className: 'hint' }, orphans ?
      'Manual tags whose text is no longer in its document. They are kept, with the text they were made on.' :
      'Every manual decision, newest last.'),
    toggle,
    list.length ? h('table', { className: 'plain' },
      h('caption', { className: 'visually-hidden' }, 'Annotations'),
      h('thead', {}, h('tr', {}, ['Passage', 'Action', 'Concepts', 'Note', 'By', 'When', orphans ? 'Old text' : 'Text'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)) : h('p', {}, orphans ? 'No orphaned annotation.' : 'No annotation yet.'));
  main.dataset.ready = 'annotations';
}

// ---- Compare view --------------------------------------------------------------------------

function conceptSelect(id, tax, value, withSame) {
  const byScheme = new Map();
  for (const c of tax.list) {
    if (!byScheme.has(c.scheme)) byScheme.set(c.scheme, []);
    byScheme.get(c.scheme).push(c);
  }
  const s = h('select', { id, name: id },
    withSame ? h('option', { value: '' }, 'the same concept') : null,
    [...byScheme].map(([scheme, cs]) => h('optgroup', { label: scheme },
      cs.map((c) => h('option', { value: c.id }, c.label + ' (' + c.id + ')')))));
  s.value = value || '';
  return s;
}

function multiSelect(id, options, values) {
  const chosen = new Set(values);
  return h('select', { id, name: id, multiple: true },
    options.map(([v, label]) => h('option', { value: v, selected: chosen.has(v) }, label)));
}

async function renderCompare(p) {
  const tax = await taxonomy();
  const docs = await documents();
  document.title = 'Compare — Pillar';
  const orgs = [...new Set(docs.list.map((d) => d.issuer).filter(Boolean))].sort();
  const concept = conceptSelect('concept', tax, p.get('concept') || 'un-tier-2', false);
  const conceptB = conceptSelect('concept_b', tax, p.get('concept_b') || '', true);
  const sideFields = (side, title) => {
    const org = multiSelect(side + '_org', orgs.map((o) => [o, o]), p.getAll(side + '_org'));
    const year = h('input', { type: 'text', id: side + '_year', name: side + '_year', value: p.get(side + '_year') || '',
      placeholder: '2012..2015', 'aria-describedby': 'year-help' });
    const doc = multiSelect(side + '_doc', docs.list.map((d) => [d.id, d.title || d.id]), p.getAll(side + '_doc'));
    return h('fieldset', {}, h('legend', {}, title),
      h('div', { className: 'row' },
        h('label', { for: side + '_org' }, 'Issuing bodies', org),
        h('label', { for: side + '_year' }, 'Years', year),
        h('label', { for: side + '_doc' }, 'Documents', doc)));
  };
  const q = h('input', { type: 'search', id: 'compare-q', name: 'q', value: p.get('q') || '' });
  const form = h('form', {
    className: 'compare-form', 'aria-label': 'What to compare',
    onsubmit: (e) => {
      e.preventDefault();
      const next = new URLSearchParams({ view: 'compare' });
      next.set('concept', concept.value);
      if (conceptB.value) next.set('concept_b', conceptB.value);
      if (q.value.trim()) next.set('q', q.value.trim());
      for (const side of ['a', 'b']) {
        for (const o of form.querySelector('#' + side + '_org').selectedOptions) next.append(side + '_org', o.value);
        for (const o of form.querySelector('#' + side + '_doc').selectedOptions) next.append(side + '_doc', o.value);
        const y = form.querySelector('#' + side + '_year').value.trim();
        if (y) next.set(side + '_year', y);
      }
      go(next);
    },
  },
  h('div', { className: 'row' },
    h('label', { for: 'concept' }, 'Concept (side A)', concept),
    h('label', { for: 'concept_b' }, 'Concept of side B (a crosswalked one)', conceptB),
    h('label', { for: 'compare-q' }, 'Words both sides must have (optional)', q)),
  h('div', { className: 'side-fields' }, sideFields('a', 'Side A'), sideFields('b', 'Side B')),
  h('p', { id: 'year-help', className: 'hint' }, 'Years: 2023, 2012..2015, 2020.. or ..2015. Several bodies or documents: any of them (Ctrl+click, or Space with the arrow keys).'),
  h('p', {}, h('button', { type: 'submit' }, 'Compare'), ' ',
    h('button', { type: 'button', className: 'secondary', id: 'preset-au-un', onclick: () => {
      const next = new URLSearchParams({ view: 'compare', concept: 'au-physical', concept_b: 'un-tier-2' });
      for (const o of orgs) if (/African Union/.test(o)) next.append('a_org', o);
      for (const o of orgs) if (/United Nations/.test(o)) next.append('b_org', o);
      go(next);
    } }, 'AU physical protection vs UN tier 2'), ' ',
    h('button', { type: 'button', className: 'secondary', onclick: () => {
      go(new URLSearchParams({ view: 'compare', concept: p.get('concept') || 'un-tier-1', a_year: '..2015', b_year: '2016..' }));
    } }, 'Up to 2015 vs after')));
  main.replaceChildren(h('h1', {}, 'Compare'), form);

  if (!p.get('concept')) {
    main.append(h('p', { className: 'hint' }, 'Choose a concept and two groups of documents, or a preset.'));
    main.dataset.ready = 'compare';
    return;
  }
  const a = new URLSearchParams();
  for (const k of ['concept', 'concept_b', 'q', 'a_org', 'a_year', 'a_doc', 'b_org', 'b_year', 'b_doc']) {
    for (const v of p.getAll(k)) a.append(k, v);
  }
  let r;
  try {
    r = await api('/api/compare?' + a.toString());
  } catch (err) {
    main.append(h('p', { className: 'error', role: 'alert' }, err.message));
    main.dataset.ready = 'compare';
    return;
  }
  const docLabel = (id) => (docs.byId.get(id) || {}).title || id;
  const describe = (s) => [
    s.orgs.length ? s.orgs.join(' or ') : null, s.years ? 'years ' + s.years : null,
    s.docs.length ? s.docs.map(docLabel).join(' or ') : null].filter(Boolean).join('; ') || 'every document';
  const side = (key, s, other) => {
    const concept2 = tax.byId.get(s.concept);
    const max = Math.max(1, ...s.distinctive.map((w) => Math.abs(w.z)));
    return h('section', { className: 'side ' + key, 'aria-labelledby': 'side-' + key },
      h('h2', { id: 'side-' + key }, 'Side ' + key.toUpperCase() + ': ' + (concept2 ? concept2.label : s.concept)),
      h('p', { className: 'hint' }, describe(s)),
      h('p', { className: 'count' }, h('strong', {}, s.total.toLocaleString('en')), ' passages in ', s.docs_count.length, ' documents'),
      h('h3', {}, 'Words that distinguish it from side ' + other.toUpperCase()),
      s.distinctive.length ? h('ol', { className: 'words' }, s.distinctive.map((w) =>
        h('li', { style: 'font-size:' + (0.9 + 0.5 * Math.abs(w.z) / max).toFixed(2) + 'em' }, w.word,
          h('span', { className: 'z' }, ` ${key === 'a' ? w.count_a : w.count_b}/${key === 'a' ? w.count_b : w.count_a}`)))) :
        h('p', { className: 'hint' }, 'None stands out.'),
      h('h3', {}, 'By document'),
      h('ul', {}, s.docs_count.map((d) => h('li', {}, docLabel(d.doc), ': ', d.passages))),
      h('h3', {}, 'Passages'),
      h('ol', { className: 'hits' }, s.passages.map((x) => {
        const read = new URLSearchParams({ view: 'read', id: x.passage_id });
        return h('li', { className: 'hit' },
          h('h4', {}, h('a', { href: '/?' + read.toString(), onclick: (e) => { e.preventDefault(); go(read); } },
            x.title || x.doc_id, where(x) ? ' — ' + where(x) : '')),
          h('p', { className: 'snippet' }, x.snippet || x.text));
      })));
  };
  main.append(h('p', { className: 'hint' }, 'Distinguishing words: log-odds ratio with an informative prior from both sides (count on this side / on the other).'),
    h('div', { className: 'sides', id: 'sides' }, side('a', r.a, 'b'), side('b', r.b, 'a')));
  main.dataset.ready = 'compare';
}

// ---- Routing and keys ----------------------------------------------------------------------

let keyTargets = {};

// One render at a time: a navigation during a render (back pressed twice quickly) draws the
// page again from the URL it ends at, once the current render is done, so a slower earlier
// response never overwrites a later page.
let rendering = null;
let renderAgain = false;
async function render(opts) {
  if (rendering) {
    renderAgain = true;
    return rendering;
  }
  rendering = (async () => {
    do {
      renderAgain = false;
      await renderOnce(opts);
    } while (renderAgain);
  })();
  try {
    await rendering;
  } finally {
    rendering = null;
  }
}

async function renderOnce(opts) {
  const shown = location.search;
  const p = params();
  const view = p.get('view') || 'search';
  delete main.dataset.ready;
  delete main.dataset.url;
  keyTargets = {};
  for (const a of document.querySelectorAll('.top a[data-view]')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  try {
    if (view === 'read') await renderRead(p);
    else if (view === 'annotations') await renderAnnotations(p);
    else if (view === 'compare') await renderCompare(p);
    else await renderSearch(p);
  } catch (err) {
    main.replaceChildren(h('h1', {}, 'Pillar'), h('p', { className: 'error', role: 'alert' }, 'Cannot show this page: ' + err.message));
    main.dataset.ready = 'error';
  }
  // Which URL the page now shows (tests wait for it after back and forward).
  main.dataset.url = shown;
  if (!(opts && opts.keepFocus) && !(opts && opts.initial)) {
    const target = view === 'read' ? document.getElementById('target') : null;
    (target || main).focus({ preventScroll: view !== 'read' });
  }
}

function typing(e) {
  const t = e.target;
  return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && t.type !== 'checkbox');
}

function moveHit(step) {
  const links = [...main.querySelectorAll('.hits a.open')];
  if (!links.length) return;
  const at = links.findIndex((a) => a.closest('.hit').contains(document.activeElement));
  const next = links[Math.min(links.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
  for (const x of main.querySelectorAll('.hit.current')) x.classList.remove('current');
  next.closest('.hit').classList.add('current');
  next.focus();
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
  const view = params().get('view') || 'search';
  const key = e.key;
  if (key === '?') { e.preventDefault(); document.getElementById('keys-dialog').showModal(); return; }
  if (key === '/') {
    e.preventDefault();
    const q = document.getElementById('q');
    if (q) { q.focus(); q.select(); } else go(searchState(params()));
    return;
  }
  if (view === 'search') {
    if (key === 'j') { e.preventDefault(); moveHit(1); }
    else if (key === 'k') { e.preventDefault(); moveHit(-1); }
    else if (key === 'x') {
      const hit = document.activeElement && document.activeElement.closest('.hit');
      const box = hit && hit.querySelector('input.select');
      if (box) { box.click(); e.preventDefault(); }
    }
    return;
  }
  if (view !== 'read') return;
  const t = keyTargets;
  if (key === 'j' && t.nextPassage) { e.preventDefault(); go(t.nextPassage); return; }
  if (key === 'k' && t.prevPassage) { e.preventDefault(); go(t.prevPassage); return; }
  if (key === ']' && t.nextHit) { e.preventDefault(); go(t.nextHit); return; }
  if (key === '[' && t.prevHit) { e.preventDefault(); go(t.prevHit); return; }
  if (key === 'n') { e.preventDefault(); document.getElementById('tag-note').focus(); return; }
  const id = params().get('id');
  const passageEl = document.getElementById('target');
  if (!passageEl || !taxonomyCache) return;
  if (key === 'r') {
    e.preventDefault();
    const list = document.getElementById('concept-keys');
    setTags({ passage_id: id }, collectChecked(list));
    return;
  }
  const i = CONCEPT_KEYS.indexOf(key);
  if (i >= 0 && i < taxonomyCache.list.length) {
    e.preventDefault();
    const c = taxonomyCache.list[i].id;
    const box = document.getElementById('concept-' + c);
    if (box && box.checked) removeTag({ passage_id: id }, c); else addTag({ passage_id: id }, c);
  }
});

// A click on the links of the header stays inside the app (no page load).
document.querySelector('.top').addEventListener('click', (e) => {
  const a = e.target.closest('a[data-view]');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  go(new URL(a.href).searchParams);
});
document.getElementById('keys-button').addEventListener('click', () => document.getElementById('keys-dialog').showModal());
window.addEventListener('popstate', () => render());
render({ initial: true });
