// Troubleshooting-native pages in headless Chromium, on the bundled guide:
// step links appear on hover and keyboard focus and lead to their step; a
// branch to a step prints as "→ step N" on paper (read back from the PDF);
// every section page ends with "Still not fixed?" whose links work; and the
// HowTo JSON-LD parses in the page with step URLs that land on real steps.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { buildGuide, fileUrl, launch, listFiles, pdfText, printPdf, repoRoot, tmpDir } from './harness.mjs';

describe('procedures on the bundled guide', () => {
  let out;
  let browser;
  before(async () => {
    out = buildGuide(path.join(repoRoot, 'guide'));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function open(rel) {
    const page = await browser.newPage();
    await page.goto(fileUrl(out, rel));
    return page;
  }

  test('a step link is hidden until the step is hovered or the link is focused, and leads to its step', async () => {
    const page = await open('start/quick-checks.html');
    try {
      const link = page.locator('li.step .step-link').first();
      const opacity = () => link.evaluate((e) => getComputedStyle(e).opacity);
      assert.equal(await opacity(), '0');
      await page.locator('li.step').first().hover();
      await page.waitForTimeout(250); // transitions
      assert.equal(await opacity(), '1');
      await page.mouse.move(0, 0);
      await link.focus();
      await page.waitForTimeout(250);
      assert.equal(await opacity(), '1');
      const id = await page.locator('li.step').first().getAttribute('id');
      await page.keyboard.press('Enter');
      assert.equal(new URL(page.url()).hash, `#${id}`);
      assert.equal(await page.evaluate(() => document.querySelector(':target')?.classList.contains('step')), true);
    } finally {
      await page.close();
    }
  });

  test('on paper a branch to a step says "→ step N" unless its text already names the step', async () => {
    const dir = tmpDir('fixbook-pdf-');
    const page = await open('icloud/account.html');
    let text;
    try {
      text = pdfText(await printPdf(page, path.join(dir, 'account.pdf'))).replace(/\s+/g, ' ');
    } finally {
      await page.close();
    }
    assert.match(text, /quick checks → step 5/);
    const quick = await open('start/quick-checks.html');
    try {
      const paper = pdfText(await printPdf(quick, path.join(dir, 'quick.pdf'))).replace(/\s+/g, ' ');
      assert.match(paper, /repeat step 5\./, 'named step link prints as written');
      assert.doesNotMatch(paper, /step 5 → step 5/);
      assert.match(paper, /work profile → step 4/, 'cross-page branch gets its step number');
    } finally {
      await quick.close();
    }
  });

  test('every section page ends with "Still not fixed?" whose links open real pages', async () => {
    const guideDir = path.join(repoRoot, 'guide');
    const sections = listFiles(guideDir, (p) => p.endsWith('.md') && path.basename(p) !== 'index.md').map((p) => p.replace(/\.md$/, '.html'));
    assert.ok(sections.length >= 10, `found ${sections.length} section pages`);
    for (const rel of sections) {
      const page = await open(rel);
      try {
        const block = page.locator('section.still-not-fixed');
        assert.equal(await block.count(), 1, rel);
        assert.ok(await block.isVisible(), `${rel}: visible`);
        const hrefs = await block.locator('a').evaluateAll((as) => as.map((a) => a.href));
        assert.ok(hrefs.length >= 1, `${rel}: no dead end`);
        const isEscalation = (await page.locator('h1').textContent()).includes('Get help from Apple');
        const escalation = await block.locator('.escalation a').count();
        assert.equal(escalation, isEscalation ? 0 : 1, `${rel}: escalation link`);
        for (const href of hrefs) {
          const target = await browser.newPage();
          try {
            const response = await target.goto(href);
            assert.ok(response === null || response.ok(), `${rel} → ${href}`);
            assert.ok((await target.locator('h1').count()) === 1, `${rel} → ${href} has a heading`);
          } finally {
            await target.close();
          }
        }
      } finally {
        await page.close();
      }
    }
  });

  test('the HowTo JSON-LD parses in the page and each step URL lands on that step', async () => {
    const page = await open('computer/mac-finder.html');
    try {
      const result = await page.evaluate(() => {
        const data = JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent);
        return {
          type: data['@type'],
          name: data.name,
          steps: data.step.map((s) => {
            const url = new URL(s.url, location.href);
            const el = document.getElementById(decodeURIComponent(url.hash.slice(1)));
            return { type: s['@type'], name: s.name, samePage: url.pathname === location.pathname, step: el?.classList.contains('step') ?? false, title: el?.querySelector('.step-title')?.textContent ?? null };
          }),
        };
      });
      assert.equal(result.type, 'HowTo');
      assert.equal(result.name, await page.locator('h1').textContent());
      assert.ok(result.steps.length >= 3);
      for (const s of result.steps) {
        assert.equal(s.type, 'HowToStep');
        assert.ok(s.samePage && s.step, `${s.name} points at its step`);
        assert.equal(s.title, s.name);
      }
    } finally {
      await page.close();
    }
  });
});
