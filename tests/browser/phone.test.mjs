// A help centre on a phone (issue 14), in headless Chromium at 390x844,
// 1024x768 and 1280x800, on the bundled guide and on a large generated guide
// (245 sections in nested folders and at the top, 61 symptoms, a long intro
// and a long title): the filter starts on the first screen, a tick moves
// nothing, a sticky "N fixes for M symptoms · Show" bar appears, ticks
// replace the address, breadcrumbs and "On this page" lead where they say,
// the header stays in view with search one tap away, folder pages and the
// dead ends (No matches, 404) offer the ways on; axe and vnu on every new
// page type.
//
// Run: cargo build && node --test tests/browser/phone.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { buildGuide, fileUrl, formatAxe, formatVnu, horizontalOverflow, launch, reachedInTwoClicks, repoRoot, runAxe, runVnu, screenshot, tmpDir } from './harness.mjs';

const VIEWPORTS = { phone: { width: 390, height: 844 }, tablet: { width: 1024, height: 768 }, desktop: { width: 1280, height: 800 } };
const LONG_TITLE = 'The Contoso Home and Small Office Troubleshooting Handbook for Networks, Printers and Everything Else';

/** Writes the large guide: nested folders (some with an index.md), 60 sections at the top, a long intro. */
function writeLargeGuide() {
  const dir = path.join(tmpDir('fixbook-phone-'), 'guide');
  const put = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('guide.toml', `title = "${LONG_TITLE}"\ndescription = "Fixes for the problems people meet at home and in a small office."\n`);
  const groups = ['Connection', 'Speed', 'Devices', 'Sound and picture', 'Accounts', 'Updates'];
  const symptoms = [];
  for (let i = 0; i < 60; i++) symptoms.push({ id: `sym-${i}`, label: `${groups[i % 6]} problem number ${i} shows up`, group: groups[i % 6] });
  symptoms.push({ id: 'ghost', label: 'A problem nothing fixes yet', group: 'Updates' });
  put('symptoms.yml', 'symptoms:\n' + symptoms.map((s) => `  - id: ${s.id}\n    label: "${s.label}"\n    group: "${s.group}"\n`).join(''));
  let intro = '';
  for (let p = 0; p < 8; p++) intro += `This handbook paragraph ${p} explains at length how to use the guide, what to collect before you start, and who to call when nothing works. `.repeat(3) + '\n\n';
  intro += '| Area | What it covers |\n|---|---|\n' + groups.map((g) => `| ${g} | Everything about ${g.toLowerCase()} |`).join('\n') + '\n';
  put('index.md', intro);
  const section = (title, syms, weight, extra = '') =>
    `---\ntitle: "${title}"\nsummary: "What to do when ${title.toLowerCase()}."\nweight: ${weight}\nsymptoms: [${syms.join(', ')}]\n${extra}---\n\n` +
    ['Check first', 'Fix it', 'Make sure it stays fixed', 'If it comes back'].map((h) => `## ${h}\n\n1. **Open the settings** — and look.\n2. **Change the value** — then wait.\n\nSome words about ${h.toLowerCase()}.\n`).join('\n');
  const folders = ['network', 'power', 'display', 'audio', 'storage', 'accounts', 'printing', 'updates'];
  let n = 0;
  for (const [fi, f] of folders.entries()) {
    if (fi % 2 === 0) put(`${f}/index.md`, `---\ntitle: "All about ${f}"\nsummary: "The ${f} fixes, from quick checks to resets."\nweight: ${-fi}\n---\nThe ${f} part of the handbook.\n`);
    for (const sub of ['basics', 'advanced']) {
      for (let k = 0; k < 11 + (sub === 'basics' ? 1 : 0); k++, n++) {
        put(`${f}/${sub}/fix-${k}.md`, section(`${f} ${sub} fix ${k}`, [`sym-${n % 60}`, `sym-${(n * 7) % 60}`], n));
      }
    }
  }
  for (let k = 0; k < 60; k++, n++) put(`top-${k}.md`, section(`Top level fix ${k}`, [`sym-${n % 60}`, `sym-${(n * 3) % 60}`], n));
  put('contact.md', `---\ntitle: "Contact support"\nsummary: "When nothing else worked."\nweight: 9999\nescalation: true\n---\n\nCall us.\n`);
  return dir;
}

let browser;
let bundled;
let large;
let largeGuide;

