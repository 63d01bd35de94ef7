// fixbook's real search box on the built site, opened from file:// in
// Chromium: a fresh browser context per query (nothing cached, as for a new
// reader), the query typed key by key into the box, the ranked result links
// read from the results list once it shows the whole query.
//
// What this relies on (the search box's DOM contract, see README.md):
//   #site-search (form, visible once the script runs), #site-search-q (input),
//   #site-search-results (list) whose data-query attribute equals the input's
//   value once the results for that value are rendered, and result links
//   `#site-search-results a[href]` in rank order, pointing at `<section>.html#...`.
// window.fixbookText.queryTerms, when present, tells which prefixes search at
// all (a lone letter may not); without it every non-blank prefix is waited
// for, with a short timeout.
//
// Measured per query: the result keys, per-keystroke latency (input event to
// the results list showing that value, observed in the page) and the bytes of
// every file the page loaded after it finished loading (the index files the
// query needed), raw and gzip -6.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RESULT_TIMEOUT_MS = 20000;
const UNSURE_PREFIX_TIMEOUT_MS = 1500;

function sizes(site, urls, cache) {
  let raw = 0;
  let gz = 0;
  const files = [];
  for (const u of urls) {
    if (!u.startsWith('file:')) continue;
    const file = fileURLToPath(u.replace(/[?#].*$/, ''));
    if (!file.startsWith(site + path.sep) || !fs.existsSync(file)) continue;
    if (!cache.has(file)) {
      const buf = fs.readFileSync(file);
      cache.set(file, [buf.length, zlib.gzipSync(buf, { level: 6 }).length]);
    }
    const [r, g] = cache.get(file);
    raw += r;
    gz += g;
    files.push(path.relative(site, file));
  }
  return { raw, gz, files };
}

/** Returns {search(q, k, {typed}) -> {keys, keystrokes, bytes, gzBytes, files}}. */
export function fixbookSearcher(browser, site) {
  const sizeCache = new Map();
  const home = pathToFileURL(path.join(site, 'index.html')).href;
  const root = pathToFileURL(site + path.sep).href;
  return {
    async search(query, k, { typed = true } = {}) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(home, { timeout: 120000 });
        await page.waitForFunction(() => {
          const f = document.getElementById('site-search');
          return f && !f.hidden && document.getElementById('site-search-q');
        }, null, { timeout: 60000 });
        // Everything loaded from here on is loaded for the query.
        await page.evaluate(() => {
          performance.setResourceTimingBufferSize(100000);
          window.__bench = { before: new Set(performance.getEntriesByType('resource').map((e) => e.name)), t0: new Map(), done: [] };
          const input = document.getElementById('site-search-q');
          const list = document.getElementById('site-search-results');
          input.addEventListener('input', () => window.__bench.t0.set(input.value, performance.now()), true);
          new MutationObserver(() => {
            const q = list.getAttribute('data-query');
            const t0 = window.__bench.t0.get(q);
            if (q !== null && t0 !== undefined && !window.__bench.done.some((d) => d.q === q)) {
              window.__bench.done.push({ q, ms: performance.now() - t0 });
            }
          }).observe(list, { attributes: true, attributeFilter: ['data-query'] });
          window.__bench.searches = (v) => {
            if (!v.trim()) return false;
            const t = window.fixbookText;
            return t && t.queryTerms ? t.queryTerms(v).length > 0 : null; // null: unknown
          };
        });
        const box = page.locator('#site-search-q');
        await box.focus();
        const rendered = (v, timeout) =>
          page
            .waitForFunction((v) => document.getElementById('site-search-results').getAttribute('data-query') === v, v, { timeout })
            .then(() => true, () => false);
        const steps = typed ? [...query].map((_, i) => query.slice(0, i + 1)) : [query];
        for (const [i, prefix] of steps.entries()) {
          if (typed) await page.keyboard.type(prefix.slice(-1));
          else await box.fill(query);
          const last = i === steps.length - 1;
          const searches = await page.evaluate((v) => window.__bench.searches(v), prefix);
          if (searches === false && !last) continue;
          const ok = await rendered(prefix, last ? RESULT_TIMEOUT_MS : searches ? RESULT_TIMEOUT_MS : UNSURE_PREFIX_TIMEOUT_MS);
          if (!ok && (last || searches)) throw new Error(`fixbook search: no results rendered for "${prefix}" (query "${query}")`);
        }
        const { hrefs, done, loaded } = await page.evaluate(() => ({
          hrefs: [...document.querySelectorAll('#site-search-results a[href]')].map((a) => a.href),
          done: window.__bench.done,
          loaded: [
            ...new Set([
              ...performance.getEntriesByType('resource').map((e) => e.name).filter((n) => !window.__bench.before.has(n)),
              ...((window.fixbookSearch && window.fixbookSearch.stats && window.fixbookSearch.stats.scriptsLoaded) || []).filter((n) => !window.__bench.before.has(n)),
            ]),
          ],
        }));
        if (errors.length) throw new Error(`page errors while searching "${query}": ${errors.join('; ')}`);
        const keys = [];
        for (const h of hrefs) {
          if (!h.startsWith(root)) continue;
          const key = decodeURIComponent(h.slice(root.length).replace(/[#?].*$/, '').replace(/\.html$/, ''));
          if (!keys.includes(key)) keys.push(key);
        }
        const { raw, gz, files } = sizes(site, loaded, sizeCache);
        return { keys: keys.slice(0, k), keystrokes: done.map((d) => d.ms), bytes: raw, gzBytes: gz, files: files.length };
      } finally {
        await context.close();
      }
    },
  };
}
