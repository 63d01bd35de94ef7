// `fixbook import` on real corpora, checked in Chromium: every internal link
// and anchor of every section page (and print.html) of the imported, built
// guide resolves — the target page loads from file:// and the fragment names
// an element on it. Corpus: tests/corpora/learn-windows-networking.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

import { buildGuide, fixbookBin, launch, listFiles, repoRoot, tmpDir } from './harness.mjs';

const CORPORA = [
  { name: 'learn', src: 'tests/corpora/learn-windows-networking/support/windows-server/networking' },
  // Not docusaurus-espanso yet: its JSX links (`href={getStableDownloadLink(…)}`, from site code
  // that is not in the docs folder) stay in the raw HTML and lead nowhere.
];

function importGuide(src) {
  const guide = path.join(tmpDir('fixbook-import-'), 'guide');
  const r = spawnSync(fixbookBin(), ['import', path.join(repoRoot, src), '-o', guide], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return guide;
}

describe('imported corpora in Chromium', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  for (const corpus of CORPORA) {
    test(`${corpus.name}: every internal link and anchor resolves`, async () => {
      const site = buildGuide(importGuide(corpus.src));
      const pages = listFiles(site, (f) => f.endsWith('.html')).filter((f) => !f.startsWith('checklists/') && !f.startsWith('symptoms/') && f !== '404.html');
      const page = await browser.newPage();
      const idsOf = new Map();
      const ids = async (url) => {
        if (!idsOf.has(url)) {
          const res = await page.goto(url);
          assert.ok(res === null || res.ok(), `${url} loads`);
          idsOf.set(url, new Set(await page.$$eval('[id], a[name]', (els) => els.map((e) => e.id || e.getAttribute('name')))));
        }
        return idsOf.get(url);
      };
      const broken = [];
      let checked = 0;
      for (const rel of pages) {
        const url = pathToFileURL(path.join(site, rel)).href;
        await page.goto(url);
        const links = await page.$$eval('main a[href]', (as) => as.map((a) => a.href));
        for (const href of links) {
          if (!href.startsWith('file:')) continue;
          const [target, frag] = href.split('#');
          const file = fileURLToPath(target);
          if (!fs.existsSync(file)) { broken.push(`${rel}: ${href} (no file)`); continue; }
          checked++;
          if (frag && file.endsWith('.html')) {
            const set = await ids(target);
            if (!set.has(decodeURIComponent(frag))) broken.push(`${rel}: ${href} (no #${frag})`);
          }
        }
      }
      await page.close();
      assert.ok(checked > 50, `${checked} internal links checked`);
      assert.deepEqual(broken, []);
    });
  }
});
