// Time to interactive of the web UI's first result page, measured in headless Chromium
// (docs/web.md): for each query, loads /?q=QUERY (a new navigation, as a shared link would)
// and reads the page's performance measures: search-tti, from the arrival of the /api/search
// response to the page built and its next frame run, and search-total, from the request.
// Prints the median and the 95th percentile of each. Not a test: nothing is asserted.
// Usage: PILLAR_URL=http://127.0.0.1:PORT node tests/web/tti.mjs QUERIES_FILE [N]
// QUERIES_FILE: one query a line, or bench_gen's tab-separated kind/pillar/query lines.
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';

const [file, n = '50'] = process.argv.slice(2);
const queries = fs.readFileSync(file, 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => { const f = l.split('\t'); return (f.length >= 3 ? (f[1] ? `${f[2]} pillar:${f[1]}` : f[2]) : l).trim(); })
  .slice(0, Number(n));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  defaultViewport: { width: 1280, height: 900 },
});
const page = await browser.newPage();
const tti = [];
const total = [];
const hits = [];
for (const q of queries) {
  await page.goto(process.env.PILLAR_URL + '/?q=' + encodeURIComponent(q), { waitUntil: 'load' });
  await page.waitForSelector('main[data-ready="search"]');
  const m = await page.evaluate(() => ({
    tti: performance.getEntriesByName('search-tti')[0]?.duration,
    total: performance.getEntriesByName('search-total')[0]?.duration,
    hits: document.querySelectorAll('.hits .hit').length,
  }));
  if (m.tti === undefined) continue;  // a query the server refused
  tti.push(m.tti); total.push(m.total); hits.push(m.hits);
}
await browser.close();
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
console.log(`${tti.length} queries, ${hits.reduce((a, b) => a + b, 0) / hits.length} hits a page on average`);
console.log(`response -> interactive: median ${pct(tti, 0.5).toFixed(1)} ms, p95 ${pct(tti, 0.95).toFixed(1)} ms, max ${Math.max(...tti).toFixed(1)} ms`);
console.log(`request -> interactive:  median ${pct(total, 0.5).toFixed(1)} ms, p95 ${pct(total, 0.95).toFixed(1)} ms`);
