// Printable checklists, the combined checklist and print.html, printed to PDF
// in headless Chromium and read back with poppler (pdfinfo / pdftotext).
//
// For every checklist of the bundled guide and the fixture guides, on A4 and
// US Letter: page count, every step title in order, no step split across
// pages, no navigation/search/button text on paper, the longest settings
// path present in full, black on white at >= 11pt. Then tick memory, reset,
// "print with my ticks", the combined checklist's ranking and deduplication,
// and print.html's contents and page breaks.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  buildGuide,
  collectNetwork,
  fileUrl,
  fixturesDir,
  formatAxe,
  launch,
  listFiles,
  pdfPages,
  pdfText,
  printPdf,
  repoRoot,
  runAxe,
  tmpDir,
} from './harness.mjs';

const GUIDES = [
  { name: 'guide', dir: path.join(repoRoot, 'guide') },
  { name: 'router', dir: path.join(fixturesDir, 'router') },
  { name: 'multilingual', dir: path.join(fixturesDir, 'multilingual') },
  { name: 'hostile', dir: path.join(fixturesDir, 'hostile') },
  { name: 'minimal', dir: path.join(fixturesDir, 'minimal') },
];

const FORMATS = [
  ['A4', /\(A4\)|595(\.\d+)? x 841(\.\d+)?/],
  ['Letter', /\(letter\)|612(\.\d+)? x 792(\.\d+)?/i],
];

// Text that belongs to the screen only. pdftotext output is compared with
// letters and digits only, since it wraps lines and may drop punctuation.
const SCREEN_ONLY = ['Skip to content', 'Print with my ticks', 'Reset ticks', 'Open the full section', 'Settings map', 'All fixes'];

