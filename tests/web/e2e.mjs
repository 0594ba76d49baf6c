// End-to-end test of the web UI (issue 19) in headless Chromium against a real `pillar serve`
// (started by tests/web/run): search -> syntax error at its column -> facet click (exact count)
// -> back button -> open a passage in its document -> tag with a note by keyboard -> reload ->
// the tag is there -> export BibTeX, read by pandoc -> compare view with both sides. axe-core
// checks each page; screenshots go to SCREENSHOT_DIR. Prints the first result page's
// time-to-interactive after the response arrived (measured in the page, not asserted on).
//
// Environment: PILLAR_URL (http://127.0.0.1:PORT), CHROMIUM, SCREENSHOT_DIR, WORK_DIR.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const base = process.env.PILLAR_URL;
const shots = process.env.SCREENSHOT_DIR;
const work = process.env.WORK_DIR;
const downloads = path.join(work, 'downloads');
fs.mkdirSync(downloads, { recursive: true });
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let failures = 0;
function check(ok, what) {
  console.log((ok ? 'ok     ' : 'FAILED ') + what);
  if (!ok) failures++;
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking'],
  defaultViewport: { width: 1100, height: 760 },
});
const page = await browser.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
// Failed requests are logged as console errors too; those the test makes on purpose (the
// query with a syntax error) are checked where they are made.
page.on('console', (m) => {
  if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
});
const cdp = await page.createCDPSession();
await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });

async function ready(view) {
  // The view is drawn, and drawn from the URL the page is at now.
  await page.waitForFunction((v) => {
    const m = document.querySelector('main');
    return m.dataset.ready === v && m.dataset.url === location.search;
  }, { timeout: 15000 }, view);
}

// axe-core in the page: no serious or critical violation.
async function accessible(name) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
      target: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result) console.log(`  axe ${name}: ${v.impact} ${v.id} (${v.nodes}) ${v.target.join(', ')}`);
  check(bad.length === 0, `axe-core finds no serious or critical violation on the ${name} page`);
}

async function shot(name) {
  if (shots) await page.screenshot({ path: path.join(shots, `web-${name}.png`), fullPage: false });
}

