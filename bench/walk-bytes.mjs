// What one guided walk loads (issue 15): opens guided.html of a built site
// from file:// in headless Chromium for a symptom set, answers "Still not
// fixed" to every step until the end, and prints the bytes of every file the
// page loaded (sizes on disk: file:// has no transfer encoding), first at the
// first step and then for the whole walk. Not a test.
//
//   node bench/walk-bytes.mjs SITE [symptom,ids]   (default: the two symptoms fixed by most sections)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../tests/browser/harness.mjs';

const site = path.resolve(process.argv[2] || 'public');
let ids = process.argv[3];
if (!ids) {
  // The symptoms with the most sections: the longest walks.
  const dir = path.join(site, 'checklists/data/symptoms');
  const sizes = fs.readdirSync(dir).map((f) => [f.replace(/\.js$/, ''), fs.statSync(path.join(dir, f)).size]);
  sizes.sort((a, b) => b[1] - a[1]);
  ids = sizes.slice(0, 2).map((s) => s[0]).join(',');
}
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
const loaded = new Set();
page.on('request', (r) => r.url().startsWith('file:') && loaded.add(r.url().split(/[?#]/)[0]));
const bytes = () => [...loaded].reduce((n, u) => n + (fs.existsSync(fileURLToPath(u)) ? fs.statSync(fileURLToPath(u)).size : 0), 0);
await page.goto(pathToFileURL(path.join(site, 'guided.html')).href + '?symptoms=' + ids);
await page.waitForSelector('[data-walk-step]:not([hidden]), [data-walk-end]:not([hidden])');
await page.waitForTimeout(300);
const first = { files: loaded.size, bytes: bytes() };
let steps = 0;
while (!(await page.locator('[data-walk-end]').isVisible())) {
  await page.getByRole('button', { name: 'Still not fixed', exact: true }).click();
  steps += 1;
}
await page.waitForTimeout(300);
const sections = await page.evaluate(() => document.querySelector('[data-walk-tried]').children.length);
console.log(`symptoms ${ids}`);
console.log(`first step: ${first.files} files, ${first.bytes} bytes (${(first.bytes / 1024).toFixed(1)} KiB)`);
console.log(`whole walk (${steps} steps asked, ${sections} tried): ${loaded.size} files, ${bytes()} bytes (${(bytes() / 1024).toFixed(1)} KiB)`);
await browser.close();
