// The guided walk (guided.html, guided.js) in headless Chromium on a guide
// written here: sections in rank order with why each comes next, a step
// shared with an earlier section asked once, a branch link followed inside
// the walk, the escalation section at the end, the place kept over a reload,
// "Start over", the Copy text, the section page's and filter's links, axe and
// vnu, and phone and desktop screenshots (target/screenshots, for humans).
//
// Run: cargo build && node --test tests/browser/guided.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { buildGuide, fileUrl, formatAxe, formatVnu, launch, runAxe, runVnu, screenshot, tmpDir } from './harness.mjs';

let browser;
let out;
before(async () => {
  browser = await launch();
  const g = tmpDir('fixbook-walk-');
  const w = (p, text) => {
    fs.mkdirSync(path.dirname(path.join(g, p)), { recursive: true });
    fs.writeFileSync(path.join(g, p), text);
  };
  w('guide.toml', 'title = "Walk test"\n');
  w('symptoms.yml', 'symptoms:\n  - id: slow\n    label: It is slow\n  - id: offline\n    label: It is offline\n  - id: noisy\n    label: It beeps <loudly>\n');
  w('assets/light.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#1f5fbf"/></svg>\n');
  w('net/alpha.md', '---\ntitle: Alpha fix\nweight: 2\nsymptoms: [slow]\n---\n1. **Restart the box** — Hold the power button for ten seconds.\n2. **Check the light** — It should look like ![the light](../assets/light.svg). If the light never comes on, go to [step 4](#step-4).\n3. **Reset the network** — Open `Settings > Network > Reset`.\n4. **Call the maker** — See [the beta fix](../beta.md) first.\n');
  w('beta.md', '---\ntitle: Beta fix\nweight: 1\nsymptoms: [offline]\n---\n1. **Beta only** — Check the beta cable, then run:\n\n   ```sh\n   ping -c 3 192.168.1.1\n   ```\n2. **Restart the box** — Hold the power button for ten seconds.\n');
  w('gamma.md', '---\ntitle: Gamma fix\nweight: 3\nsymptoms: [slow, offline, noisy]\n---\n1. **Gamma only** — Check the gamma switch.\n');
  w('help.md', '---\ntitle: Get help from the maker\nsummary: Call support with what you tried.\nweight: 0\nescalation: true\nsymptoms: [offline]\n---\n1. **Copy what you tried** — Use the Copy button.\n2. **Call support** — Have your serial number ready.\n');
  out = buildGuide(g);
});
after(async () => {
  await browser?.close();
});