async function waitForFile(dir, suffix, timeout = 10000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const f = fs.readdirSync(dir).find((n) => n.endsWith(suffix));
    if (f) return path.join(dir, f);
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

try {
  // 1. Search.
  await page.goto(base + '/?q=civilians', { waitUntil: 'load' });
  await ready('search');
  const tti = await page.evaluate(() => {
    const m = performance.getEntriesByName('search-tti')[0];
    const t = performance.getEntriesByName('search-total')[0];
    return { tti: m ? m.duration : null, total: t ? t.duration : null };
  });
  console.log(`measure first result page: ${tti.tti.toFixed(1)} ms from the response to interactive, ` +
    `${tti.total.toFixed(1)} ms from the request`);
  const firstHits = await page.$$eval('.hits .hit', (els) => els.length);
  check(firstHits === 10, 'the first page of "civilians" lists 10 hits');
  check(await page.$$eval('.hits mark', (els) => els.length > 0), 'the fragments have highlighted words');
  check(await page.$eval('#summary', (e) => /of \d+/.test(e.textContent)), 'the summary gives the total');
  check(await page.$$eval('.chip[data-evidence]', (els) => els.length > 0), 'pillar chips carry their evidence');
  await shot('search');
  await accessible('search');

  // 2. A query syntax error is shown at its column.
  await page.click('#q', { clickCount: 3 });
  await page.keyboard.type('protection AND (');
  await page.keyboard.press('Enter');
  await ready('search');
  const err = await page.$eval('#query-error', (e) => ({ hidden: e.hidden, text: e.textContent }));
  check(!err.hidden && /column 16/.test(err.text), 'a syntax error names its column: ' + err.text.split('\n')[0]);
  check(/\n {15}\^/.test(err.text), 'a caret points at column 16 under the query');
  const caret = await page.$eval('#q', (e) => e.selectionStart);
  check(caret === 15, 'the cursor is put at the column of the error');

  // 3. Did you mean.
  await page.goto(base + '/?q=protectoin', { waitUntil: 'load' });
  await ready('search');
  check(await page.$eval('.did-you-mean', (e) => /protection/.test(e.textContent)).catch(() => false),
    '"did you mean" offers the corrected word');

  // 3b. An acronym the documents define is searched with its long form, and can be turned off.
  await page.goto(base + '/?q=UNSME', { waitUntil: 'load' });
  await ready('search');
  const withLong = await page.$eval('#summary', (e) => Number(/of ([\d,]+)/.exec(e.textContent)[1].replace(/,/g, '')));
  check(await page.$eval('.also-searched', (e) => /united nations stabilization mission in eastmark/.test(e.textContent)).catch(() => false),
    '"also searched" names the long form of UNSME');
  await page.click('.also-searched a');
  await page.waitForFunction(() => location.search.includes('no_acronyms=1'));
  await ready('search');
  const asTyped = await page.$eval('#summary', (e) => Number(/of ([\d,]+)/.exec(e.textContent)[1].replace(/,/g, '')));
  check(asTyped < withLong, `only as typed, fewer passages match (${asTyped} < ${withLong})`);

  // 3c. A question's own words are named as not searched.
  await page.goto(base + '/?q=' + encodeURIComponent('how does the mission protect civilians?'), { waitUntil: 'load' });
  await ready('search');
  check(await page.$eval('.not-searched', (e) => /not searched: how, does/.test(e.textContent)).catch(() => false),
    'a question names the words it did not search');

  // 3d. The passages that match the whole query come first; the page's fill follows under a
  // line that says what it holds (here NEAR relaxed: the words farther apart).
  await page.goto(base + '/?q=' + encodeURIComponent('accompaniment NEAR women'), { waitUntil: 'load' });
  await ready('search');
  const lists = await page.$$eval('.hits', (els) => els.map((e) => ({ fill: e.classList.contains('fill'), n: e.children.length, start: e.start })));
  check(lists.length === 2 && !lists[0].fill && lists[1].fill && lists[1].start === lists[0].n + 1,
    'matching passages and the fill are two lists, numbered on: ' + JSON.stringify(lists));
  check(await page.$eval('#fill-note', (e) => /farther apart or some of them/.test(e.textContent)).catch(() => false),
    'a line before the fill says what it holds');

  // 4. Facet click filters, with the facet's exact count as the new total.
  await page.goto(base + '/?q=civilians', { waitUntil: 'load' });
  await ready('search');
  const facet = await page.$eval('button.facet[data-facet="pillar"][data-value="un-tier-2"] .n',
    (e) => Number(e.textContent.replace(/,/g, '')));
  await page.click('button.facet[data-facet="pillar"][data-value="un-tier-2"]');
  await page.waitForFunction(() => location.search.includes('pillar=un-tier-2'));
  await ready('search');
  const filtered = await page.$eval('#summary', (e) => Number(/of ([\d,]+)/.exec(e.textContent)[1].replace(/,/g, '')));
  check(filtered === facet, `the filtered total equals the facet's count (${filtered} = ${facet})`);
  const allTagged = await page.$$eval('.hits .hit', (els) => els.every((el) =>
    [...el.querySelectorAll('.chip')].some((c) => c.textContent.startsWith('un-tier-2'))));
  check(allTagged, 'every hit after the click carries un-tier-2');
  check(await page.$eval('button.facet[data-value="un-tier-2"]', (e) => e.getAttribute('aria-pressed') === 'true'),
    'the active facet is pressed');
  // Paging keeps the filter.
  await page.click('.pager a');
  await ready('search');
  check(await page.evaluate(() => location.search.includes('offset=10') && location.search.includes('pillar=un-tier-2')),
    'the next page keeps the query and the filter in the URL');
  // The back button returns to the unfiltered page.
  await page.goBack();
  await page.goBack();
  await ready('search');
  check(await page.evaluate(() => !location.search.includes('pillar=')), 'back returns to the search without the filter');
  check(await page.$eval('button.facet[data-value="un-tier-2"]', (e) => e.getAttribute('aria-pressed') === 'false'),
    'the page after back is rendered from its URL (the facet is not pressed)');
  await page.goForward();
  await ready('search');
  check(await page.evaluate(() => location.search.includes('pillar=un-tier-2')), 'forward brings the filter back');

  // Bodies and years have no API parameter: they join the query as fields, with the same
  // exact counts.
  for (const field of ['org', 'year']) {
    await page.goto(base + '/?q=civilians', { waitUntil: 'load' });
    await ready('search');
    const [value, count] = await page.$eval(`button.facet[data-facet="${field}"]`,
      (e) => [e.dataset.value, Number(e.querySelector('.n').textContent.replace(/,/g, ''))]);
    await page.click(`button.facet[data-facet="${field}"]`);
    await page.waitForFunction((f) => location.search.includes(f + '='), {}, field);
    await ready('search');
    const total = await page.$eval('#summary', (e) => Number(/of ([\d,]+)/.exec(e.textContent)[1].replace(/,/g, '')));
    check(total === count, `a click on ${field} ${value} filters to its count (${total} = ${count})`);
  }
  await page.goto(base + '/?q=civilians&pillar=un-tier-2', { waitUntil: 'load' });
  await ready('search');

  // 5. Open a passage in its document (keyboard: j then Enter).
  await page.focus('main');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await ready('read');
  const reading = await page.evaluate(() => ({
    id: new URLSearchParams(location.search).get('id'),
    target: !!document.getElementById('target'),
    neighbours: document.querySelectorAll('.passage.neighbour').length,
    original: document.getElementById('original').getAttribute('href'),
    next: !!document.getElementById('next-hit'),
  }));
  check(reading.target && reading.neighbours > 0, `the passage ${reading.id} is shown with ${reading.neighbours} neighbours`);
  check(reading.original.startsWith('/api/documents/'), 'the original file is linked: ' + reading.original);
  check(reading.next, 'the next hit is linked');
  const original = await page.evaluate(async (u) => (await fetch(u.split('#')[0])).status, reading.original);
  check(original === 200, 'the original file is served');
  await shot('reading');
  await accessible('reading');

  // 6. Tag by keyboard: n, the note, Enter, then the key of a concept it does not have.
  const free = await page.$$eval('#concept-keys li', (lis) => {
    for (const li of lis) {
      const box = li.querySelector('input');
      const key = li.querySelector('kbd');
      if (!box.checked && key) return { concept: box.dataset.concept, key: key.textContent };
    }
    return null;
  });
  check(free !== null, 'a concept the passage lacks has a key');
  const note = 'checked against the 2023 policy';
  await page.keyboard.press('n');
  await page.keyboard.type(note);
  await page.keyboard.press('Enter');
  await page.keyboard.press(free.key);
  await page.waitForFunction((c) => {
    const box = document.getElementById('concept-' + c);
    return box && box.checked && document.querySelector('main[data-ready="read"]');
  }, { timeout: 10000 }, free.concept);
  const manualChip = await page.$$eval('#main .panel .chip.manual', (els) => els.map((e) => e.getAttribute('data-evidence')));
  check(manualChip.some((e) => e && e.includes(note)), `key ${free.key} added ${free.concept} by hand with the note`);
  await shot('tagging');
  await accessible('tagging');

  // 7. Reload: the tag is there.
  await page.reload({ waitUntil: 'load' });
  await ready('read');
  const afterReload = await page.$eval('#concept-' + free.concept, (e) => e.checked);
  check(afterReload, 'after a reload the tag is there');
  const annotations = await page.evaluate(async () => (await fetch('/api/annotations')).json());
  const list = Array.isArray(annotations) ? annotations : annotations.annotations;
  check(list.some((a) => a.passage_id === reading.id && a.note === note && (a.concepts || []).includes(free.concept)),
    'the annotation store holds the tag with its note');
  // r marks the passage reviewed with what it has.
  await page.focus('#target');
  await page.keyboard.press('r');
  await page.waitForFunction(() => document.querySelector('.toast') && /Reviewed/.test(document.querySelector('.toast').textContent), { timeout: 10000 });
  await ready('read');
  const reviewed = await page.evaluate(async () => (await fetch('/api/annotations')).json());
  const rlist = Array.isArray(reviewed) ? reviewed : reviewed.annotations;
  check(rlist.some((a) => a.passage_id === reading.id && a.action === 'set'), 'r records a reviewed decision (set)');
  // j moves to the next passage of the document, k back.
  await page.keyboard.press('j');
  await ready('read');
  const movedTo = await page.evaluate(() => new URLSearchParams(location.search).get('id'));
  check(movedTo !== reading.id, 'j moves to the next passage');
  await page.keyboard.press('k');
  await ready('read');
  check(await page.evaluate(() => new URLSearchParams(location.search).get('id')) === reading.id, 'k moves back');

  // 8. Export the result set as BibTeX: a file pandoc reads.
  await page.goto(base + '/?q=civilians&pillar=un-tier-2', { waitUntil: 'load' });
  await ready('search');
  await page.select('#export-format', 'bibtex');
  await page.click('#export-all');
  const bib = await waitForFile(downloads, '.bib');
  check(bib !== null, 'the BibTeX export is downloaded');
  if (bib) {
    const csl = JSON.parse(execFileSync('pandoc', ['-f', 'bibtex', '-t', 'csljson', bib], { encoding: 'utf8' }));
    check(Array.isArray(csl) && csl.length > 0, `pandoc reads the BibTeX export (${csl.length} entries)`);
  }
  // The selection, as RIS.
  await page.click('#select-0');
  await page.click('#select-1');
  await page.select('#export-format', 'ris');
  await page.click('#export-selection');
  const ris = await waitForFile(downloads, '.ris');
  check(ris !== null && /^TY {2}- /m.test(fs.readFileSync(ris, 'utf8')), 'the selection downloads as RIS');
  const chosen = await page.$$eval('.hits .hit', (els) => els.slice(0, 2).map((e) => e.dataset.id));
  await page.select('#export-format', 'csv');
  await page.click('#export-selection');
  const csv = await waitForFile(downloads, '.csv');
  const csvIds = csv ? new Set(fs.readFileSync(csv, 'utf8').split('\n').slice(1).filter(Boolean)
    .map((l) => l.split(',')[0])) : new Set();
  check(csvIds.size === 2 && chosen.every((id) => csvIds.has(id)),
    `the selection downloads as CSV with its two passages only (${[...csvIds].join(' ')})`);
  await page.select('#export-format', 'w3c');
  await page.click('#export-selection');
  const w3c = await waitForFile(downloads, '.jsonld');
  const collection = w3c ? JSON.parse(fs.readFileSync(w3c, 'utf8')) : null;
  check(collection && collection.type === 'AnnotationCollection' && collection.total === collection.first.items.length &&
    collection.first.items.every((a) => chosen.some((id) => a.id.startsWith('urn:pillar:annotation:' + encodeURIComponent(id) + ':'))),
    `the selection downloads as W3C annotations of its passages (${collection ? collection.total : 0})`);

  // 9. The annotations page; then the tagged passage's text is changed in its file and the
  // file re-indexed while the server runs: the page of orphans shows the tag with its old text.
  await page.goto(base + '/?view=annotations', { waitUntil: 'load' });
  await ready('annotations');
  check(await page.$$eval('tbody tr', (rows) => rows.length >= 2), 'the annotations page lists the decisions');
  const mine = list.find((a) => a.passage_id === reading.id && a.note === note);
  const docRecord = await page.evaluate(async (id) => (await fetch('/api/documents/' + encodeURIComponent(id))).json(),
    reading.id.split('#')[0]);
  const file = (docRecord.document || docRecord).path;
  const fileText = fs.readFileSync(file, 'utf8');
  const head = mine.exact.split(/\s+/).slice(0, 6).join(' ');
  check(fileText.includes(head), `the tagged text is in its file ${path.basename(file)}`);
  const start = fileText.indexOf(head);
  const lineEnd = fileText.indexOf('\n', start);
  fs.writeFileSync(file, fileText.slice(0, start) + 'This paragraph was withdrawn in the revision.' +
    (lineEnd < 0 ? '' : fileText.slice(lineEnd)));
  execFileSync(process.env.PILLAR_BIN, ['index', process.env.CORPUS_DIR, '--index', process.env.INDEX_DIR],
    { stdio: 'ignore' });
  await page.goto(base + '/?view=annotations&orphans', { waitUntil: 'load' });
  await ready('annotations');
  const orphanRows = await page.$$eval('tbody tr', (rows) => rows.map((r) => r.textContent));
  check(orphanRows.some((t) => t.includes('orphaned') && t.includes(head) && t.includes(note)),
    `the orphaned tag is listed with its old text ("${head}…") and its note`);
  await shot('annotations');
  await accessible('annotations');

  // 10. Compare: AU physical protection vs UN tier 2, AU bodies vs UN bodies.
  await page.goto(base + '/?view=compare', { waitUntil: 'load' });
  await ready('compare');
  await page.click('#preset-au-un');
  await page.waitForFunction(() => location.search.includes('concept=au-physical'));
  await ready('compare');
  const sides = await page.$$eval('#sides .side', (els) => els.map((e) => ({
    count: Number(e.querySelector('.count strong').textContent.replace(/,/g, '')),
    words: e.querySelectorAll('.words li').length,
    passages: e.querySelectorAll('.hits .hit').length,
  })));
  check(sides.length === 2 && sides.every((s) => s.count > 0 && s.passages > 0),
    `the compare view shows both sides (${sides.map((s) => s.count + ' passages').join(' vs ')})`);
  check(sides.every((s) => s.words > 0), 'each side lists words that distinguish it');
  await page.$eval('#sides', (e) => e.scrollIntoView());
  await shot('compare');
  await accessible('compare');

  // 11. The heat map page.
  await page.goto(base + '/api/report', { waitUntil: 'load' });
  check(await page.$('svg') !== null, 'the heat map page has its SVG');

  check(consoleErrors.length === 0, 'no script error in the page' + (consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''));
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  failures++;
} finally {
  await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