const flat = (s) => s.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function open(url, { width = 1000, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(url);
  return { page, context, errors, close: () => context.close() };
}

/** What the checklist page says it holds, read from the DOM. */
async function checklistFacts(page) {
  return page.evaluate(() => {
    const steps = [...document.querySelectorAll('.check-step:not(.is-repeat)')].map((li) => {
      const body = li.querySelector('.check-body');
      const title = body.querySelector('.step-title')?.textContent ?? '';
      // The code language label sits at the right of its block: pdftotext reads it out of DOM order.
      const copy = body.cloneNode(true);
      copy.querySelectorAll('.code-lang, .visually-hidden').forEach((e) => e.remove());
      const text = copy.textContent.replace(/\s+/g, ' ').trim();
      return { id: li.id, title, text };
    });
    const crumbs = [...document.querySelectorAll('.settings-path')].map((a) => a.textContent.replace(/\s+/g, ' ').trim());
    const longest = crumbs.reduce((a, b) => (b.length > a.length ? b : a), '');
    const screenOnly = [...document.querySelectorAll('.site-nav a, button, .site-header label, .skip-link')]
      .map((e) => e.textContent.replace(/\s+/g, ' ').trim())
      .filter((t) => t.split(' ').length >= 2);
    const codeLabels = [...new Set([...document.querySelectorAll('.check-body .code-lang')].map((e) => e.textContent.trim()))];
    return { steps, longest, screenOnly, codeLabels, h1: document.querySelector('h1').textContent.trim() };
  });
}

/** Index in `hay` after `needle`, searching from `from`; -1 when absent. */
function findFrom(hay, needle, from) {
  const i = hay.indexOf(needle, from);
  return i < 0 ? -1 : i + needle.length;
}

/** Checks one printed checklist; returns the page count. */
function checkPdf(file, facts, format, size, label) {
  const info = pdfPages(file);
  assert.match(info.pageSize, size, `${label} ${format}: page size ${info.pageSize}`);
  const text = pdfText(file);
  const all = flat(text);
  // Code labels are printed beside their block's first line: leave them out
  // so a step's last words read as in the page.
  const unlabel = (p) => facts.codeLabels.reduce((acc, l) => acc.split(flat(l)).join(''), p);
  const pages = text.split('\f').map(flat).map(unlabel);

  assert.ok(all.includes(flat(facts.h1)), `${label} ${format}: title missing`);
  // Every step title (or the step's opening words) appears, in order.
  let at = 0;
  for (const step of facts.steps) {
    const key = flat(step.title || step.text).slice(0, 40);
    if (!key) continue;
    const next = findFrom(all, key, at);
    assert.ok(next >= 0, `${label} ${format}: step ${JSON.stringify(step.title || step.text)} missing or out of order`);
    at = next;
  }
  // No step is split across pages: its start and its end are on one page.
  for (const step of facts.steps) {
    const whole = flat(step.text);
    if (!whole) continue;
    const head = whole.slice(0, 24);
    const tail = whole.slice(-24);
    const page = pages.findIndex((p) => p.includes(head));
    assert.ok(page >= 0, `${label} ${format}: step start ${JSON.stringify(step.text.slice(0, 40))} not found`);
    assert.ok(pages[page].includes(tail), `${label} ${format}: step ${JSON.stringify(step.text.slice(0, 40))} is split across pages`);
  }
  for (const t of [...SCREEN_ONLY, ...facts.screenOnly]) {
    assert.ok(!all.includes(flat(t)), `${label} ${format}: screen-only text ${JSON.stringify(t)} printed`);
  }
  if (facts.longest) {
    assert.ok(all.includes(flat(facts.longest)), `${label} ${format}: longest settings path ${JSON.stringify(facts.longest)} cut`);
  }
  return info.pages;
}

/** Computed print styles that make a sheet readable. */
async function printStyles(page) {
  await page.emulateMedia({ media: 'print' });
  const s = await page.evaluate(() => {
    const css = (sel, prop) => {
      const e = document.querySelector(sel);
      return e ? getComputedStyle(e)[prop] : null;
    };
    const hidden = (sel) => [...document.querySelectorAll(sel)].every((e) => e.getClientRects().length === 0);
    return {
      color: css('.check-body', 'color'),
      bg: getComputedStyle(document.body).backgroundColor,
      fontPx: parseFloat(css('.check-body', 'fontSize')),
      navHidden: hidden('.site-header, .site-footer, button, .checklist-tools, input[type="search"]'),
      stepBreak: css('.check-step', 'breakInside'),
      headingBreak: css('h1', 'breakAfter'),
    };
  });
  await page.emulateMedia({ media: null });
  return s;
}

for (const g of GUIDES) {
  describe(`checklists: ${g.name}`, () => {
    let out;
    let checklists;
    before(() => {
      out = buildGuide(g.dir);
      checklists = listFiles(path.join(out, 'checklists'), (p) => p.endsWith('.html'))
        .filter((p) => p !== 'combined.html')
        .map((p) => `checklists/${p}`);
    });

    test('every section with steps has a checklist, linked from its page', () => {
      const sections = listFiles(out, (p) => p.endsWith('.html')).filter(
        (p) => !/^(checklists|symptoms)\//.test(p) && !['index.html', 'settings.html', 'print.html', '404.html'].includes(p),
      );
      for (const rel of sections) {
        const html = fs.readFileSync(path.join(out, rel), 'utf8');
        const hasSteps = html.includes('<li class="step"');
        assert.equal(fs.existsSync(path.join(out, 'checklists', rel)), hasSteps, `${rel}: checklist exists iff it has steps`);
        if (hasSteps) assert.match(html, /<a href="[^"]*">Printable checklist<\/a>/, `${rel}: no link to its checklist`);
      }
    });

    test('each checklist prints cleanly on A4 and US Letter', async () => {
      const dir = tmpDir('fixbook-checklist-pdf-');
      const base = fs.readFileSync(path.join(g.dir, 'guide.toml'), 'utf8').match(/^base_url\s*=\s*"([^"]*)"/m)?.[1];
      for (const rel of checklists) {
        const r = await open(fileUrl(out, rel));
        try {
          const facts = await checklistFacts(r.page);
          assert.ok(facts.steps.length > 0, `${rel}: no steps`);
          const style = await printStyles(r.page);
          assert.equal(style.color, 'rgb(0, 0, 0)', `${rel}: print text is not black`);
          assert.match(style.bg, /rgb\(255, 255, 255\)|rgba\(0, 0, 0, 0\)/, `${rel}: print background is not white`);
          assert.ok(style.fontPx >= (11 * 96) / 72 - 0.01, `${rel}: print body ${style.fontPx}px is below 11pt`);
          assert.ok(style.navHidden, `${rel}: navigation, search or buttons visible in print`);
          assert.equal(style.stepBreak, 'avoid', `${rel}: steps may split across pages`);
          assert.equal(style.headingBreak, 'avoid', `${rel}: heading may be left alone at a page bottom`);
          const short = facts.steps.length <= 8 && facts.steps.every((s) => s.text.length <= 200);
          for (const [format, size] of FORMATS) {
            const file = await printPdf(r.page, path.join(dir, `${rel.replace(/[^\w.-]+/g, '_')}-${format}.pdf`), { format });
            const pages = checkPdf(file, facts, format, size, rel);
            if (short) assert.equal(pages, 1, `${rel} ${format}: ${facts.steps.length} short steps take ${pages} pages`);
            if (base) {
              const text = flat(pdfText(file));
              assert.ok(text.includes(flat(base)), `${rel} ${format}: the page URL is not printed`);
            }
          }
          if (base) {
            const qr = await r.page.evaluate(() => document.querySelector('svg.qr')?.getAttribute('aria-label'));
            assert.ok(qr, `${rel}: base_url is set but there is no QR code`);
          } else {
            assert.equal(await r.page.locator('svg.qr').count(), 0, `${rel}: QR code without a base_url`);
          }
          assert.deepEqual(r.errors, [], `${rel}: script errors or dialogs`);
        } finally {
          await r.close();
        }
      }
    });
  });
}

