// Phone-layout numbers of issue 14 for one built site, in headless Chromium
// (playwright-core from tests/browser): where the first symptom checkbox
// starts at 390x844, how far the rows move on the first tick, history.length
// after 3 ticks, whether a sticky "Show" bar is in view, the home page's
// bytes; and screenshots (home, ticked filter, a section, a folder page) at
// 390x844 and 1280x800. Not a test: it reports numbers for a closing note.
//
//   node bench/phone/measure.mjs SITE_DIR [--shots DIR] [--label NAME] [--section PATH] [--folder PATH]
import fs from 'node:fs';
import path from 'node:path';
import { launch, fileUrl } from '../../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const site = path.resolve(args[0]);
const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const shots = opt('--shots');
const label = opt('--label', path.basename(site));
const sectionPath = opt('--section');
const folderPath = opt('--folder');

const result = { site, label, homeBytes: fs.statSync(path.join(site, 'index.html')).size };
const browser = await launch();
const viewports = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

async function fresh(vp) {
  const ctx = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(fileUrl(site));
  await page.waitForLoadState('load');
  await page.waitForTimeout(150);
  return { ctx, page };
}
const boxes = (page) => page.$$eval('#symptom-filter input[type=checkbox]', (els) =>
  els.filter((e) => e.offsetParent !== null).map((e) => { const r = e.getBoundingClientRect(); return { id: e.id, y: r.top + window.scrollY, vy: r.top }; }));

for (const [name, vp] of Object.entries(viewports)) {
  const { ctx, page } = await fresh(vp);
  const r = (result[name] = {});
  const before = await boxes(page);
  r.firstCheckboxY = before[0] ? Math.round(before[0].y) : null;
  r.firstCheckboxOnFirstScreen = before[0] ? before[0].y + 20 <= vp.height : false;
  if (shots) await page.screenshot({ path: path.join(shots, `home-${name}.png`) });
  if (before.length) {
    // Tick the first box as a finger would (scrolled into view), then see where the next row went, on screen.
    const first = page.locator(`label[for="${before[0].id}"]`);
    await first.scrollIntoViewIfNeeded();
    const pre = await boxes(page);
    await first.click();
    await page.waitForTimeout(250);
    const post = await boxes(page);
    const moved = post.map((p) => { const q = pre.find((x) => x.id === p.id); return q ? Math.abs(p.vy - q.vy) : 0; });
    r.rowMovementOnFirstTickPx = Math.round(Math.max(0, ...moved.slice(0, 8)));
    const bar = await page.evaluate(() => {
      const b = document.querySelector('.filter-bar');
      if (!b || b.hidden) return null;
      const rect = b.getBoundingClientRect();
      return { text: b.textContent.replace(/\s+/g, ' ').trim(), inView: rect.top >= 0 && rect.bottom <= window.innerHeight };
    });
    r.stickyBar = bar;
    if (before.length >= 3) {
      for (const b of before.slice(1, 3)) await page.locator(`label[for="${b.id}"]`).click();
      await page.waitForTimeout(400);
      r.historyLengthAfter3Ticks = await page.evaluate(() => history.length);
      r.urlAfter3Ticks = new URL(page.url()).search;
    }
    if (shots) await page.screenshot({ path: path.join(shots, `ticked-${name}.png`) });
  }
  if (sectionPath) {
    await page.goto(fileUrl(site, sectionPath));
    if (shots) await page.screenshot({ path: path.join(shots, `section-${name}.png`) });
    await page.evaluate(() => window.scrollTo(0, 3000));
    r.headerInViewAfterScroll = await page.evaluate(() => { const h = document.querySelector('.site-header'); const b = h.getBoundingClientRect(); return b.bottom > 0 && b.top >= -1; });
  }
  if (folderPath && fs.existsSync(path.join(site, folderPath))) {
    await page.goto(fileUrl(site, folderPath));
    if (shots) await page.screenshot({ path: path.join(shots, `folder-${name}.png`) });
  }
  await ctx.close();
}
await browser.close();
console.log(JSON.stringify(result, null, 2));
