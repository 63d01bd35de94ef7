// The header search box in headless Chromium (issue 4): results as the
// reader types, prefix and typo tolerance, punctuation-insensitive and CJK
// matching, title/symptom/settings matches above body text, links to
// headings with highlighted (escaped) excerpts, keyboard use (/, Enter,
// arrows, Escape), from file:// and over http, loading only part of the
// index, and axe-core with the results open.
//
// Run: cargo build && node --test tests/browser/search.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  buildGuide,
  collectNetwork,
  fileUrl,
  fixturesDir,
  formatAxe,
  horizontalOverflow,
  httpUrl,
  launch,
  listFiles,
  repoRoot,
  runAxe,
  runVnu,
  formatVnu,
  screenshot,
  serve,
  tmpDir,
} from './harness.mjs';
import fs from 'node:fs';

let browser;
let router;
let guide;
let hostile;
let multilingual;
let crafted;

/**
 * A guide written for ranking checks: 45 sections that say "printer" in
 * their body (so results need three pages), one with both words of "printer
 * queue" only in its body, one with just "printer" in its title, one whose
 * title is exactly "Printer queue stuck", and one long page that repeats
 * everything.
 */
function craftedGuide() {
  const dir = tmpDir('fixbook-search-guide-');
  fs.writeFileSync(path.join(dir, 'guide.toml'), 'title = "Crafted"\n');
  const write = (rel, title, body) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), `---\ntitle: ${title}\n---\n${body}\n`);
  };
  for (let i = 0; i < 45; i++) write(`misc/page-${String(i).padStart(2, '0')}.md`, `Note ${i}`, `Some words about the printer and item ${i}.`);
  write('print/body-both.md', 'Spooler notes', 'When the printer queue fills up, jobs wait in the spooler.');
  write('print/title-one.md', 'Printer basics', 'How paper goes in and ink comes out.');
  write('print/exact.md', 'Printer queue stuck', 'Cancel every job, then restart the spooler.');
  write('print/long.md', 'Everything about offices', ('Desks, chairs, lamps and cables fill an office. '.repeat(200) + 'The printer queue is one of many things. ').repeat(5));
  return dir;
}