describe('checklists: the bundled guide', () => {
  let out;
  before(() => {
    out = buildGuide(path.join(repoRoot, 'guide'));
  });

  test('checklist pages and the combined checklist have no axe violations', async () => {
    for (const rel of ['checklists/start/quick-checks.html', 'checklists/combined.html?symptoms=back-up-now-fails,stuck-on-backing-up', 'checklists/combined.html']) {
      const [file, query] = rel.split('?');
      const r = await open(fileUrl(out, file) + (query ? `?${query}` : ''));
      try {
        if (query) await r.page.waitForSelector('.check-group');
        const violations = await runAxe(r.page);
        assert.equal(violations.length, 0, `${rel}:\n${formatAxe(violations)}`);
      } finally {
        await r.close();
      }
    }
  });

  test('every 5-step checklist fits one page on A4 and Letter', async () => {
    const dir = tmpDir('fixbook-five-');
    let fives = 0;
    for (const rel of listFiles(path.join(out, 'checklists'), (p) => p.endsWith('.html'))) {
      if (rel === 'combined.html') continue;
      const r = await open(fileUrl(out, `checklists/${rel}`));
      try {
        const n = await r.page.locator('.check-step').count();
        if (n !== 5) continue;
        fives += 1;
        for (const [format] of FORMATS) {
          const file = await printPdf(r.page, path.join(dir, `${fives}-${format}.pdf`), { format });
          assert.equal(pdfPages(file).pages, 1, `${rel} ${format}: 5 steps do not fit one page`);
        }
      } finally {
        await r.close();
      }
    }
    assert.ok(fives >= 3, `expected several 5-step sections in the bundled guide, found ${fives}`);
  });

  test('ticks are remembered per page, reset clears them, paper shows empty boxes unless asked', async () => {
    const a = 'checklists/start/quick-checks.html';
    const b = 'checklists/stuck/slow-or-stuck.html';
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(fileUrl(out, a));
      await page.locator('.tick-label').nth(1).click();
      await page.locator('.tick-label').nth(3).click();
      assert.equal(await page.locator('#tick-2').isChecked(), true);
      await page.waitForFunction(() => document.querySelector('[data-progress]').textContent === '2 of 5 steps done');

      await page.reload();
      assert.deepEqual(await page.locator('input.tick').evaluateAll((els) => els.map((e) => e.checked)), [false, true, false, true, false]);

      await page.goto(fileUrl(out, b));
      assert.equal(await page.locator('input.tick:checked').count(), 0, 'ticks leaked into another checklist');
      await page.goto(fileUrl(out, a));
      assert.equal(await page.locator('input.tick:checked').count(), 2);

      // Paper: the tick mark is drawn only in "print with my ticks" mode.
      const tickMark = () =>
        page.evaluate(() => getComputedStyle(document.querySelector('#tick-2 + .tick-label .box'), '::after').content);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await tickMark(), 'none', 'a plain print shows ticks');
      await page.emulateMedia({ media: null });
      assert.notEqual(await tickMark(), 'none', 'the screen does not show the tick');

      await page.evaluate(() => {
        window.__printedWithTicks = [];
        window.print = () => window.__printedWithTicks.push(document.documentElement.classList.contains('print-ticks'));
      });
      await page.getByRole('button', { name: 'Print with my ticks' }).click();
      await page.getByRole('button', { name: 'Print', exact: true }).click();
      assert.deepEqual(await page.evaluate(() => window.__printedWithTicks), [true, false]);
      await page.evaluate(() => document.documentElement.classList.add('print-ticks'));
      await page.emulateMedia({ media: 'print' });
      assert.notEqual(await tickMark(), 'none', '"print with my ticks" prints no tick');
      await page.emulateMedia({ media: null });
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('print-ticks')), false);

      await page.getByRole('button', { name: 'Reset ticks' }).click();
      assert.equal(await page.locator('input.tick:checked').count(), 0);
      await page.reload();
      assert.equal(await page.locator('input.tick:checked').count(), 0, 'reset was not remembered');

      // Keyboard: Space on the focused box ticks it.
      await page.locator('#tick-1').focus();
      await page.keyboard.press('Space');
      assert.equal(await page.locator('#tick-1').isChecked(), true);
    } finally {
      await context.close();
    }
  });

  test('the combined checklist for two symptoms prints their sections in rank order', async () => {
    const chosen = ['back-up-now-fails', 'last-backup-could-not-be-completed'];
    // Expected ranking from the sources: sections fixing more chosen symptoms
    // first, then reading order (weight, title, path).
    const sources = listFiles(path.join(repoRoot, 'guide'), (p) => p.endsWith('.md') && !p.endsWith('index.md'));
    const sections = sources
      .map((rel) => {
        const text = fs.readFileSync(path.join(repoRoot, 'guide', rel), 'utf8');
        const fm = text.match(/^---\n([\s\S]*?)\n---/)[1];
        const title = fm.match(/^title:\s*(.*)$/m)[1].trim();
        const weight = Number(fm.match(/^weight:\s*(-?\d+)/m)?.[1] ?? 0);
        const symptoms = (fm.match(/^symptoms:\s*\[([^\]]*)\]/m)?.[1] ?? '').split(',').map((s) => s.trim());
        const steps = (text.match(/^1\. /m) ? 1 : 0);
        return { rel, title, weight, matched: symptoms.filter((s) => chosen.includes(s)).length, steps };
      })
      .filter((s) => s.matched > 0 && s.steps > 0);
    sections.sort((a, b) => b.matched - a.matched || a.weight - b.weight || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) || (a.rel < b.rel ? -1 : 1));
    assert.ok(sections.length >= 2, 'the two symptoms should share several sections');

    const r = await open(fileUrl(out, 'checklists/combined.html') + `?symptoms=nope,${chosen.join(',')}`);
    const net = collectNetwork(r.page);
    try {
      await r.page.waitForSelector('.check-group');
      const groups = await r.page.locator('.check-group-title').allTextContents();
      assert.deepEqual(groups.map((t) => t.trim()), sections.map((s) => s.title), 'groups are not in rank order');
      const title = await r.page.locator('h1').textContent();
      assert.match(title, /^Checklist: /);
      const facts = await checklistFacts(r.page);
      const dir = tmpDir('fixbook-combined-');
      for (const [format, size] of FORMATS) {
        const file = await printPdf(r.page, path.join(dir, `combined-${format}.pdf`), { format });
        checkPdf(file, facts, format, size, 'combined');
        // Group headings in rank order on paper too.
        const all = flat(pdfText(file));
        let at = 0;
        for (const s of sections) {
          const next = findFrom(all, flat(s.title), at);
          assert.ok(next >= 0, `combined ${format}: section ${s.title} missing or out of order`);
          at = next;
        }
      }
      assert.deepEqual(net.external(), [], 'the combined checklist made network requests');
      assert.deepEqual(r.errors, []);
    } finally {
      await r.close();
    }
  });

  test('a symptom page links to the combined checklist of its fixes, in the same order', async () => {
    const symptoms = listFiles(path.join(out, 'symptoms'), (p) => p.endsWith('.html'));
    let linked = 0;
    for (const rel of symptoms) {
      const r = await open(fileUrl(out, `symptoms/${rel}`));
      try {
        const cards = await r.page.evaluate(() =>
          [...document.querySelectorAll('.section-list .card')]
            .filter((c) => c.querySelector('.meta'))
            .map((c) => c.querySelector('.card-title').textContent.trim()),
        );
        const link = r.page.getByRole('link', { name: 'Printable checklist of these fixes' });
        assert.equal(await link.count(), cards.length ? 1 : 0, `${rel}: checklist link iff a fix has steps`);
        if (!cards.length) continue;
        linked += 1;
        await link.click();
        await r.page.waitForSelector('.check-group');
        const groups = (await r.page.locator('.check-group-title').allTextContents()).map((t) => t.trim());
        assert.deepEqual(groups, cards, `${rel}: combined checklist order differs from the symptom page`);
        assert.deepEqual(r.errors, []);
      } finally {
        await r.close();
      }
    }
    assert.ok(linked > 0);
  });

  test('print.html: contents, every section on a new page, links leaving the page shown as text', async () => {
    const r = await open(fileUrl(out, 'print.html'));
    try {
      const titles = await r.page.locator('.print-section > h2').allTextContents();
      const toc = await r.page.locator('.toc li').allTextContents();
      assert.deepEqual(toc, titles, 'contents does not list every section');
      const external = await r.page.evaluate(() =>
        [...document.querySelectorAll('.print-section a[href^="http"]')].map((a) => a.getAttribute('href')),
      );
      const dir = tmpDir('fixbook-print-');
      for (const [format] of FORMATS) {
        const file = await printPdf(r.page, path.join(dir, `print-${format}.pdf`), { format });
        const pages = pdfText(file).split('\f').map((p) => p.replace(/\s+/g, ' ').trim());
        for (const t of titles) {
          // A section's title opens a page.
          assert.ok(
            // (after its number: sections are numbered to match the contents)
            pages.some((p) => flat(p.slice(0, t.length + 40)).replace(/^\d+/, '').startsWith(flat(t))),
            `${format}: section ${JSON.stringify(t)} does not start a new page`,
          );
        }
        const all = flat(pages.join(' '));
        for (const href of external) assert.ok(all.includes(flat(href)), `${format}: link ${href} not shown as text`);
        for (const t of SCREEN_ONLY) assert.ok(!all.includes(flat(t)), `${format}: ${t} printed`);
      }
    } finally {
      await r.close();
    }
  });
});

