// End-to-end checks of built sites in headless Chromium: the bundled guide/
// and every fixture in tests/fixtures/ are built with the real fixbook binary,
// then checked for HTML validity (vnu), accessibility (axe-core), privacy (no
// external requests), safety (no script from content runs), narrow-screen
// layout, working relative links from file://, and printing.
//
// Run: node --test tests/browser/   (after `cargo build`)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  buildGuide,
  collectNetwork,
  fileUrl,
  fixturesDir,
  formatAxe,
  formatVnu,
  httpUrl,
  lastBuildOutput,
  launch,
  listFiles,
  pdfPages,
  pdfText,
  printPdf,
  repoRoot,
  runAxe,
  runVnu,
  screenshot,
  screenshotsDir,
  serve,
  tmpDir,
} from './harness.mjs';

// `section` is the representative section page (output path) used for axe,
// layout and screenshots; `symptom` the representative symptom id.
const GUIDES = [
  { name: 'guide', dir: path.join(repoRoot, 'guide') },
  { name: 'router', dir: path.join(fixturesDir, 'router'), section: 'network/wifi/drops.html', symptom: 'wifi-drops' },
  { name: 'multilingual', dir: path.join(fixturesDir, 'multilingual'), section: 'ネットワーク/再起動 手順.html', symptom: 'no-connection' },
  { name: 'hostile', dir: path.join(fixturesDir, 'hostile'), section: 'a&b "q".html', symptom: 'script-tag',
    // fixbook removes javascript:/data:/vbscript: links from Markdown bodies and warns;
    // procedure lint flags its attack-string settings paths (never written in the body)
    // and its step-less section that claims symptoms.
    warnings: { 'unsafe-link': 6, 'settings-not-used': 3, 'no-steps': 1 } },
  { name: 'minimal', dir: path.join(fixturesDir, 'minimal'), section: 'only-section.html' },
  { name: 'markdown', dir: path.join(fixturesDir, 'markdown'), section: 'files/offline.html', symptom: 'printer-offline' },
];

const ATTACK = '<script>alert(1)</script>';

/** Source sections of a guide: every .md except index.md (the intro) and folders' index.md, hidden paths skipped. */
function sourceSections(guideDir) {
  return listFiles(guideDir, (p) => p.endsWith('.md'))
    .filter((rel) => rel !== 'index.md' && !rel.endsWith('/index.md') && !rel.split('/').some((s) => s.startsWith('.')));
}

function isDraft(guideDir, rel) {
  const text = fs.readFileSync(path.join(guideDir, rel), 'utf8');
  const fm = text.match(/^(---|\+\+\+)\r?\n([\s\S]*?)\r?\n\1/);
  return !!fm && /^draft\s*[:=]\s*(true|yes)\s*$/m.test(fm[2]);
}

function symptomIds(guideDir) {
  const file = path.join(guideDir, 'symptoms.yml');
  if (!fs.existsSync(file)) return [];
  return [...fs.readFileSync(file, 'utf8').matchAll(/^\s*-\s*id:\s*["']?([a-z0-9-]+)["']?\s*$/gm)].map((m) => m[1]);
}

const htmlOf = (rel) => rel.replace(/\.md$/, '.html');

/** The text of an HTML fragment as a browser shows it in one line (tags dropped, entities decoded, spaces collapsed). */
function textOf(fragment) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return fragment
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : named[e] ?? m))
    .replace(/\s+/g, ' ')
    .trim();
}

  /** base_url from guide.toml, if any. */
  function baseUrl(guideDir) {
    const m = fs.readFileSync(path.join(guideDir, 'guide.toml'), 'utf8').match(/^base_url\s*=\s*"([^"]*)"/m);
    return m?.[1];
  }

  /**
   * 404.html is served by a web server for any missing path, so fixbook may point
   * its assets at base_url (the site's own origin) there: that is first-party.
   */
  function firstParty(guideDir, rel, url) {
    const base = baseUrl(guideDir);
    return rel === '404.html' && !!base && url.startsWith(base.replace(/\/?$/, '/'));
  }