before(async () => {
  bundled = buildGuide(path.join(repoRoot, 'guide'));
  largeGuide = writeLargeGuide();
  large = buildGuide(largeGuide);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function open(site, rel, viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const [file, query] = rel.split('?');
  await page.goto(fileUrl(site, file) + (query ? `?${query}` : ''));
  return { page, context, problems };
}

/** Visible symptom boxes, with their positions on screen. */
const boxes = (page) =>
  page.$$eval('#symptom-filter input[type=checkbox]', (els) =>
    els.filter((e) => e.offsetParent !== null).map((e) => ({ id: e.id, top: e.getBoundingClientRect().top, value: e.value })),
  );

for (const [which, getSite] of [['bundled guide', () => bundled], ['large guide', () => large]]) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    describe(`${which} at ${name} (${viewport.width}x${viewport.height})`, () => {
      test('the filter starts on the first screen; a tick moves nothing, shows the bar, replaces the address', async () => {
        const { page, context, problems } = await open(getSite(), 'index.html', viewport);
        const find = await page.locator('#symptom-find').boundingBox();
        assert.ok(find.y + find.height <= viewport.height, `Find a symptom at ${find.y}`);
        const before = await boxes(page);
        assert.ok(before.length >= 3);
        assert.ok(before[0].top + 20 <= viewport.height, `first checkbox at ${before[0].top}px`);
        assert.equal(await page.locator('#filter-bar').isVisible(), false);
        const length = await page.evaluate(() => history.length);
        await page.locator(`label[for="${before[0].id}"]`).click();
        await page.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy'));
        const afterTick = await boxes(page);
        const moved = afterTick.map((b) => Math.abs(b.top - before.find((x) => x.id === b.id).top));
        assert.equal(Math.max(...moved), 0, 'rows moved under the finger');
        const bar = page.locator('#filter-bar');
        assert.equal(await bar.isVisible(), true);
        assert.match((await bar.textContent()).replace(/\s+/g, ' ').trim(), /^\d+ fix(es)? for 1 symptom · Show$/);
        const box = await bar.boundingBox();
        assert.ok(box.y + box.height <= viewport.height + 1 && box.y > viewport.height - 120, `bar at ${box.y}`);
        // Every count says something: a number of fixes, of these, or more.
        const counts = await page.locator('#symptom-filter .symptom-checks .count').allTextContents();
        assert.ok(counts.every((c) => /^(\d+ fix(es)?|\d+ of these|\+\d+ more|no fixes yet)$/.test(c)), counts.join(' | '));
        for (const b of before.slice(1, 3)) await page.locator(`label[for="${b.id}"]`).click();
        await page.waitForFunction(() => /symptoms=[^,]+,[^,]+,[^,]+/.test(location.search));
        assert.equal(await page.evaluate(() => history.length), length, 'three ticks, no new history entries');
        assert.match((await bar.textContent()).replace(/\s+/g, ' '), /for 3 symptoms · Show/);
        await page.locator('#filter-bar-show').click();
        await page.waitForFunction(() => document.getElementById('results').getBoundingClientRect().top < innerHeight / 2);
        const overflow = await horizontalOverflow(page);
        assert.ok(overflow.scrollWidth <= overflow.clientWidth, `horizontal overflow ${overflow.scrollWidth}`);
        await screenshot(page, `phone-${which}-ticked-${name}`);
        assert.deepEqual(problems, []);
        await context.close();
      });

      test('section page: breadcrumb, On this page, header in view after scrolling', async () => {
        const site = getSite();
        const rel = which === 'bundled guide' ? 'icloud/storage.html' : 'network/advanced/fix-3.html';
        const { page, context, problems } = await open(site, rel, viewport);
        const crumbs = page.locator('nav[aria-label="Breadcrumb"] li');
        const texts = (await crumbs.allTextContents()).map((t) => t.trim());
        assert.equal(texts[0], 'Home');
        assert.equal(await page.locator('nav[aria-label="Breadcrumb"] [aria-current="page"]').textContent(), await page.locator('h1').textContent());
        for (const href of await page.locator('nav[aria-label="Breadcrumb"] a').evaluateAll((as) => as.map((a) => a.href))) {
          assert.ok(fs.existsSync(new URL(href).pathname), `breadcrumb link ${href} leads nowhere`);
        }
        if (which === 'large guide') assert.deepEqual(texts, ['Home', 'All about network', 'Advanced', 'network advanced fix 3']);
        // On this page: the visible copy (collapsed on a phone, aside on a desktop) links to headings on the page.
        const toc = viewport.width >= 992 ? page.locator('nav.toc-side') : page.locator('details.toc-top');
        assert.equal(await toc.isVisible(), true);
        if (viewport.width < 992) {
          assert.equal(await toc.evaluate((d) => d.open), false, 'collapsed at the top on a phone');
          await toc.locator('summary').click();
        }
        const targets = await toc.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(targets.length >= 3);
        for (const t of targets) assert.equal(await page.locator(t).count(), 1, `${t} is not on the page`);
        await toc.locator('a').nth(2).click();
        const heading = await page.locator(targets[2]).boundingBox();
        const header = await page.locator('.site-header').boundingBox();
        assert.ok(heading.y >= header.y + header.height - 1, 'the heading a link jumps to is not under the sticky header');
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
        const h = await page.locator('.site-header').boundingBox();
        assert.ok(h.y >= -1 && h.y < 5, `header at ${h.y} after scrolling`);
        assert.ok(h.height <= 72, `header ${h.height}px tall`);
        await screenshot(page, `phone-${which}-section-${name}`);
        assert.deepEqual(problems, []);
        await context.close();
      });
    });
  }
}