async function open(url, viewport = { width: 1000, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('[data-walk-step]:not([hidden]), [data-walk-end]:not([hidden])');
  return { page, context, errors };
}

async function here(page) {
  return page.evaluate(() => ({
    count: document.querySelector('[data-walk-count]').textContent,
    title: document.querySelector('#walk-step-title').textContent,
    why: document.querySelector('[data-walk-why]').textContent,
  }));
}

const walkUrl = () => fileUrl(out, 'guided.html') + '?symptoms=slow,offline';

test('sections in rank order, a shared step once, the escalation section at the end', async () => {
  const { page, context, errors } = await open(walkUrl());
  const seen = [];
  for (let i = 0; i < 20 && !(await page.locator('[data-walk-end]').isVisible()); i++) {
    const h = await here(page);
    seen.push(`${h.count} | ${h.title}`);
    if (i === 3) assert.match(h.why, /“Beta fix” did not fix it\. Next: “Alpha fix”, because it also fixes: It is slow\./);
    await page.getByRole('button', { name: 'Still not fixed', exact: true }).click();
    // Focus on the new step's heading, and the live region says where we are.
    if (!(await page.locator('[data-walk-end]').isVisible())) assert.equal(await page.evaluate(() => document.activeElement.id), 'walk-step-title');
  }
  assert.deepEqual(seen, [
    'Step 1 of 1 · Gamma fix | Gamma only',
    'Step 1 of 2 · Beta fix | Beta only',
    'Step 2 of 2 · Beta fix | Restart the box',
    // Alpha's step 1 is Beta's step 2 word for word: not asked again.
    'Step 2 of 4 · Alpha fix | Check the light',
    'Step 3 of 4 · Alpha fix | Reset the network',
    'Step 4 of 4 · Alpha fix | Call the maker',
  ]);
  assert.match(page.url(), /#walk-end$/);
  assert.equal(await page.locator('#walk-end-title').textContent(), 'Still not fixed? Get help');
  assert.equal(await page.locator('.walk-escalation-title').textContent(), 'Get help from the maker');
  await page.waitForSelector('[data-walk-escalation-steps] li');
  assert.match(await page.locator('[data-walk-escalation-steps]').innerText(), /Call support/);
  assert.equal(await page.locator('[data-walk-tried] li').count(), 6);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a branch link goes to its step; the place survives a reload; Start over clears it', async () => {
  const { page, context, errors } = await open(fileUrl(out, 'guided.html') + '?section=net/alpha');
  assert.equal((await here(page)).title, 'Restart the box');
  assert.equal(await page.locator('[data-walk-body] .step-title').count(), 0, 'the title is shown once, as the heading');
  await page.getByRole('button', { name: 'Still not fixed', exact: true }).click();
  assert.equal((await here(page)).title, 'Check the light');
  // The image is re-based onto this page and loads.
  assert.ok(await page.locator('[data-walk-body] img').evaluate((img) => img.complete && img.naturalWidth > 0));
  await page.locator('[data-walk-body] a', { hasText: 'step 4' }).click();
  assert.deepEqual(await here(page), { count: 'Step 4 of 4 · Alpha fix', title: 'Call the maker', why: '' });
  assert.match(page.url(), /#walk-1-4$/);
  await page.reload();
  await page.waitForSelector('[data-walk-step]:not([hidden])');
  assert.equal((await here(page)).title, 'Call the maker', 'a reload returns to the same step');
  // Opening the walk again without the fragment (the next day) returns there too.
  await page.goto(fileUrl(out, 'guided.html') + '?section=net/alpha');
  await page.waitForSelector('[data-walk-step]:not([hidden])');
  assert.equal((await here(page)).title, 'Call the maker');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  assert.equal((await here(page)).title, 'Check the light');
  await page.getByRole('button', { name: 'Start over' }).click();
  assert.equal((await here(page)).title, 'Restart the box');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fixbook-walk:')).length), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('This fixed it: the done screen names the step, Copy puts the summary on the clipboard', async () => {
  const { page, context, errors } = await open(fileUrl(out, 'guided.html') + '?symptoms=offline');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  await page.getByRole('button', { name: 'Skip', exact: true }).click();
  await page.getByRole('button', { name: 'This fixed it', exact: true }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'walk-end-title');
  assert.match(await page.locator('[data-walk-end-lede]').textContent(), /Fixed by step 2 of “Beta fix”: Restart the box\./);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-walk-copied]').textContent !== '');
  const text = await page.locator('[data-walk]').getAttribute('data-walk-copy-text');
  assert.equal(
    text,
    'What I tried — Walk test\nSymptoms: It is offline\n1. Beta fix, step 1: Beta only — skipped\n2. Beta fix, step 2: Restart the box — fixed it\nResult: fixed by step 2 of “Beta fix” (Restart the box).\n',
  );
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch((e) => 'unreadable: ' + e));
  if (!clip.startsWith('unreadable')) assert.equal(clip, text);
  // One sheet on paper.
  const pdf = await page.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('links to the walk: section page, filter, combined checklist', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(fileUrl(out, 'net/alpha.html'));
  assert.match(await page.getByRole('link', { name: 'Walk me through it' }).getAttribute('href'), /^\.\.\/guided\.html\?section=net\/alpha$/);
  await page.goto(fileUrl(out, 'checklists/combined.html') + '?symptoms=slow,offline');
  await page.waitForSelector('.check-group');
  assert.match(await page.getByRole('link', { name: 'Walk me through it' }).getAttribute('href'), /guided\.html\?symptoms=slow,offline$/);
  await page.goto(fileUrl(out, 'index.html'));
  await page.locator('#symptom-filter input[value=slow]').check();
  await page.waitForFunction(() => /symptoms=slow/.test(document.getElementById('filter-walk').href));
  await context.close();
});

test('axe 0, vnu 0, no layout shift between steps; phone and desktop screenshots', async () => {
  for (const [name, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 900 }],
  ]) {
    const { page, context } = await open(walkUrl(), viewport);
    const y = [];
    for (let i = 0; i < 3; i++) {
      y.push(await page.getByRole('button', { name: 'This fixed it' }).evaluate((b) => Math.round(b.getBoundingClientRect().top + window.scrollY)));
      const v = await runAxe(page);
      assert.equal(v.length, 0, formatAxe(v));
      await screenshot(page, `guided-${name}-${i + 1}`);
      await page.getByRole('button', { name: 'Still not fixed', exact: true }).click();
    }
    assert.equal(new Set(y).size, 1, `${name}: the buttons moved between steps: ${y}`);
    await page.getByRole('button', { name: 'This fixed it' }).click();
    const v = await runAxe(page);
    assert.equal(v.length, 0, formatAxe(v));
    await screenshot(page, `guided-${name}-done`);
    await context.close();
  }
  const messages = runVnu(out).filter((m) => /guided\.html/.test(m.url || ''));
  assert.equal(messages.length, 0, formatVnu(messages, out));
});

test('highlight.css only once a step with highlighted code is shown', async () => {
  // Files the page asked for, by name.
  const loaded = async (url, act) => {
    const { page, context } = await open(url);
    const names = new Set();
    page.on('request', (r) => names.add(path.basename(new URL(r.url()).pathname)));
    await page.reload();
    await page.waitForSelector('[data-walk-step]:not([hidden])');
    if (act) await act(page);
    const linked = await page.evaluate(() => !!document.querySelector('link[data-highlight-css]'));
    const coloured = await page.evaluate(() => {
      const token = document.querySelector('[data-walk-step] [class*="hl-"]');
      return token ? getComputedStyle(document.querySelector('[data-walk-step] pre')).backgroundColor : null;
    });
    await context.close();
    return { names, linked, coloured };
  };
  const plain = await loaded(fileUrl(out, 'guided.html') + '?section=gamma');
  assert.ok(!plain.names.has('highlight.css') && !plain.linked, [...plain.names].join(' '));
  // Beta's first step runs `ping` in a `sh` block.
  const code = await loaded(fileUrl(out, 'guided.html') + '?section=beta');
  assert.ok(code.names.has('highlight.css') && code.linked, [...code.names].join(' '));
  assert.ok(code.coloured && code.coloured !== 'rgba(0, 0, 0, 0)', `code block background: ${code.coloured}`);
  // Neither page fetched the search until the reader went to the box.
  assert.ok(!plain.names.has('search.js') && !plain.names.has('text.js'), [...plain.names].join(' '));
  // Pages built with code link it up front; pages without do not.
  assert.ok(fs.readFileSync(path.join(out, 'beta.html'), 'utf8').includes('_fixbook/highlight.css'));
  assert.ok(!fs.readFileSync(path.join(out, 'gamma.html'), 'utf8').includes('_fixbook/highlight.css'));
  assert.ok(fs.readFileSync(path.join(out, 'checklists/beta.html'), 'utf8').includes('_fixbook/highlight.css'));
});
