// A large symptom catalog on the home page (issue 14, item 6), in headless
// Chromium: past index::filter::ROWS_IN_PAGE (200) symptoms the home page
// carries the "Most common" rows only and filter.js builds the others from
// the filter data. On a generated guide of 260 symptoms (11 groups, some
// without a group, one nothing fixes, hostile labels) and 140 sections:
// the page's own bytes, every row built once with the template's markup,
// ticks / copies / `?symptoms=` / Find a symptom on built rows, nothing moves
// under the finger, labels stay text; without JavaScript the home page links
// to symptoms/index.html, which lists every symptom, and every section is
// still two clicks from home; axe on both pages, vnu on the whole site.
//
// Run: cargo build && node --test tests/browser/catalog.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { buildGuide, fileUrl, formatAxe, formatVnu, horizontalOverflow, launch, reachedInTwoClicks, runAxe, runVnu, screenshot, tmpDir } from './harness.mjs';

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
const SYMPTOMS = 260;
const SECTIONS = 140;
const HOSTILE = 'Shows <img src=x onerror="window.pwned=1"> & </script> "quoted"';
const HOSTILE_AT = 251; // fixed by few sections: not among the "Most common"
const GROUPS = ['Connection', 'Speed', 'Devices', 'Sound', 'Picture', 'Accounts', 'Updates', 'Printing', 'Storage', 'Power', 'Mail'];

/** Symptom i: its id, label and group (every 13th has none: "Other symptoms"). */
function symptom(i) {
  const group = i % 13 === 12 ? null : GROUPS[i % GROUPS.length];
  const label = i === HOSTILE_AT ? HOSTILE : `${group ?? 'Odd'} trouble number ${i} appears`;
  return { id: `sym-${i}`, label, group };
}

function writeGuide() {
  const dir = path.join(tmpDir('fixbook-catalog-'), 'guide');
  const put = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('guide.toml', 'title = "A guide with a large catalog"\n');
  const yaml = (s) => JSON.stringify(s); // a JSON string is a YAML string
  let catalog = 'symptoms:\n';
  for (let i = 0; i < SYMPTOMS; i++) {
    const s = symptom(i);
    catalog += `  - id: ${s.id}\n    label: ${yaml(s.label)}\n` + (s.group ? `    group: ${s.group}\n` : '') + (i === 3 ? '    aliases: [blinking lights]\n' : '');
  }
  put('symptoms.yml', catalog);
  put('index.md', 'Start by ticking what you see.\n');
  // Section k fixes symptoms k, 2k+1 and 3k+2 (mod SYMPTOMS - 1): the last
  // symptom is fixed by nothing; the low ones by many (the "Most common").
  for (let k = 0; k < SECTIONS; k++) {
    const syms = [k % 20, (2 * k + 1) % (SYMPTOMS - 1), (3 * k + 2) % (SYMPTOMS - 1)].map((n) => `sym-${n}`);
    const folder = ['net', 'print', 'power'][k % 3];
    const rel = k < 100 ? `${folder}/fix-${k}.md` : `top-${k}.md`;
    put(rel, `---\ntitle: "Fix number ${k}"\nsummary: "What to do for fix ${k}."\nweight: ${k}\nsymptoms: [${[...new Set(syms)].join(', ')}]\n---\n\n1. **Open the settings** — and look.\n2. **Change the value** — then wait.\n`);
  }
  const unfixed = `sym-${SYMPTOMS - 1}`;
  return { dir, unfixed };
}

let browser;
let site;
let guide;