before(async () => {
  router = buildGuide(path.join(fixturesDir, 'router'));
  guide = buildGuide(path.join(repoRoot, 'guide'));
  hostile = buildGuide(path.join(fixturesDir, 'hostile'));
  multilingual = buildGuide(path.join(fixturesDir, 'multilingual'));
  crafted = buildGuide(craftedGuide());
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function openPage(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(url);
  return { page, context, problems };
}

/** Types `query` key by key into the search box and waits for its results. */
async function search(page, query, { clear = true } = {}) {
  const box = page.locator('#site-search-q');
  // On a phone the box sits behind the header's Search button, as a reader finds it.
  const toggle = page.locator('#search-toggle');
  if (!(await box.isVisible()) && (await toggle.isVisible())) await toggle.click();
  if (clear) await box.fill('');
  await box.focus();
  await page.keyboard.type(query);
  await page.waitForFunction((q) => document.getElementById('site-search-results').getAttribute('data-query') === q, query);
  return results(page);
}

/** Results as {href (site-relative, decoded), title, where, excerpt, marks}. */
async function results(page) {
  return page.locator('#site-search-results a').evaluateAll((as) => {
    const root = new URL('../', document.querySelector('script[src$="_fixbook/common.js"]').src).href;
    return as.map((a) => ({
      href: decodeURIComponent(a.href.slice(root.length)),
      title: a.querySelector('.search-title')?.textContent ?? '',
      where: a.querySelector('.search-where')?.textContent ?? '',
      excerpt: a.querySelector('.search-excerpt')?.textContent ?? '',
      marks: [...a.querySelectorAll('mark')].map((m) => m.textContent),
    }));
  });
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

describe('search on the bundled guide (file://, phone width)', () => {
  test('"/" focuses the box; typos and prefixes find the iCloud storage section; Enter opens the first result', async () => {
    const { page, context, problems } = await openPage(fileUrl(guide, 'start/quick-checks.html'), { viewport: { width: 390, height: 844 } });
    // On a phone the box is folded behind the header's Search button (issue 14); "/" opens it too.
    assert.equal(await page.locator('#site-search-q').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Search' }).isVisible(), true);
    assert.equal((await page.locator('#site-search-status').textContent()).trim(), '', 'status region starts empty');
    await page.keyboard.press('/');
    assert.equal(await activeId(page), 'site-search-q');
    assert.equal(await page.locator('#site-search-q').isVisible(), true);
    const found = await search(page, 'iclould storge', { clear: false });
    assert.equal(found[0].href, 'icloud/storage.html', JSON.stringify(found.slice(0, 3), null, 1));
    assert.ok(found[0].marks.some((m) => /storage/i.test(m)), `highlighted: ${found[0].marks}`);
    await page.waitForFunction(() => /\d+ results?/.test(document.getElementById('site-search-status').textContent));
    const { scrollWidth, clientWidth } = await horizontalOverflow(page);
    assert.ok(scrollWidth <= clientWidth, `results fit a phone screen (${scrollWidth} > ${clientWidth})`);
    await screenshot(page, 'search-guide-phone');
    await page.keyboard.press('Enter');
    await page.waitForURL(/icloud\/storage\.html/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('"backu" finds backup sections by prefix; "stuck backing up" finds the stuck-backup fix first', async () => {
    const { page, context } = await openPage(fileUrl(guide));
    const backu = await search(page, 'backu');
    assert.ok(backu.length >= 3, JSON.stringify(backu));
    assert.ok(backu.every((r) => r.marks.some((m) => /^back/i.test(m))), JSON.stringify(backu.map((r) => r.marks)));
    const stuck = await search(page, 'stuck backing up');
    assert.equal(stuck[0].href.split('#')[0], 'stuck/slow-or-stuck.html', JSON.stringify(stuck.slice(0, 3), null, 1));
    await context.close();
  });

  test('keyboard: arrows move through results, Escape closes and returns to the box', async () => {
    const { page, context } = await openPage(fileUrl(guide));
    const found = await search(page, 'backup');
    assert.ok(found.length >= 3);
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => document.activeElement.href);
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement.href);
    assert.notEqual(first, second);
    assert.ok(second.length > 0);
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.href), first);
    await page.keyboard.press('ArrowUp');
    assert.equal(await activeId(page), 'site-search-q');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    assert.equal(await activeId(page), 'site-search-q');
    assert.equal(await page.locator('#site-search-panel').isVisible(), false);
    // Escape in the box itself closes too; typing opens again.
    await page.keyboard.type('s');
    await page.waitForFunction(() => !document.getElementById('site-search-panel').hidden);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#site-search-panel').isVisible(), false);
    // Tab away closes the list.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('x');
    await page.waitForFunction(() => !document.getElementById('site-search-panel').hidden);
    await page.locator('main').focus();
    await page.waitForFunction(() => document.getElementById('site-search-panel').hidden);
    await context.close();
  });

  test('"/" does not fire while typing in a field', async () => {
    const { page, context } = await openPage(fileUrl(guide));
    await page.locator('#symptom-find').focus();
    await page.keyboard.type('a/b');
    assert.equal(await activeId(page), 'symptom-find');
    assert.equal(await page.locator('#symptom-find').inputValue(), 'a/b');
    await page.locator('#site-search-q').focus();
    await page.keyboard.type('/x');
    assert.equal(await page.locator('#site-search-q').inputValue(), '/x');
    await context.close();
  });
});

describe('search loads when the reader turns to it', () => {
  test('a page fetches no search script until the box is focused, then searches what was typed', async () => {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const { page, context, problems } = await openPage(fileUrl(guide, 'start/quick-checks.html'), { viewport });
      const names = [];
      page.on('request', (r) => names.push(path.basename(new URL(r.url()).pathname)));
      await page.reload();
      await page.waitForLoadState('load');
      assert.equal(await page.evaluate(() => !!window.fixbookSearch), false);
      assert.ok(!names.includes('search.js') && !names.includes('text.js'), names.join(' '));
      // Typed before the scripts arrive: the results still follow.
      const found = await search(page, 'icloud');
      assert.ok(names.includes('search.js') && names.includes('text.js'), names.join(' '));
      assert.ok(found.length > 0, `${viewport.width}px: no results`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  test('"/" loads and focuses the search', async () => {
    const { page, context } = await openPage(fileUrl(guide, 'index.html'), { viewport: { width: 1280, height: 800 } });
    await page.keyboard.press('/');
    assert.equal(await activeId(page), 'site-search-q');
    await page.waitForFunction(() => !!window.fixbookSearch);
    await context.close();
  });
});

describe('search on fixtures', () => {
  test('router, from a page three folders deep: "flushdns" finds the command and links to its heading', async () => {
    const { page, context, problems } = await openPage(fileUrl(router, 'network/wifi/advanced/mesh-backhaul.html'));
    const found = await search(page, 'flushdns');
    assert.equal(found[0].href, 'internet/dns/flush-cache.html#clear-your-computers-cache');
    // The section's folder, then the heading the match is under.
    assert.equal(found[0].where, 'dns › Clear your computer’s cache');
    assert.ok(found[0].marks.includes('flushdns'), JSON.stringify(found[0]));
    await page.locator('#site-search-results a').first().click();
    await page.waitForURL(/flush-cache\.html#clear-your-computers-cache$/);
    assert.equal(await page.locator('#clear-your-computers-cache').count(), 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('router: a title match ranks above body text; "wi-fi" and "wifi" are the same word', async () => {
    const { page, context } = await openPage(fileUrl(router));
    const channel = await search(page, 'channel');
    assert.equal(channel[0].title, 'Pick a less crowded Wi-Fi channel');
    // Typos among the first letters too (they pick the index shard).
    for (const typo of ['hcannel', 'cahnnel', 'chanel']) {
      assert.equal((await search(page, typo))[0]?.title, 'Pick a less crowded Wi-Fi channel', typo);
    }
    const bodyOnly = channel.findIndex((r) => r.title === 'How a home router works');
    assert.ok(bodyOnly > 0, 'the body-only match is listed, below the title match');
    const a = await search(page, 'wifi dropping');
    const b = await search(page, 'wi-fi dropping');
    assert.equal(a[0].title, 'Stop Wi-Fi from dropping');
    assert.deepEqual(b.map((r) => r.href), a.map((r) => r.href));
    // A symptom alias and a settings path are strong matches too.
    const alias = await search(page, 'dead zone');
    assert.equal(alias[0].title, 'Give a mesh system a dedicated backhaul');
    // The excerpt is the section's text, never its metadata (symptom labels, settings paths).
    assert.ok(alias[0].excerpt && !/^(Fixes|Settings):/.test(alias[0].excerpt), alias[0].excerpt);
    const setting = await search(page, 'secondary server');
    assert.equal(setting[0].title, 'Fix DNS errors');
    await context.close();
  });

  test('multilingual: CJK labels and titles are found by their characters; Greek without accents', async () => {
    const { page, context, problems } = await openPage(fileUrl(multilingual));
    const restart = await search(page, '再起動');
    assert.equal(restart[0].href, 'ネットワーク/再起動 手順.html');
    assert.deepEqual(restart[0].marks.slice(0, 3), ['再', '起', '動']);
    const speed = await search(page, '速度');
    assert.deepEqual(speed.map((r) => r.href).sort(), ['Ελληνικά/επανεκκίνηση.html', 'はじめに.html']);
    const greek = await search(page, 'επανεκκινηση');
    assert.equal(greek[0].href, 'Ελληνικά/επανεκκίνηση.html');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('hostile: guide text in results stays text (titles, excerpts, highlights)', async () => {
    const { page, context, problems } = await openPage(fileUrl(hostile));
    const found = await search(page, 'script alert');
    assert.ok(found.length >= 2);
    assert.ok(found.some((r) => r.title.includes('<script>alert(1)</script>')), JSON.stringify(found.map((r) => r.title)));
    const tags = await page.locator('#site-search-results *').evaluateAll((els) => [...new Set(els.map((e) => e.tagName))].sort());
    assert.deepEqual(tags, ['A', 'LI', 'MARK', 'SPAN']);
    await search(page, 'config');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('over http: a query loads the manifest, one shard per word and the shown results, not the whole index', async () => {
    const server = await serve(router);
    try {
      const { page, context, problems } = await openPage(httpUrl(server, 'internet/slow.html'));
      const net = collectNetwork(page);
      const found = await search(page, 'dns servers');
      assert.equal(found[0].title, 'Fix DNS errors');
      const loaded = net.urls.filter((u) => u.includes('/_fixbook/search/'));
      const shards = loaded.filter((u) => u.includes('/terms/'));
      const docs = loaded.filter((u) => u.includes('/docs/'));
      assert.equal(loaded.filter((u) => u.endsWith('/search/index.js')).length, 1);
      assert.ok(shards.length >= 1 && shards.length <= 2, shards.join('\n'));
      // The shown results' docs, plus those of results seen while typing; never all of them.
      const allDocs = listFiles(path.join(router, '_fixbook', 'search', 'docs'));
      assert.ok(docs.length >= found.length && docs.length < allDocs.length, `${docs.length} doc files for ${found.length} results`);
      const allShards = listFiles(path.join(router, '_fixbook', 'search', 'terms'));
      assert.ok(allShards.length > 10 * shards.length, `${allShards.length} shards in the index`);
      assert.deepEqual(net.external(server.url), []);
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await server.close();
    }
  });

  test('axe-core: zero violations on a section page and the home page with search results open', async () => {
    for (const [dir, rel, q] of [[router, 'internet/dns/flush-cache.html', 'dns'], [guide, 'index.html', 'iclould'], [multilingual, 'はじめに.html', '再起動']]) {
      const { page, context } = await openPage(fileUrl(dir, rel));
      await search(page, q);
      assert.equal(await page.locator('#site-search-panel').isVisible(), true);
      const violations = await runAxe(page);
      assert.deepEqual(violations, [], `${rel}: ${formatAxe(violations)}`);
      await context.close();
    }
  });
});

describe('ranking, results page and panel (crafted guide)', () => {
  test('exact title first; every word beats some words, even in a title; a long page does not win by length', async () => {
    const { page, context, problems } = await openPage(fileUrl(crafted));
    const found = await search(page, 'printer queue stuck');
    assert.equal(found[0].title, 'Printer queue stuck');
    const two = await search(page, 'printer queue');
    assert.equal(two[0].title, 'Printer queue stuck', 'title holding every word first');
    const rank = (t) => two.findIndex((r) => r.title === t);
    const listed = JSON.stringify(two.map((r) => r.title));
    const before = (a, b) => rank(a) >= 0 && (rank(b) < 0 || rank(a) < rank(b));
    assert.ok(before('Spooler notes', 'Printer basics'), `both words in the body beat one in the title: ${listed}`);
    assert.ok(before('Spooler notes', 'Everything about offices'), `the short page with both words beats the long one: ${listed}`);
    // Excerpts come from the text around the match.
    assert.match(two[rank('Spooler notes')].excerpt, /printer queue/i);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a wrong first letter still finds the word; nothing found offers "did you mean"', async () => {
    const { page, context } = await openPage(fileUrl(crafted));
    const typo = await search(page, 'sspooler');
    assert.ok(typo.some((r) => r.title === 'Spooler notes'), JSON.stringify(typo));
    const wrongFirst = await search(page, 'xpooler notes');
    assert.equal(wrongFirst[0]?.title, 'Spooler notes', JSON.stringify(wrongFirst));
    assert.match(await page.locator('#site-search-suggest').textContent(), /Did you mean spooler notes\?/);
    await page.locator('#site-search-suggest a').click();
    await page.waitForFunction(() => document.getElementById('site-search-q').value === 'spooler notes');
    await context.close();
  });

  test('"All N results" opens search.html, paged, from file://', async () => {
    const { page, context, problems } = await openPage(fileUrl(crafted, 'print/exact.html'));
    const found = await search(page, 'printer');
    assert.equal(found.length, 8);
    const more = page.locator('#site-search-more a');
    assert.match(await more.textContent(), /^All 49 results$/);
    await more.click();
    await page.waitForURL(/search\.html\?q=printer$/);
    await page.waitForFunction(() => document.getElementById('search-page-results').getAttribute('data-query') === 'printer');
    assert.equal(await page.locator('#search-page-results li').count(), 20);
    assert.match(await page.locator('#search-page-status').textContent(), /49 results for “printer”, 1–20 shown/);
    assert.equal(await page.locator('#search-page-pager a').count(), 3);
    await page.locator('#search-page-pager a', { hasText: '3' }).click();
    await page.waitForURL(/page=3$/);
    await page.waitForFunction(() => document.getElementById('search-page-status').textContent.includes('41–49'));
    assert.equal(await page.locator('#search-page-results li').count(), 9);
    assert.equal(await page.locator('#search-page-results').getAttribute('start'), '41');
    // Every result links to a section page that exists.
    for (const href of await page.locator('#search-page-results a').evaluateAll((as) => as.map((a) => a.href))) {
      assert.ok(fs.existsSync(new URL(href.split('#')[0]).pathname), href);
    }
    // A new query from the page's own form.
    await page.locator('#search-page-q').fill('spooler');
    await page.locator('#search-page-form button').click();
    await page.waitForFunction(() => document.getElementById('search-page-results').getAttribute('data-query') === 'spooler');
    assert.equal(await page.locator('#search-page-results li').count(), 2);
    await screenshot(page, 'search-page-1280');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('Escape closes the panel, and Enter after it does nothing', async () => {
    const { page, context } = await openPage(fileUrl(crafted, 'print/exact.html'));
    await search(page, 'spooler');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#site-search-panel').isVisible(), false);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    assert.match(page.url(), /print\/exact\.html$/);
    // With the panel open, Enter opens the first result.
    await page.keyboard.type('s');
    await page.keyboard.press('Backspace');
    await page.waitForFunction(() => !document.getElementById('site-search-panel').hidden);
    await page.keyboard.press('Enter');
    await page.waitForURL(/print\/body-both\.html/);
    await context.close();
  });

  for (const [width, height] of [[1024, 768], [1280, 800], [1366, 768], [390, 844]]) {
    test(`the results panel stays inside the window at ${width} px`, async () => {
      const { page, context } = await openPage(fileUrl(crafted, 'print/exact.html'), { viewport: { width, height } });
      await search(page, 'printer');
      const box = await page.locator('#site-search-panel').boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width, `panel ${box.x}..${box.x + box.width} in ${width}`);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= o.clientWidth, `scrollWidth ${o.scrollWidth} > ${o.clientWidth}`);
      await screenshot(page, `search-panel-${width}`);
      await context.close();
    });
  }

  test('search.html: axe-core and vnu report nothing', async () => {
    const { page, context } = await openPage(fileUrl(crafted, 'search.html') + '?q=printer');
    await page.waitForFunction(() => document.getElementById('search-page-results').getAttribute('data-query') === 'printer');
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatAxe(violations));
    await context.close();
    const only = tmpDir('fixbook-vnu-');
    fs.copyFileSync(path.join(crafted, 'search.html'), path.join(only, 'search.html'));
    const messages = runVnu(only);
    assert.deepEqual(messages, [], formatVnu(messages, only));
  });
});
