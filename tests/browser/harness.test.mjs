// Self-tests of harness.mjs, so that a failing site test points at fixbook and
// not at the test tooling. Needs Chromium, Java and poppler, not fixbook.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import {
  collectNetwork,
  fileUrl,
  fixbookBin,
  launch,
  pdfPages,
  pdfText,
  printPdf,
  repoRoot,
  runAxe,
  runVnu,
  serve,
  tmpDir,
} from './harness.mjs';

const GOOD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Good</title>
<link rel="stylesheet" href="style.css"></head><body><main><h1>Hello harness</h1>
<p>Plain text for the PDF.</p></main></body></html>`;

function get(url, rawPath) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath ?? u.pathname, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('harness', () => {
  let dir;
  let server;
  let browser;
  before(async () => {
    const base = tmpDir('fixbook-harness-');
    dir = path.join(base, 'site');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'index.html'), GOOD);
    fs.writeFileSync(path.join(dir, 'style.css'), 'body{font-family:sans-serif}');
    fs.mkdirSync(path.join(dir, 'sub dir'));
    fs.writeFileSync(path.join(dir, 'sub dir', 'index.html'), GOOD.replace('Good', 'Sub'));
    fs.writeFileSync(path.join(dir, 'bad.html'), '<!doctype html><html><body><p><div></p></body></html>');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'outside');
    server = await serve(dir);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('fixbookBin() is target/debug/fixbook under the repository root', () => {
    assert.equal(fixbookBin(), path.join(repoRoot, 'target', 'debug', 'fixbook'));
    assert.ok(fs.existsSync(path.join(repoRoot, 'Cargo.toml')));
  });

  test('serve() answers files with MIME types, index.html for folders, 404 and no traversal', async () => {
    const idx = await get(server.url, '/');
    assert.equal(idx.status, 200);
    assert.match(idx.type, /^text\/html/);
    const css = await get(server.url, '/style.css');
    assert.match(css.type, /^text\/css/);
    const sub = await get(server.url, '/sub%20dir/');
    assert.equal(sub.status, 200);
    assert.match(sub.body, /<title>Sub</);
    const redirect = await get(server.url, '/sub%20dir');
    assert.equal(redirect.status, 301);
    assert.equal((await get(server.url, '/nope.html')).status, 404);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub%20dir/..%2f..%2fsecret.txt']) {
      const r = await get(server.url, p);
      assert.ok([403, 404].includes(r.status), `${p} -> ${r.status}`);
      assert.doesNotMatch(r.body, /outside/);
    }
  });

  test('launch() drives Chromium; collectNetwork() sees requests; runAxe() reports violations', async () => {
    const page = await browser.newPage();
    try {
      const net = collectNetwork(page);
      await page.goto(fileUrl(dir, 'index.html'));
      assert.equal(await page.textContent('h1'), 'Hello harness');
      assert.ok(net.urls.some((u) => u.endsWith('/style.css')));
      assert.deepEqual(net.external(), []);
      assert.deepEqual(await runAxe(page), []);
      await page.setContent('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>');
      const ids = (await runAxe(page)).map((v) => v.id);
      assert.ok(ids.includes('image-alt'), `expected image-alt among ${ids}`);
      assert.ok(ids.includes('html-has-lang'));
    } finally {
      await page.close();
    }
  });

  test('collectNetwork().external() flags requests that leave the machine', async () => {
    const page = await browser.newPage();
    try {
      const net = collectNetwork(page);
      await page.route('**/*', (route) =>
        route.request().url().startsWith('https://') ? route.abort() : route.continue(),
      );
      await page.setContent('<img alt="" src="https://example.invalid/x.png">');
      await page.waitForTimeout(100);
      assert.deepEqual(net.external(server.url), ['https://example.invalid/x.png']);
    } finally {
      await page.close();
    }
  });

  test('runVnu() returns errors for invalid HTML and none for valid HTML', () => {
    const messages = runVnu(dir);
    const files = new Set(messages.filter((m) => m.type === 'error').map((m) => path.basename(new URL(m.url).pathname)));
    assert.deepEqual([...files], ['bad.html']);
  });

  test('printPdf() honours the paper size; pdfText() and pdfPages() read it back', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(fileUrl(dir, 'index.html'));
      const a4 = await printPdf(page, path.join(dir, 'a4.pdf'), { format: 'A4' });
      const letter = await printPdf(page, path.join(dir, 'letter.pdf'), { format: 'Letter' });
      assert.match(pdfPages(a4).pageSize, /A4/);
      assert.match(pdfPages(letter).pageSize, /letter/i);
      assert.equal(pdfPages(a4).pages, 1);
      assert.match(pdfText(a4), /Hello harness/);
    } finally {
      await page.close();
    }
  });
});
