// The one ranking rule, checked across Rust and the browser: tests/golden.rs
// writes down the order `index::ranking::rank` gives for symptom sets of the
// bundled guide and three fixtures (every symptom alone, every pair, all at
// once; tests/snapshots/golden__ranking.snap), and this test ticks the same
// sets in the home page's symptom filter (filter.js) and opens the combined
// checklist for them (checklist.js), and expects the same sections in the
// same order, with the same number of matched symptoms.
//
// Run: cargo build && node --test tests/browser/ranking.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { buildGuide, fileUrl, fixturesDir, launch, repoRoot } from './harness.mjs';

/** The snapshot's JSON: guide name → [{symptoms, ranked: [[page, matched, steps]]}]. */
function expectations() {
  const snap = fs.readFileSync(path.join(repoRoot, 'tests', 'snapshots', 'golden__ranking.snap'), 'utf8');
  // insta's header: `---`, metadata, `---`, then the snapshot itself.
  const body = snap.split(/^---$/m).slice(2).join('---');
  return JSON.parse(body);
}

const EXPECTED = expectations();
const DIRS = {
  guide: path.join(repoRoot, 'guide'),
  router: path.join(fixturesDir, 'router'),
  multilingual: path.join(fixturesDir, 'multilingual'),
  hostile: path.join(fixturesDir, 'hostile'),
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Page path (relative to the site root, decoded) of a link in the page. */
function pageOf(outUrl, href) {
  return decodeURIComponent(new URL(href).href.slice(outUrl.length));
}

test('the snapshot covers singles, pairs and all symptoms of four guides', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(DIRS).sort());
  for (const [name, sets] of Object.entries(EXPECTED)) {
    const singles = sets.filter((s) => s.symptoms.length === 1).length;
    assert.ok(singles >= 3, `${name}: ${singles} symptoms`);
    assert.equal(sets.length, singles + (singles * (singles - 1)) / 2 + 1, name);
    // The rule is exercised: some set ranks a section matching more symptoms first.
    if (name !== 'hostile') assert.ok(sets.some((s) => s.ranked.length > 1 && s.ranked[0][1] > s.ranked[s.ranked.length - 1][1]), name);
  }
});

for (const [name, sets] of Object.entries(EXPECTED)) {
  describe(`ranking on ${name}`, () => {
    let out;
    let outUrl;
    before(() => {
      out = buildGuide(DIRS[name]);
      outUrl = pathToFileURL(out).href + '/';
    });

    test('the symptom filter ranks every set as the Rust rule does', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(fileUrl(out, 'index.html'));
        await page.waitForFunction(() => window.fixbookFilter);
        // The result cards load on the first tick (a data script): tick
        // everything once and wait for them, so every update below is in place.
        await page.evaluate(() => {
          document.querySelectorAll('#symptom-filter input[name=symptoms]').forEach((b) => { b.checked = true; });
          window.fixbookFilter.update(false);
        });
        await page.waitForFunction(() => document.querySelectorAll('#filter-list > li').length > 0);
        const got = await page.evaluate((sets) => {
          const results = [];
          for (const set of sets) {
            const boxes = [...document.querySelectorAll('#symptom-filter input[name=symptoms]')];
            boxes.forEach((b) => { b.checked = set.symptoms.includes(b.value); });
            window.fixbookFilter.update(false);
            const more = document.getElementById('filter-more');
            while (!more.parentNode.hidden) more.click();
            results.push([...document.querySelectorAll('#filter-list > li')].map((li) => {
              const meta = li.querySelector('.meta span')?.textContent ?? '';
              // "Fixes 2 of 3: …" for several ticked symptoms, "Fixes: …" for one.
              const m = meta.match(/^Fixes (\d+) of \d+:/);
              return [li.querySelector('a.card-title').href, m ? Number(m[1]) : 1];
            }));
          }
          return results;
        }, sets);
        sets.forEach((set, i) => {
          const actual = got[i].map(([href, matched]) => [pageOf(outUrl, href), matched]);
          const expected = set.ranked.map(([page, matched]) => [page, matched]);
          assert.deepEqual(actual, expected, `filter order for ?symptoms=${set.symptoms.join(',')}`);
        });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    test('the combined checklist ranks its sections as the Rust rule does', async () => {
      // Each set is a page load: every single symptom, all at once, and the
      // pairs of the smaller guides.
      const chosen = sets.filter((s) => s.symptoms.length !== 2 || name !== 'guide');
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        for (const set of chosen) {
          await page.goto(fileUrl(out, 'checklists/combined.html') + '?symptoms=' + set.symptoms.join(','));
          await page.waitForFunction(() => document.querySelector('[data-combined-title]').textContent.startsWith('Checklist: '));
          const hrefs = await page.locator('[data-combined-groups] .check-group-title a').evaluateAll((as) => as.map((a) => a.href));
          // Only sections with steps have a checklist.
          const expected = set.ranked.filter(([, , steps]) => steps > 0).map(([p]) => p);
          assert.deepEqual(hrefs.map((h) => pageOf(outUrl, h)), expected, `combined checklist order for ?symptoms=${set.symptoms.join(',')}`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
