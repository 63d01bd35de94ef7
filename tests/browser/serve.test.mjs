// `fixbook serve` in a real Chromium: saving a file reloads the open page
// (keeping its scroll position), a broken file shows the error overlay over
// the last good page, and fixing it clears the overlay.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { fixbookBin, launch, tmpDir } from './harness.mjs';

let server;
let base;
let guide;
let browser;

before(async () => {
  const dir = tmpDir('fixbook-serve-');
  guide = path.join(dir, 'guide');
  const init = spawnSync(fixbookBin(), ['init', guide], { encoding: 'utf8' });
  assert.equal(init.status, 0, init.stderr);
  // A long section, so the page can be scrolled.
  const file = path.join(guide, 'restart-router.md');
  const filler = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} about why routers need a rest now and then.`).join('\n\n');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8') + '\n' + filler + '\n');
  server = spawn(fixbookBin(), ['serve', '--port', '0', guide], { env: { ...process.env, NO_COLOR: '1' } });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/[^/\s]+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('saving a section reloads the open page at the same scroll position', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  await page.goto(base + 'restart-router.html');
  await page.waitForFunction(() => document.querySelector('script[src="/__fixbook/live.js"]'));
  // Wait for the event stream to be open before editing.
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 1500));
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 1000, `page scrolls (${scrolled})`);
  const file = path.join(guide, 'restart-router.md');
  const text = fs.readFileSync(file, 'utf8');
  const reloaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(file, text.replace('title: Restart the router the right way', 'title: Power-cycle the router'));
  await reloaded;
  await page.waitForFunction(() => document.title.startsWith('Power-cycle the router'), null, { timeout: 15000 });
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, scrolled, { timeout: 5000 });
  await page.close();
});

test('an error shows the overlay over the last good page; fixing the file clears it', async () => {
  const page = await browser.newPage();
  await page.goto(base + 'wifi/interference.html');
  await page.waitForTimeout(300);
  const file = path.join(guide, 'wifi', 'interference.md');
  const good = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, good.replace('symptoms: [wifi-keeps-dropping]', 'symptoms: [wifi-keeps-droping, "<img src=x onerror=alert(1)>"]'));
  const overlay = page.locator('#fixbook-serve-overlay');
  await overlay.waitFor({ state: 'visible', timeout: 15000 });
  const shown = await overlay.innerText();
  assert.match(shown, /error\[unknown-symptom\]: wifi\/interference\.md:5:12: unknown symptom `wifi-keeps-droping`/);
  assert.match(shown, /did you mean `wifi-keeps-dropping`\?/);
  assert.match(shown, /<img src=x onerror=alert\(1\)>/, 'the hostile text is shown as text');
  assert.equal(await page.locator('#fixbook-serve-overlay img').count(), 0, 'and not run as HTML');
  const position = await overlay.evaluate((el) => getComputedStyle(el).position);
  assert.equal(position, 'fixed');
  assert.match(await page.title(), /^Move the router away from interference/, 'the last good page stays');
  fs.writeFileSync(file, good);
  await overlay.waitFor({ state: 'detached', timeout: 15000 });
  await page.close();
});
