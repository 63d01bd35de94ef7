// The home page symptom filter in headless Chromium (issue 4, issue 14):
// ticking symptoms ranks the sections that fix them, the count is announced
// through a polite live region after ticking settles, state lives in the URL
// (reload, unknown ids ignored; replaced per tick, so one Back leaves), the
// symptom list narrows with typos, keyboard only works, and the page without
// JavaScript still reaches every section in two clicks. Built from fixture guides with the real fixbook binary.
//
// Run: cargo build && node --test tests/browser/filter.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  buildGuide,
  fileUrl,
  fixturesDir,
  formatAxe,
  formatVnu,
  horizontalOverflow,
  httpUrl,
  launch,
  repoRoot,
  runAxe,
  runVnu,
  screenshot,
  serve,
} from './harness.mjs';

// Router fixture, reading order (weight, then title):
//   10 "Find out why the internet is slow"  [slow-internet, high-latency]
//   10 "Pick a less crowded Wi-Fi channel"  [wifi-drops, slow-internet, high-latency]
//   20 "Fix DNS errors"                     [dns-failures, some-sites-fail]
//   20 "Stop Wi-Fi from dropping"           [wifi-drops, network-not-visible]
//   30 "Give a mesh system a dedicated backhaul" [weak-signal]
const SLOW = 'Find out why the internet is slow';
const CHANNEL = 'Pick a less crowded Wi-Fi channel';
const DNS = 'Fix DNS errors';
const DROPS = 'Stop Wi-Fi from dropping';
const MESH = 'Give a mesh system a dedicated backhaul';

let browser;
let router;
let guide;
let hostile;
let multilingual;