describe('checklists: combined, steps shared between sections', () => {
  let out;
  before(() => {
    const guide = tmpDir('fixbook-shared-steps-');
    fs.writeFileSync(path.join(guide, 'guide.toml'), 'title = "Shared steps"\nbase_url = "https://help.example.org/shared/"\n');
    fs.writeFileSync(
      path.join(guide, 'symptoms.yml'),
      'symptoms:\n  - id: slow\n    label: It is slow\n  - id: offline\n    label: It is offline\n',
    );
    fs.writeFileSync(
      path.join(guide, 'a.md'),
      '---\ntitle: Alpha fix\nweight: 2\nsymptoms: [slow]\n---\n1. **Restart the box** — Hold the power button for ten seconds.\n2. **Alpha only** — Check the alpha light against the [maker’s manual](https://maker.example.com/manual?model=a&lang=en) or [the beta fix](b.md).\n',
    );
    fs.writeFileSync(
      path.join(guide, 'b.md'),
      '---\ntitle: Beta fix\nweight: 1\nsymptoms: [offline]\n---\n1. **Beta only** — Check the beta cable.\n2. **Restart the box** — Hold the power button for ten seconds.\n',
    );
    fs.writeFileSync(
      path.join(guide, 'c.md'),
      '---\ntitle: Gamma fix\nweight: 3\nsymptoms: [slow, offline]\n---\n1. **Gamma only** — Check the gamma switch.\n',
    );
    out = buildGuide(guide);
  });

  test('ranks by symptoms fixed then reading order, and lists a shared step once', async () => {
    const r = await open(fileUrl(out, 'checklists/combined.html') + '?symptoms=slow,offline');
    try {
      await r.page.waitForSelector('.check-group');
      const groups = (await r.page.locator('.check-group-title').allTextContents()).map((t) => t.trim());
      assert.deepEqual(groups, ['Gamma fix', 'Beta fix', 'Alpha fix']);
      const steps = await r.page.locator('.check-step:not(.is-repeat) .step-title').allTextContents();
      assert.deepEqual(steps, ['Gamma only', 'Beta only', 'Restart the box', 'Alpha only']);
      const repeats = await r.page.locator('.check-step.is-repeat').allTextContents();
      assert.equal(repeats.length, 1);
      assert.match(repeats[0], /Restart the box.*same as step 2 of “Beta fix”/);
      assert.equal(await r.page.locator('.check-step.is-repeat input').count(), 0, 'a repeated step has its own box');
      const pdf = await printPdf(r.page, path.join(tmpDir('fixbook-shared-'), 'c.pdf'), { format: 'A4' });
      assert.equal(pdfPages(pdf).pages, 1);
      const text = flat(pdfText(pdf));
      assert.equal(text.split(flat('Hold the power button for ten seconds')).length - 1, 1, 'the shared step is printed twice');
      // Ticks on the combined page are kept per symptom set.
      await r.page.locator('.tick-label').first().click();
      await r.page.goto(fileUrl(out, 'checklists/combined.html') + '?symptoms=offline,slow');
      await r.page.waitForSelector('.check-group');
      assert.equal(await r.page.locator('#tick-1').isChecked(), true, 'same symptoms in another order lost the ticks');
      await r.page.goto(fileUrl(out, 'checklists/combined.html') + '?symptoms=slow');
      await r.page.waitForSelector('.check-group');
      assert.equal(await r.page.locator('input.tick:checked').count(), 0, 'ticks leaked into another symptom set');
      assert.deepEqual(r.errors, []);
    } finally {
      await r.close();
    }
  });

  test('on paper, links that leave the page show where they lead', async () => {
    const external = 'https://maker.example.com/manual?model=a&lang=en';
    const dir = tmpDir('fixbook-links-');
    for (const [rel, expected] of [
      ['checklists/a.html', [external, 'https://help.example.org/shared/b.html', 'https://help.example.org/shared/a.html']],
      ['print.html', [external]],
    ]) {
      const r = await open(fileUrl(out, rel));
      try {
        const file = await printPdf(r.page, path.join(dir, `${rel.replace(/\W+/g, '_')}.pdf`), { format: 'A4' });
        const text = flat(pdfText(file));
        for (const url of expected) assert.ok(text.includes(flat(url)), `${rel}: ${url} is not printed`);
        // On screen the URLs are not repeated after the links.
        const shown = await r.page.evaluate(() => document.body.innerText);
        assert.ok(!shown.includes(`(${external})`), `${rel}: URL shown on screen`);
      } finally {
        await r.close();
      }
    }
  });

  test('with no known symptom the page offers a chooser instead of an empty sheet', async () => {
    const r = await open(fileUrl(out, 'checklists/combined.html') + '?symptoms=nope');
    try {
      assert.equal(await r.page.locator('.check-group').count(), 0);
      assert.equal(await r.page.locator('[data-combined-chooser]').isVisible(), true);
      await r.page.getByLabel('It is offline').check();
      await r.page.getByRole('button', { name: 'Make the checklist' }).click();
      await r.page.waitForSelector('.check-group');
      assert.deepEqual((await r.page.locator('.check-group-title').allTextContents()).map((t) => t.trim()), ['Beta fix', 'Gamma fix']);
      assert.deepEqual(r.errors, []);
    } finally {
      await r.close();
    }
  });
});
