// Pagefind indexing fixbook's built section pages (its Node API), searched
// with Pagefind's own browser bundle in Chromium over a local http server
// (Pagefind needs fetch and WebAssembly, so not file://).
//
// Only section pages are indexed, and inside them only <main> without the
// navigation blocks fixbook adds around the content ("Still not fixed?",
// pager, nearby fixes): what a site owner would mark with
// data-pagefind-body / data-pagefind-ignore.

import fs from 'node:fs';
import path from 'node:path';

import * as pagefind from 'pagefind';

export const PAGEFIND_OPTIONS = {
  rootSelector: 'main',
  excludeSelectors: ['nav', '.still-not-fixed', '.pager', '.nearby', '.site-search'],
  forceLanguage: 'en',
};

/** Writes <site>/pagefind/ for the given sections; returns {ms, pages}. */
export async function buildPagefind(site, sections) {
  const t0 = performance.now();
  const { errors, index } = await pagefind.createIndex(PAGEFIND_OPTIONS);
  if (!index) throw new Error(`pagefind createIndex failed: ${errors.join('; ')}`);
  let pages = 0;
  for (const s of sections) {
    const file = path.join(site, `${s.key}.html`);
    if (!fs.existsSync(file)) throw new Error(`no built page ${file} for section ${s.path}`);
    const r = await index.addHTMLFile({ url: `/${s.key}.html`, content: fs.readFileSync(file, 'utf8') });
    if (r.errors?.length) throw new Error(`pagefind could not index ${file}: ${r.errors.join('; ')}`);
    pages += 1;
  }
  const w = await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
  if (w.errors?.length) throw new Error(`pagefind writeFiles failed: ${w.errors.join('; ')}`);
  await pagefind.close();
  return { ms: performance.now() - t0, pages };
}

/** Opens the served site once; returns {search(q, k) -> [key], close()}. */
export async function pagefindSearcher(browser, serverUrl) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('404.html', serverUrl).href);
  await page.evaluate(async () => {
    window.__pagefind = await import('/pagefind/pagefind.js');
    await window.__pagefind.init();
  });
  return {
    errors,
    async search(query, k) {
      const urls = await page.evaluate(
        async ({ query, k }) => {
          const r = await window.__pagefind.search(query);
          const data = await Promise.all(r.results.slice(0, k).map((x) => x.data()));
          return data.map((d) => d.url);
        },
        { query, k },
      );
      return urls.map((u) => decodeURIComponent(u.replace(/^\//, '').replace(/[#?].*$/, '').replace(/\.html$/, '')));
    },
    close: () => context.close(),
  };
}