describe('header, search and tap targets', () => {
  test('phone: the Search button opens search full screen; Close and Escape close it', async () => {
    const { page, context, problems } = await open(bundled, 'icloud/storage.html', VIEWPORTS.phone);
    await page.evaluate(() => window.scrollTo(0, 2000));
    const toggle = page.getByRole('button', { name: 'Search' });
    assert.equal(await toggle.isVisible(), true);
    assert.equal(await page.locator('#site-search-q').isVisible(), false, 'folded away until asked for');
    const t = await toggle.boundingBox();
    assert.ok(t.height >= 44 && t.width >= 44);
    await toggle.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-q');
    const form = await page.locator('#site-search').boundingBox();
    assert.deepEqual([form.x, form.y, form.width, form.height], [0, 0, 390, 844]);
    await page.keyboard.type('icloud storag');
    await page.waitForSelector('#site-search-results li a');
    await screenshot(page, 'phone-search-open');
    await page.getByRole('button', { name: 'Close' }).click();
    assert.equal(await page.locator('#site-search-q').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-toggle');
    await toggle.click();
    await page.keyboard.press('Escape'); // closes the results list
    await page.keyboard.press('Escape'); // closes the overlay
    assert.equal(await page.locator('#site-search-q').isVisible(), false);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('1280 px: a long guide title stays on one row with the navigation and the search box', async () => {
    const { page, context } = await open(large, 'index.html', VIEWPORTS.desktop);
    const title = await page.locator('.site-title').boundingBox();
    const search = await page.locator('#site-search').boundingBox();
    const nav = await page.locator('.site-nav').boundingBox();
    assert.ok(search.y < title.y + title.height && nav.y < title.y + title.height, 'search and nav beside the title');
    assert.ok(title.width <= 400, `title ${title.width}px wide`);
    const header = await page.locator('.site-header').boundingBox();
    assert.ok(header.height <= 72, `header ${header.height}px tall`);
    await context.close();
  });

  test('tap targets: symptom rows, cards, header links and breadcrumbs are at least 44 px; a card is tappable anywhere', async () => {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const { page, context } = await open(large, 'index.html', viewport);
      const small = await page.$$eval('#symptom-filter li, .card, .site-nav a, summary, .filter-find input', (els) =>
        els.filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map((e) => e.outerHTML.slice(0, 80)));
      assert.deepEqual(small, [], `${name}: under 44 px`);
      // Tap a card away from its title: the card's link is followed.
      const card = page.locator('#sections .card').first();
      await card.scrollIntoViewIfNeeded();
      const box = await card.boundingBox();
      const href = await card.locator('a').getAttribute('href');
      await page.mouse.click(box.x + box.width - 12, box.y + box.height - 8);
      await page.waitForURL((u) => u.href.endsWith(href));
      await page.goBack();
      // Tapping a row's text ticks its box.
      const li = page.locator('#symptom-filter .symptom-checks li:visible').first();
      await li.scrollIntoViewIfNeeded();
      const liBox = await li.boundingBox();
      await page.mouse.click(liBox.x + liBox.width - 4, liBox.y + liBox.height / 2);
      assert.equal(await li.locator('input').isChecked(), true, `${name}: the row's edge ticks`);
      await context.close();
    }
  });
});

describe('many symptoms, folders and dead ends', () => {
  test('past 30 symptoms: groups start folded, the commonest lead, Find a symptom opens the groups it matches', async () => {
    const { page, context } = await open(large, 'index.html', VIEWPORTS.phone);
    assert.equal(await page.locator('details.symptom-fold[open]').count(), 0);
    const popular = await page.locator('.symptom-popular label').allTextContents();
    assert.equal(popular.length, 8);
    await page.locator('#symptom-find').fill('number 17');
    const visible = await page.locator('#symptom-filter .symptom-checks li:visible label').allTextContents();
    assert.deepEqual(visible, ['Updates problem number 17 shows up']);
    // A tick on a "Most common" copy ticks the symptom itself.
    await page.locator('#symptom-find').fill('');
    const first = page.locator('.symptom-popular input').first();
    const id = await first.getAttribute('value');
    await first.check();
    assert.equal(await page.locator(`#sym_${id}`).isChecked(), true);
    await page.waitForFunction((v) => location.search === `?symptoms=${v}`, id);
    await context.close();
  });

  test('No matches offers a way on; a symptom nothing fixes says so instead of a silent 0', async () => {
    const { page, context } = await open(large, 'index.html?symptoms=ghost', VIEWPORTS.phone);
    await page.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy'));
    assert.match(await page.locator('#filter-summary').textContent(), /No section fixes this symptom yet/);
    const wayOn = page.locator('.filter-none-results');
    assert.equal(await wayOn.isVisible(), true);
    assert.equal(await wayOn.locator('a').getAttribute('href'), '#sections');
    assert.equal(await page.locator('#sections .escalation a').textContent(), 'Contact support');
    assert.equal((await page.locator('#sections .topic-list a').allTextContents()).length, 8);
    await context.close();
  });

  test('folder pages: breadcrumb, summary, every section below with summaries and symptoms; top-level overflow pages', async () => {
    const { page, context, problems } = await open(large, 'network/index.html', VIEWPORTS.phone);
    assert.equal(await page.locator('h1').textContent(), 'All about network');
    assert.deepEqual((await page.locator('nav[aria-label="Breadcrumb"] li').allTextContents()).map((t) => t.trim()), ['Home', 'All about network']);
    assert.equal(await page.locator('.section-list > li').count(), 23);
    assert.match(await page.locator('.section-list > li').first().textContent(), /Fixes: .*problem number/);
    await screenshot(page, 'phone-folder');
    // The home page's folders are ordered by their index.md weights, then by where their sections come.
    await page.goto(fileUrl(large));
    const topics = await page.locator('#sections .topic-list .card-title').allTextContents();
    assert.deepEqual(topics.slice(0, 4), ['All about printing', 'All about storage', 'All about display', 'All about network']);
    const pages = await page.locator('#sections .page-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(pages, ['all-fixes/1.html']);
    await page.goto(fileUrl(large, 'all-fixes/1.html'));
    assert.equal(await page.locator('.section-list > li').count(), 61);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('404 offers the filter, the folders and the escalation section', async () => {
    const { page, context } = await open(large, '404.html', VIEWPORTS.phone);
    assert.equal(await page.locator('main a[href="index.html#symptoms"]').count(), 1);
    assert.equal(await page.locator('main .topic-list a').count(), 8);
    assert.equal(await page.locator('main .escalation a').getAttribute('href'), 'contact.html');
    await context.close();
  });

  test('without JavaScript the large guide reaches every section in two clicks from home', async () => {
    const { page, context } = await open(large, 'index.html', VIEWPORTS.phone, { javaScriptEnabled: false });
    const reached = await reachedInTwoClicks(page);
    const sections = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(path.join(largeGuide, d), { withFileTypes: true })) {
        const rel = path.posix.join(d, e.name);
        if (e.isDirectory()) walk(rel);
        else if (e.name.endsWith('.md') && e.name !== 'index.md') sections.push(rel.replace(/\.md$/, '.html'));
      }
    };
    walk('');
    assert.equal(sections.length, 245);
    const missing = sections.filter((s) => ![...reached].some((p) => p.endsWith('/' + s)));
    assert.deepEqual(missing, []);
    await context.close();
  });

  test('axe-core: zero violations on the home page with ticks, a folder page, an all-fixes page, a section with On this page, 404', async () => {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      for (const rel of ['index.html?symptoms=sym-1,ghost', 'network/index.html', 'all-fixes/1.html', 'network/advanced/fix-3.html', '404.html']) {
        const { page, context } = await open(large, rel, viewport);
        if (rel.startsWith('index')) await page.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy'));
        const violations = await runAxe(page);
        assert.deepEqual(violations, [], `${rel} at ${name}:\n${formatAxe(violations)}`);
        await context.close();
      }
    }
    const { page, context } = await open(bundled, 'icloud/index.html', VIEWPORTS.phone);
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatAxe(violations));
    await context.close();
  });

  test('vnu: every page of the large guide and the bundled guide has zero errors', () => {
    for (const dir of [large, bundled]) {
      const messages = runVnu(dir);
      assert.deepEqual(messages, [], formatVnu(messages, dir));
    }
  });
});