/** Open `url` in a fresh context; records dialogs, page errors, failed requests and all requests. */
async function open(url, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const rec = { page, context, dialogs: [], errors: [], failed: [], consoleErrors: [] };
  page.on('dialog', (d) => {
    rec.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => rec.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') rec.consoleErrors.push(m.text());
  });
  page.on('requestfailed', (r) => rec.failed.push(`${r.url()} (${r.failure()?.errorText})`));
  rec.net = collectNetwork(page);
  rec.response = await page.goto(url, { waitUntil: 'load' });
  rec.close = () => context.close();
  return rec;
}

let browser;

describe('fixbook sites', () => {
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const g of GUIDES) {
    describe(`site: ${g.name}`, () => {
      let out;
      let server;
      let sections; // output paths of the non-draft sections
      let pages; // every HTML file in the output
      let section; // representative section page
      let symptomPage; // representative symptom page (or undefined)
      const crawl = new Map(); // page -> {ids, links, ...} from the file:// crawl

      before(async () => {
        assert.ok(fs.existsSync(path.join(g.dir, 'guide.toml')), `${g.dir}/guide.toml is missing`);
        out = buildGuide(g.dir);
        server = await serve(out);
        sections = sourceSections(g.dir).filter((rel) => !isDraft(g.dir, rel)).map(htmlOf);
        pages = listFiles(out, (p) => p.endsWith('.html'));
        section = g.section ?? sections[0];
        const ids = symptomIds(g.dir);
        const sym = g.symptom ?? ids[0];
        symptomPage = sym ? `symptoms/${sym}.html` : undefined;
      });
      after(async () => {
        await server?.close();
      });

      test('builds without warnings (hostile: only the removed unsafe links)', () => {
      const { stderr, stdout } = lastBuildOutput.get(out);
      const codes = {};
      for (const m of `${stderr}\n${stdout}`.matchAll(/^warning(?:\[([\w-]+)\])?/gm)) codes[m[1] ?? '?'] = (codes[m[1] ?? '?'] ?? 0) + 1;
      assert.deepEqual(codes, g.warnings ?? {}, `unexpected warnings:\n${stderr}`);
    });

    test('writes the expected pages', () => {
        const expected = ['index.html', 'settings.html', 'print.html', '404.html', ...sections];
        for (const id of symptomIds(g.dir)) expected.push(`symptoms/${id}.html`);
        const missing = expected.filter((p) => !fs.existsSync(path.join(out, p)));
        assert.deepEqual(missing, [], `missing output files; have:\n${pages.join('\n')}`);
        for (const rel of sourceSections(g.dir).filter((r) => isDraft(g.dir, r))) {
          assert.ok(!fs.existsSync(path.join(out, htmlOf(rel))), `draft ${rel} was built without drafts`);
        }
      });

      test('every HTML file passes the Nu HTML checker (vnu) with zero errors', () => {
        const messages = runVnu(out).filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error');
        assert.equal(messages.length, 0, `vnu errors:\n${formatVnu(messages, out)}`);
      });

      test('every page loads from file:// with working relative links, no script errors, no dialogs', async () => {
        const problems = [];
        for (const rel of pages) {
          const r = await open(fileUrl(out, rel));
          try {
            const info = await r.page.evaluate(() => ({
              ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
              names: [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')),
              links: [...document.querySelectorAll('a[href], link[href], script[src], img[src], source[src]')].map(
                (e) => e.href || e.src,
              ),
              stylesheets: document.styleSheets.length,
            }));
            crawl.set(rel, info);
            const ext = r.net.external().filter((u) => !firstParty(g.dir, rel, u));
            if (ext.length) problems.push(`${rel}: external requests: ${ext.join(', ')}`);
            const failed = r.failed.filter((u) => !firstParty(g.dir, rel, u));
            if (failed.length) problems.push(`${rel}: failed requests: ${failed.join(', ')}`);
            if (r.errors.length) problems.push(`${rel}: page errors: ${r.errors.join(' | ')}`);
            if (r.dialogs.length) problems.push(`${rel}: dialogs: ${r.dialogs.join(' | ')}`);
            if (info.stylesheets === 0) problems.push(`${rel}: no stylesheet loaded`);
          } finally {
            await r.close();
          }
        }
        assert.deepEqual(problems, []);
      });

      test('internal links point at existing files and existing anchors', () => {
        assert.ok(crawl.size > 0, 'the file:// crawl did not run');
        const root = fs.realpathSync(out);
        const problems = [];
        for (const [rel, info] of crawl) {
          for (const href of info.links) {
            if (!href.startsWith('file:')) continue;
            const u = new URL(href);
            const target = fileURLToPath(u);
            if (!target.startsWith(root)) {
              problems.push(`${rel}: link leaves the site: ${href}`);
              continue;
            }
            let file = target;
            if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
            if (!fs.existsSync(file)) {
              problems.push(`${rel}: broken link ${decodeURI(href)}`);
              continue;
            }
            const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
            if (frag && file.endsWith('.html')) {
              const targetRel = path.relative(root, file).split(path.sep).join('/');
              const t = crawl.get(targetRel);
              if (t && !t.ids.includes(frag) && !t.names.includes(frag)) {
                problems.push(`${rel}: anchor #${frag} not found in ${targetRel}`);
              }
            }
          }
        }
        assert.deepEqual(problems, []);
      });

      test('no page makes external network requests (http)', async () => {
        const problems = [];
        for (const rel of ['index.html', section, symptomPage, 'settings.html', 'print.html', '404.html'].filter(Boolean)) {
          const r = await open(httpUrl(server, rel));
          try {
            assert.equal(r.response?.status(), 200, `${rel} over http`);
            await r.page.waitForLoadState('networkidle').catch(() => {});
            const ext = r.net.external(server.url).filter((u) => !firstParty(g.dir, rel, u));
            if (ext.length) problems.push(`${rel}: ${ext.join(', ')}`);
          } finally {
            await r.close();
          }
        }
        assert.deepEqual(problems, []);
      });

      for (const via of ['http', 'file']) {
        test(`axe-core finds no violations (${via}): home, section, symptom, settings`, async () => {
          const targets = ['index.html', section, symptomPage, 'settings.html'].filter(Boolean);
          const report = [];
          for (const rel of targets) {
            const url = via === 'http' ? httpUrl(server, rel) : fileUrl(out, rel);
            const r = await open(url);
            try {
              const violations = await runAxe(r.page);
              if (violations.length) report.push(`--- ${rel}\n${formatAxe(violations)}`);
            } finally {
              await r.close();
            }
          }
          assert.equal(report.length, 0, `axe violations:\n${report.join('\n')}`);
        });
      }

      test('no horizontal scrolling at 320px (home, settings, every section)', async () => {
        const problems = [];
        for (const rel of ['index.html', 'settings.html', ...sections]) {
          const r = await open(fileUrl(out, rel), { width: 320, height: 640 });
          try {
            const m = await r.page.evaluate(() => {
              const de = document.documentElement;
              const wide = [...document.body.querySelectorAll('*')]
                .filter((e) => e.getBoundingClientRect().right > de.clientWidth + 1)
                .slice(0, 3)
                .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}`);
              return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, wide };
            });
            if (m.scrollWidth > m.clientWidth) {
              problems.push(`${rel}: scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth} (e.g. ${m.wide.join(', ')})`);
            }
          } finally {
            await r.close();
          }
        }
        assert.deepEqual(problems, []);
      });

      test('the first screen (390x844, 1280x800) shows the guide title, search (box or button) and the page heading in full', async () => {
        const problems = [];
        for (const [width, height] of [[390, 844], [1280, 800]]) {
          for (const [label, rel] of [['home', 'index.html'], ['section', section], ['settings', 'settings.html']]) {
            const r = await open(fileUrl(out, rel), { width, height });
            try {
              const html = fs.readFileSync(path.join(out, rel), 'utf8');
              const h1 = textOf(html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)[1]);
              const title = textOf(html.match(/<a class="site-title"[^>]*>([\s\S]*?)<\/a>/)[1]);
              const seen = await r.page.evaluate(() => {
                // What lies wholly inside the first screen, unscrolled, and is rendered.
                const shown = (e) => {
                  if (!e) return null;
                  const b = e.getBoundingClientRect();
                  const style = getComputedStyle(e);
                  const visible = b.width > 0 && b.height > 0 && style.visibility === 'visible' && !e.closest('[hidden]');
                  return { visible, inside: b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth, text: e.textContent.replace(/\s+/g, ' ').trim() };
                };
                return { h1: shown(document.querySelector('main h1')), // On a phone the header offers a Search button that opens the box.
                  search: [document.getElementById('site-search-q'), document.getElementById('search-toggle')].map(shown).find((e) => e && e.visible) ?? shown(document.getElementById('site-search-q')), home: shown(document.querySelector('.site-header .site-title')) };
              });
              const where = `${rel} at ${width}x${height}`;
              for (const [what, e] of [['the page heading', seen.h1], ['the search box (or the Search button that opens it)', seen.search], ['the link home with the guide title', seen.home]]) {
                if (!e || !e.visible || !e.inside) problems.push(`${where}: ${what} is not wholly on the first screen (${JSON.stringify(e)})`);
              }
              if (seen.h1 && seen.h1.text !== h1) problems.push(`${where}: heading shows ${JSON.stringify(seen.h1.text)}, page has ${JSON.stringify(h1)}`);
              if (seen.home && seen.home.text !== title) problems.push(`${where}: header shows ${JSON.stringify(seen.home.text)}, page has ${JSON.stringify(title)}`);
              // For humans: the first screen and the whole page.
              await r.page.screenshot({ path: path.join(screenshotsDir, `${g.name}-${label}-${width}-first-screen.png`.replace(/[^\w.-]+/g, '_')) });
              await screenshot(r.page, `${g.name}-${label}-${width}`);
            } finally {
              await r.close();
            }
          }
        }
        assert.deepEqual(problems, []);
      });

      test('print.html prints to A4 and Letter with every section title', async () => {
        const r = await open(fileUrl(out, 'print.html'));
        try {
          const dir = tmpDir('fixbook-pdf-');
          const norm = (s) => s.replace(/\s+/g, ' ');
          // Letters and digits only: pdftotext wraps lines and may drop emoji or punctuation.
          const flat = (s) => s.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '');
          const titles = await Promise.all(
            sections.map(async (rel) => {
              const html = fs.readFileSync(path.join(out, rel), 'utf8');
              return html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1];
            }),
          );
          for (const [format, size] of [['A4', /\(A4\)|595(\.\d+)? x 841(\.\d+)?/], ['Letter', /\(letter\)|612(\.\d+)? x 792(\.\d+)?/i]]) {
            const file = await printPdf(r.page, path.join(dir, `print-${format}.pdf`), { format });
            const info = pdfPages(file);
            assert.ok(info.pages >= 1, `${format}: no pages`);
            assert.match(info.pageSize, size, `${format}: page size`);
            const text = flat(norm(pdfText(file)));
            for (const t of titles) {
              if (!t) continue;
                const visible = await r.page.evaluate((h) => {
                const d = document.createElement('div');
                d.innerHTML = h;
                return d.textContent;
              }, t);
              assert.ok(text.includes(flat(visible)), `${format}: PDF lacks section title ${JSON.stringify(visible)}`);
            }
          }
        } finally {
          await r.close();
        }
      });
    });
  }

  describe('site: router with drafts', () => {
    test('the draft section is built with drafts and listed nowhere without them', async () => {
      const guide = path.join(fixturesDir, 'router');
      const withDrafts = buildGuide(guide, { drafts: true });
      assert.ok(fs.existsSync(path.join(withDrafts, 'internet/isp-outage.html')), 'draft page missing with --drafts');
      const without = buildGuide(guide);
      assert.ok(!fs.existsSync(path.join(without, 'internet/isp-outage.html')));
      const leaks = listFiles(without, (p) => /\.(html|js|json)$/.test(p)).filter((rel) =>
        /isp-outage|Check for a provider outage/.test(fs.readFileSync(path.join(without, rel), 'utf8')),
      );
      assert.deepEqual(leaks, [], 'the draft leaks into a build without drafts');
    });
  });

  describe('site: hostile content stays text', () => {
    let out;
    let server;
    before(async () => {
      out = buildGuide(path.join(fixturesDir, 'hostile'));
      server = await serve(out);
    });
    after(async () => {
      await server?.close();
    });

    const H1 = {
      'index.html': ATTACK,
      'a&b "q".html': `${ATTACK} a&b "q" &amp;`,
      '<img src=x onerror=alert(3)>.html': '<img src=x onerror=alert(3)> </script><script>alert(2)</script>',
      '{{ config }}/{% raw %}.html': `{{ config }} {% raw %} ${ATTACK}`,
      'symptoms/script-tag.html': `${ATTACK} label`,
      'symptoms/quote-breakout.html': `"onload="alert(1) x' onmouseover='alert(1)`,
      'symptoms/template-injection.html': '{{ config }} {% raw %} ${7*7} #{7*7}',
    };

    for (const via of ['file', 'http']) {
      test(`no dialog opens and attack strings show as text (${via})`, async () => {
        const problems = [];
        const pages = listFiles(out, (p) => p.endsWith('.html'));
        for (const rel of pages) {
          const r = await open(via === 'http' ? httpUrl(server, rel) : fileUrl(out, rel));
          try {
            // Give timers and late handlers a moment.
            await r.page.waitForTimeout(50);
            const dom = await r.page.evaluate(() => ({
              h1: document.querySelector('h1')?.textContent ?? null,
              title: document.title,
              body: document.body.innerText,
              handlers: [...document.querySelectorAll('*')].flatMap((e) =>
                [...e.attributes].filter((a) => /^on/i.test(a.name) && /alert|msgbox/i.test(a.value)).map((a) => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`),
              ),
              badLinks: [...document.querySelectorAll('a[href], area[href], iframe[src], img[src], form[action]')]
                .map((e) => e.href || e.src || e.action)
                .filter((u) => /^\s*(javascript|vbscript|data):/i.test(u)),
              // Data blocks (JSON-LD, JSON for scripts) are never run: attack strings may sit
              // in them as data, as long as the block is still nothing but valid JSON.
              inlineScripts: [...document.scripts].filter((s) => {
                if (!/alert\(/.test(s.textContent)) return false;
                if (!/^application\/(ld\+)?json$/i.test(s.type)) return true;
                try { JSON.parse(s.textContent); return false; } catch { return true; }
              }).length,
              templated: /\b49\b/.test(document.body.innerText),
            }));
            if (r.dialogs.length) problems.push(`${rel}: dialog opened: ${r.dialogs.join(' | ')}`);
            if (dom.handlers.length) problems.push(`${rel}: inline event handlers from content: ${dom.handlers.join(' ')}`);
            if (dom.badLinks.length) problems.push(`${rel}: dangerous URLs kept: ${dom.badLinks.join(' ')}`);
            if (dom.inlineScripts) problems.push(`${rel}: a <script> element contains content text`);
            if (dom.templated) problems.push(`${rel}: template syntax was evaluated (saw 49)`);
            if (H1[rel] !== undefined && !(dom.h1 ?? '').includes(H1[rel])) {
              problems.push(`${rel}: <h1> ${JSON.stringify(dom.h1)} does not contain ${JSON.stringify(H1[rel])}`);
            }
          } finally {
            await r.close();
          }
        }
        assert.deepEqual(problems, []);
      });
    }

    test('front-matter strings are shown literally in titles, summaries, labels and settings', async () => {
      const r = await open(fileUrl(out, 'a&b "q".html'));
      try {
        const text = await r.page.evaluate(() => document.body.innerText);
        const title = await r.page.title();
        assert.ok(title.includes(ATTACK), `<title> ${JSON.stringify(title)} lacks the attack string`);
        for (const s of [
          `"onload="alert(1) </script><script>alert(2)</script> ' OR 1=1 --`, // summary
          '<svg onload=alert(1)//', // settings segment
          '{% raw %}',
          '&amp;',
        ]) {
          assert.ok(text.includes(s), `section page text lacks ${JSON.stringify(s)}`);
        }
      } finally {
        await r.close();
      }
      const s = await open(fileUrl(out, 'settings.html'));
      try {
        const text = await s.page.evaluate(() => document.body.innerText);
        for (const seg of ['<svg onload=alert(1)//', '"onload="alert(1)', '{{ config }}', "' OR 1=1 --", '<iframe src=javascript:alert(1)', '&amp;']) {
          assert.ok(text.includes(seg), `settings.html lacks segment ${JSON.stringify(seg)}`);
        }
      } finally {
        await s.close();
      }
    });

    test('the edit link keeps the quotes inside its href', async () => {
      const r = await open(fileUrl(out, 'a&b "q".html'));
      try {
        const hrefs = await r.page.evaluate(() =>
          [...document.querySelectorAll('a[href^="https://git.example.net/"]')].map((a) => a.getAttribute('href')),
        );
        assert.ok(hrefs.length >= 1, 'no edit link on the section page');
        for (const h of hrefs) assert.ok(h.includes('onmouseover'), `edit link was truncated: ${h}`);
      } finally {
        await r.close();
      }
    });
  });
});