before(async () => {
  guide = writeGuide();
  site = buildGuide(guide.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function open(rel, viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  const [file, query] = rel.split('?');
  await page.goto(fileUrl(site, file) + (query ? `?${query}` : ''));
  return { page, context, problems };
}

const settled = (page) => page.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy'));

describe('large catalog: the home page holds the commonest rows, filter.js builds the rest', () => {
  test('the page itself: 8 tick boxes, 8 symptom links and a link to symptoms/index.html', () => {
    const html = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
    assert.equal((html.match(/type="checkbox"/g) || []).length, 8, 'only the "Most common" rows');
    assert.equal((html.match(/href="symptoms\/sym-/g) || []).length, 8, 'only the "Most common" links');
    assert.match(html, /<a href="symptoms\/index.html">All 260 symptoms, by group<\/a>/);
    assert.ok(!html.includes('onerror'), 'no hostile label on the page (it is not among the commonest)');
    const data = fs.readFileSync(path.join(site, '_fixbook/data/filter.js'), 'utf8');
    assert.ok(!data.includes('<img') && !data.includes('</script'), 'labels are script-safe in the data');
  });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`${name}: every symptom has one row with the template's markup; a tick moves nothing and replaces the address`, async () => {
      const { page, context, problems } = await open('index.html', viewport);
      const rows = await page.$$eval('#symptom-filter input[name=symptoms]', (els) => els.map((e) => e.value));
      assert.equal(rows.length, SYMPTOMS);
      assert.equal(new Set(rows).size, SYMPTOMS, 'each symptom once');
      const folds = await page.locator('#symptom-rows details.symptom-fold').evaluateAll((ds) =>
        ds.map((d) => ({ summary: d.querySelector('summary').textContent, open: d.open, legend: d.querySelector('legend').className })));
      assert.deepEqual(folds.map((f) => f.summary.replace(/ \d+$/, '')), [...GROUPS, 'Other symptoms']);
      assert.ok(folds.every((f) => !f.open && f.legend === 'visually-hidden'));
      const other = Array.from({ length: SYMPTOMS }, (_, i) => symptom(i)).filter((s) => !s.group).length;
      assert.equal(folds.at(-1).summary, `Other symptoms ${other}`);
      // A built row is what the template writes for a row.
      const row = await page.locator('#sym_sym-1').evaluate((e) => e.parentNode.outerHTML);
      assert.match(row, /^<li><input type="checkbox" id="sym_sym-1" name="symptoms" value="sym-1" aria-describedby="sym_sym-1_n"><label for="sym_sym-1">Speed trouble number 1 appears<\/label> <span class="count ?" id="sym_sym-1_n">\d+ fix(es)?<\/span><\/li>$/);
      // The hostile label is text.
      assert.equal(await page.locator(`label[for="sym_sym-${HOSTILE_AT}"]`).textContent(), HOSTILE);
      assert.equal(await page.locator('#symptom-filter img').count(), 0);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      // The filter is on the first screen.
      const first = await page.locator('.symptom-popular input').first().boundingBox();
      assert.ok(first.y + first.height <= viewport.height, `first tick box at ${first.y}`);
      await screenshot(page, `catalog-home-${name}`);

      // Open a group, tick a built row: nothing moves, the address holds it, no history entry.
      const fold = page.locator('#symptom-rows details.symptom-fold').nth(1);
      await fold.locator('summary').click();
      const tops = () => page.$$eval('#symptom-filter input[type=checkbox]', (els) =>
        els.filter((e) => e.offsetParent !== null).map((e) => [e.id, e.getBoundingClientRect().top]));
      const target = fold.locator('li').nth(2);
      const value = await target.locator('input').getAttribute('value');
      await target.scrollIntoViewIfNeeded();
      const before = new Map(await tops());
      const length = await page.evaluate(() => history.length);
      await target.locator('label').click();
      await settled(page);
      await page.waitForFunction((v) => location.search === `?symptoms=${v}`, value);
      const moved = (await tops()).map(([id, top]) => Math.abs(top - before.get(id)));
      assert.equal(Math.max(...moved), 0, 'rows moved under the finger');
      assert.equal(await page.evaluate(() => history.length), length);
      assert.match((await page.locator('#filter-bar').textContent()).replace(/\s+/g, ' ').trim(), /^\d+ fix(es)? for 1 symptom · Show$/);
      const counts = await page.locator('#symptom-rows .count[id]').allTextContents();
      assert.equal(counts.length, SYMPTOMS + 8, 'a count per row and per "Most common" copy');
      assert.ok(counts.every((c) => /^(\d+ fix(es)?|\d+ of these|\+\d+ more|no fixes yet)$/.test(c)), counts.slice(0, 20).join(' | '));
      assert.equal(await page.locator(`#sym_${guide.unfixed}_n`).textContent(), 'no fixes yet');
      const overflow = await horizontalOverflow(page);
      assert.ok(overflow.scrollWidth <= overflow.clientWidth, `horizontal overflow ${overflow.scrollWidth}`);
      await screenshot(page, `catalog-ticked-${name}`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test('a "Most common" copy ticks its built row; ?symptoms= ticks built rows on load; Clear unticks them', async () => {
    const { page, context, problems } = await open(`index.html?symptoms=sym-200,sym-${HOSTILE_AT},nope`, VIEWPORTS.phone);
    await settled(page);
    assert.equal(await page.locator('#sym_sym-200').isChecked(), true);
    assert.equal(await page.locator(`#sym_sym-${HOSTILE_AT}`).isChecked(), true);
    await page.waitForFunction((h) => location.search === `?symptoms=sym-200,sym-${h}`, HOSTILE_AT);
    assert.match(await page.locator('#filter-summary').textContent(), /2 symptoms/);
    const copy = page.locator('.symptom-popular input').first();
    const id = await copy.getAttribute('value');
    await copy.check();
    assert.equal(await page.locator(`#sym_${id}`).isChecked(), true, 'the copy ticks the built row');
    await page.waitForFunction(() => location.search.split(',').length === 3);
    await page.locator('#symptom-clear').click();
    assert.equal(await page.locator('#symptom-filter input:checked').count(), 0);
    await page.waitForFunction(() => location.search === '');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('Find a symptom narrows built rows (aliases too) and opens their groups', async () => {
    const { page, context } = await open('index.html', VIEWPORTS.phone);
    await page.locator('#symptom-find').fill('number 205');
    const visible = await page.locator('#symptom-filter .symptom-checks li:visible label').allTextContents();
    assert.deepEqual(visible, [symptom(205).label]);
    assert.equal(await page.locator('#symptom-rows details.symptom-fold[open]').count(), 1);
    await page.locator('#symptom-find').fill('blinking');
    assert.deepEqual(await page.locator('#symptom-filter .symptom-checks li:visible label').allTextContents(), [symptom(3).label]);
    await page.locator('#symptom-find').fill('');
    assert.equal(await page.locator('#symptom-rows details.symptom-fold[open]').count(), 0, 'the groups fold again');
    await context.close();
  });
});

describe('large catalog without JavaScript', () => {
  test('home → symptoms/index.html lists every symptom by group; every section is two clicks from home', async () => {
    const { page, context } = await open('index.html', VIEWPORTS.phone, { javaScriptEnabled: false });
    assert.equal(await page.locator('#symptom-links .symptom-list a').count(), 8);
    await page.locator('#symptom-links a', { hasText: 'All 260 symptoms, by group' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/symptoms/index.html'));
    assert.equal(await page.locator('h1').textContent(), 'All symptoms');
    const links = await page.locator('main .symptom-list a').evaluateAll((as) => as.map((a) => [a.textContent, new URL(a.href).pathname]));
    assert.equal(links.length, SYMPTOMS);
    for (let i = 0; i < SYMPTOMS; i++) {
      const s = symptom(i);
      const link = links.find(([, href]) => href.endsWith(`/symptoms/${s.id}.html`));
      assert.ok(link, `${s.id} is not listed`);
      assert.equal(link[0], s.label);
      assert.ok(fs.existsSync(link[1]), `${link[1]} does not exist`);
    }
    // The jump list leads to each group's heading.
    const jumps = await page.locator('nav[aria-label="Groups"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(jumps.length, GROUPS.length + 1);
    for (const j of jumps) assert.equal(await page.locator(`h2${j}`).count(), 1, `${j} leads nowhere`);
    const crumbs = await page.locator('nav[aria-label="Breadcrumb"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(crumbs, ['../index.html']);

    // Two clicks: home → a folder or all-fixes page → the section.
    await page.goto(fileUrl(site));
    const reached = await reachedInTwoClicks(page);
    const sections = [];
    for (let k = 0; k < SECTIONS; k++) sections.push(k < 100 ? `${['net', 'print', 'power'][k % 3]}/fix-${k}.html` : `top-${k}.html`);
    const missing = sections.filter((s) => ![...reached].some((p) => p.endsWith('/' + s)));
    assert.deepEqual(missing, []);
    await context.close();
  });

  test('axe-core: zero violations on the home page (ticked) and symptoms/index.html; vnu: zero errors on every page', async () => {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      for (const rel of [`index.html?symptoms=sym-1,sym-${HOSTILE_AT}`, 'symptoms/index.html']) {
        const { page, context } = await open(rel, viewport);
        if (rel.startsWith('index')) {
          await settled(page);
          await page.locator('#symptom-rows details.symptom-fold').first().locator('summary').click();
        }
        const violations = await runAxe(page);
        assert.deepEqual(violations, [], `${rel} at ${name}:\n${formatAxe(violations)}`);
        if (rel.startsWith('symptoms')) await screenshot(page, `catalog-symptom-index-${name}`);
        await context.close();
      }
    }
    const messages = runVnu(site);
    assert.deepEqual(messages, [], formatVnu(messages, site));
  });
});