before(async () => {
  router = buildGuide(path.join(fixturesDir, 'router'));
  guide = buildGuide(path.join(repoRoot, 'guide'));
  hostile = buildGuide(path.join(fixturesDir, 'hostile'));
  multilingual = buildGuide(path.join(fixturesDir, 'multilingual'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A page that fails the test on any script error or dialog. */
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

/** Titles of the results, once their cards (a script loaded on the first tick) are in. */
async function resultTitles(page) {
  await page.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy'));
  return page.locator('#results #filter-list > li .card-title').allTextContents();
}
const tickedIds = (page) => page.locator('#symptom-filter input[name=symptoms]:checked').evaluateAll((els) => els.map((e) => e.value));
const symptomsParam = (page) => new URL(page.url()).searchParams.get('symptoms');
/** The address is written just after the results are painted: wait for it. */
async function expectParam(page, value) {
  await page
    .waitForFunction((v) => new URLSearchParams(location.search).get('symptoms') === v, value, { timeout: 5000 })
    .catch(() => {});
  assert.equal(symptomsParam(page), value);
}

describe('symptom filter (router fixture, file://)', () => {
  test('checkboxes grouped in fieldsets with legends, each with its label and count; plain links hidden', async () => {
    const { page, context, problems } = await openPage(fileUrl(router));
    assert.equal(await page.locator('#symptom-filter').isVisible(), true);
    assert.equal(await page.locator('#symptom-links').isVisible(), false);
    const legends = await page.locator('#symptom-filter fieldset > legend').allTextContents();
    assert.deepEqual(legends.map((l) => l.trim()), ['Wi-Fi', 'Internet', 'Name resolution']);
    const wifi = page.getByRole('checkbox', { name: 'Wi-Fi keeps disconnecting' });
    assert.equal(await wifi.count(), 1);
    const described = await wifi.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')).textContent);
    assert.equal(described.trim(), '2 fixes');
    assert.equal(await page.locator('#filter-status').getAttribute('aria-live'), 'polite');
    assert.equal((await page.locator('#filter-status').textContent()).trim(), '', 'status region starts empty');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('ticking ranks by ticked symptoms fixed, then weight, then title; URL, summary, steps and checklist link follow', async () => {
    const { page, context, problems } = await openPage(fileUrl(router));
    await page.getByRole('checkbox', { name: 'Wi-Fi keeps disconnecting' }).check();
    await page.getByRole('checkbox', { name: 'Internet is slow' }).check();
    // The status region only speaks once ticking settles, not on every tick.
    assert.equal((await page.locator('#filter-status').textContent()).trim(), '');
    // Results change at once, no submit.
    assert.deepEqual(await resultTitles(page), [CHANNEL, SLOW, DROPS]);
    await expectParam(page, 'wifi-drops,slow-internet');
    await page.waitForFunction(() => document.getElementById('filter-status').textContent.trim() !== '');
    const status = await page.locator('#filter-status').textContent();
    assert.match(status, /^1 section fixes all 2 symptoms; 2 more fix some of them\.$/);
    assert.equal(await page.locator('#filter-summary').textContent(), status);
    const first = page.locator('#filter-list > li').first();
    const firstText = await first.textContent();
    assert.match(firstText, /Neighbouring networks on the same channel slow each other down; move yours\./, 'summary shown');
    assert.match(firstText, /Fixes 2 of 2: Wi-Fi keeps disconnecting; Internet is slow/);
    assert.match(firstText, /\b8 steps\b/);
    assert.equal((await page.locator('#filter-bar').textContent()).replace(/\s+/g, ' ').trim(), '3 fixes for 2 symptoms · Show');
    assert.equal(await page.locator('#filter-bar-show').getAttribute('href'), '#results');
    // Counts: how many of the results also fix each symptom, or what ticking it would add.
    const count = (id) => page.locator(`#sym_${id}_n`).textContent();
    assert.equal(await count('high-latency'), '2 of these');
    assert.equal(await count('dns-failures'), '+1 more');
    assert.equal(await count('wifi-drops'), '2 fixes');
    const href = await page.locator('#filter-checklist').getAttribute('href');
    assert.equal(href, 'checklists/combined.html?symptoms=wifi-drops,slow-internet');
    assert.equal(await page.getByRole('link', { name: 'Print a checklist for these' }).count(), 1);
    // Result links lead to the section pages.
    const link = await first.locator('a.card-title').getAttribute('href');
    assert.equal(link, 'network/wifi/channels.html');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a single tick lists the sections that fix it in reading order', async () => {
    const { page, context } = await openPage(fileUrl(router));
    await page.getByRole('checkbox', { name: 'Wi-Fi keeps disconnecting' }).check();
    assert.deepEqual(await resultTitles(page), [CHANNEL, DROPS]);
    await expectParam(page, 'wifi-drops');
    await page.waitForFunction(() => document.getElementById('filter-status').textContent.trim() !== '');
    assert.equal(await page.locator('#filter-status').textContent(), '2 sections fix 1 symptom.');
    await context.close();
  });

  test('no section fixes all: says so and offers the closest matches', async () => {
    const { page, context } = await openPage(fileUrl(router));
    await page.getByRole('checkbox', { name: 'Weak Wi-Fi signal in some rooms' }).check();
    await page.getByRole('checkbox', { name: 'Websites fail to load with a DNS error' }).check();
    assert.deepEqual(await resultTitles(page), [DNS, MESH]);
    await page.waitForFunction(() => /No section fixes all/.test(document.getElementById('filter-status').textContent));
    assert.match(await page.locator('#filter-status').textContent(), /No section fixes all of these 2 symptoms\. Closest matches: 2 sections fix some of them\./);
    await context.close();
  });

  test('the URL restores the ticks on load and ignores unknown ids; ticks replace the address, so one Back leaves', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(fileUrl(router, 'settings.html'));
    await page.goto(fileUrl(router) + '?symptoms=nope,dns-failures,%3Cscript%3E,high-latency');
    assert.deepEqual(await tickedIds(page), ['high-latency', 'dns-failures']);
    assert.deepEqual(await resultTitles(page), [SLOW, CHANNEL, DNS]);
    await expectParam(page, 'high-latency,dns-failures');

    await page.reload();
    assert.deepEqual(await tickedIds(page), ['high-latency', 'dns-failures']);

    const length = await page.evaluate(() => history.length);
    await page.getByRole('checkbox', { name: 'Only some websites do not open' }).check();
    await page.getByRole('checkbox', { name: 'Weak Wi-Fi signal in some rooms' }).check();
    await page.getByRole('checkbox', { name: 'Weak Wi-Fi signal in some rooms' }).uncheck();
    await expectParam(page, 'high-latency,dns-failures,some-sites-fail');
    assert.deepEqual(await resultTitles(page), [DNS, SLOW, CHANNEL]);
    assert.equal(await page.evaluate(() => history.length), length, 'ticks add no history entries');
    await page.goBack();
    await page.waitForURL(/settings\.html$/);
    await page.goForward();
    assert.deepEqual(await tickedIds(page), ['high-latency', 'dns-failures', 'some-sites-fail']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('clearing all hides the results and the bar and leaves a clean URL', async () => {
    const { page, context } = await openPage(fileUrl(router) + '?symptoms=weak-signal');
    assert.deepEqual(await resultTitles(page), [MESH]);
    assert.equal(await page.locator('#filter-bar').isVisible(), true);
    await page.getByRole('button', { name: 'Clear all ticks' }).click();
    assert.deepEqual(await tickedIds(page), []);
    assert.equal(await page.locator('#results').isVisible(), false);
    assert.equal(await page.locator('#filter-bar').isVisible(), false);
    assert.equal(await page.locator('#sym_weak-signal_n').textContent(), '1 fix');
    await page.waitForFunction(() => location.search === '');
    await page.waitForFunction(() => /No symptoms ticked/.test(document.getElementById('filter-status').textContent));
    await context.close();
  });

  test('keyboard only: Tab reaches the boxes, Space ticks, / types in a field instead of jumping to search', async () => {
    const { page, context } = await openPage(fileUrl(router));
    await page.locator('#symptom-find').focus();
    await page.keyboard.type('/x');
    assert.equal(await page.locator('#symptom-find').inputValue(), '/x', '/ is typed into the field');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'symptom-find');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#symptom-find').inputValue(), '');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sym_wifi-drops');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sym_network-not-visible');
    await page.keyboard.press('Space');
    assert.deepEqual(await tickedIds(page), ['wifi-drops', 'network-not-visible']);
    assert.deepEqual(await resultTitles(page), [DROPS, CHANNEL]);
    // Keep tabbing: the clear button, then the result links, all reachable.
    const seen = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
    }
    assert.ok(seen.includes('symptom-clear'), seen.join(' | '));
    assert.ok(seen.includes('Print a checklist for these') || seen.includes('filter-checklist'), seen.join(' | '));
    assert.ok(seen.includes(DROPS), seen.join(' | '));
    await context.close();
  });

  test('the symptom list narrows by label and aliases, with typos', async () => {
    const { page, context } = await openPage(fileUrl(router));
    const visible = () => page.locator('#symptom-filter .symptom-checks li:visible label').allTextContents();
    await page.locator('#symptom-find').fill('wirless dropin');
    assert.deepEqual(await visible(), ['Wi-Fi keeps disconnecting']);
    await page.locator('#symptom-find').fill('ssid');
    assert.deepEqual(await visible(), ['The network name does not appear']);
    assert.equal(await page.locator('#symptom-filter fieldset:visible').count(), 1, 'empty groups hide');
    await page.locator('#symptom-find').fill('zzzzqqq');
    assert.deepEqual(await visible(), []);
    assert.equal(await page.locator('#symptom-find-none').isVisible(), true);
    await page.locator('#symptom-find').fill('');
    assert.equal((await visible()).length, 7);
    await context.close();
  });

  test('no JavaScript: every symptom is a link to its page and every section is two clicks from home', async () => {
    const { page, context } = await openPage(fileUrl(router), { javaScriptEnabled: false });
    assert.equal(await page.locator('#symptom-filter').isVisible(), false);
    const hrefs = await page.locator('#symptom-links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(hrefs.length, 7);
    assert.ok(hrefs.every((h) => /^symptoms\/[a-z0-9-]+\.html$/.test(h)), hrefs.join(' '));
    const reached = new Set();
    const firstClicks = await page.locator('#sections a').evaluateAll((as) => as.map((a) => a.href));
    for (const href of firstClicks) {
      reached.add(new URL(href).pathname);
      await page.goto(href);
      for (const h of await page.locator('main a').evaluateAll((as) => as.map((a) => a.href))) reached.add(new URL(h).pathname);
    }
    const sections = ['about/how-routers-work.html', 'internet/dns/flush-cache.html', 'internet/slow.html', 'network/wifi/advanced/mesh-backhaul.html', 'network/wifi/channels.html', 'network/wifi/drops.html'];
    for (const s of sections) assert.ok([...reached].some((p) => p.endsWith('/' + s)), `${s} is not two clicks from home`);
    await page.goto(fileUrl(router));
    assert.equal(await page.locator('#site-search').isVisible(), false, 'the search box needs JS, so it stays hidden');
    await context.close();
  });

  test('axe-core: zero violations with the filter in use, and at phone width without overflow', async () => {
    const { page, context } = await openPage(fileUrl(router) + '?symptoms=wifi-drops,weak-signal', { viewport: { width: 360, height: 740 } });
    await page.locator('#symptom-find').fill('wifi');
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatAxe(violations));
    const { scrollWidth, clientWidth } = await horizontalOverflow(page);
    assert.ok(scrollWidth <= clientWidth, `no horizontal scroll at 360px (${scrollWidth} > ${clientWidth})`);
    await screenshot(page, 'filter-router-phone');
    await context.close();
  });
});

describe('symptom filter on other guides', () => {
  test('bundled guide: "stuck backp" finds the Backing Up symptom, one tick finds the fix, two clicks from file://', async () => {
    const { page, context, problems } = await openPage(fileUrl(guide), { viewport: { width: 390, height: 844 } });
    await page.locator('#symptom-find').fill('stuck backp');
    const labels = await page.locator('#symptom-filter .symptom-checks li:visible label').allTextContents();
    assert.ok(labels.includes('Stuck on “Backing Up…” for hours'), labels.join(' | '));
    await page.getByRole('checkbox', { name: 'Stuck on “Backing Up…” for hours' }).check();
    const titles = await resultTitles(page);
    assert.ok(titles.length >= 1);
    await page.locator('#filter-list > li a.card-title').first().click();
    await page.waitForURL(/\.html(#.*)?$/);
    assert.match(page.url(), /stuck\/slow-or-stuck\.html$/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('hostile labels stay text in results and the announcement', async () => {
    const { page, context, problems } = await openPage(fileUrl(hostile) + '?symptoms=script-tag,template-injection');
    const items = page.locator('#filter-list > li');
    assert.ok((await items.count()) >= 1);
    const text = await items.first().textContent();
    assert.match(text, /<script>alert\(1\)<\/script> label|\{\{ config \}\}/);
    assert.equal(await page.locator('#filter-list script, #filter-list img').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('multilingual: CJK labels tick and narrow by their characters, served over http too', async () => {
    const server = await serve(multilingual);
    try {
      const { page, context, problems } = await openPage(httpUrl(server, 'index.html'));
      await page.locator('#symptom-find').fill('速度');
      const labels = await page.locator('#symptom-filter .symptom-checks li:visible label').allTextContents();
      assert.deepEqual(labels, ['通信速度が遅い 🐢']);
      await page.getByRole('checkbox', { name: '通信速度が遅い 🐢' }).check();
      const titles = await resultTitles(page);
      assert.equal(titles.length, 2, titles.join(' | '));
      await expectParam(page, 'slow-speed');
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await server.close();
    }
  });

  test('vnu: home pages with the filter and search markup have zero errors', () => {
    for (const dir of [router, multilingual]) {
      const messages = runVnu(dir);
      assert.deepEqual(messages, [], formatVnu(messages, dir));
    }
  });
});
