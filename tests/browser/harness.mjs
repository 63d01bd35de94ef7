// Shared helpers for fixbook's browser tests (node:test + node:assert/strict).
//
// Everything here fails loudly: a missing Chromium, Java or poppler is a test
// failure, never a skip.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Repository root (two levels above this file). */
export const repoRoot = path.resolve(here, '..', '..');
/** tests/browser/node_modules */
export const nodeModules = path.join(here, 'node_modules');
/** tests/fixtures */
export const fixturesDir = path.join(repoRoot, 'tests', 'fixtures');
/** target/screenshots (for humans; never asserted) */
export const screenshotsDir = path.join(repoRoot, 'target', 'screenshots');

export const CHROMIUM = process.env.FIXBOOK_CHROMIUM || '/usr/bin/chromium';

/** Path of the debug fixbook binary (built by `cargo build`); FIXBOOK_BIN overrides it. */
export function fixbookBin() {
  if (process.env.FIXBOOK_BIN) return path.resolve(process.env.FIXBOOK_BIN);
  return path.join(repoRoot, 'target', 'debug', process.platform === 'win32' ? 'fixbook.exe' : 'fixbook');
}

/** A fresh, empty temporary directory. */
export function tmpDir(prefix = 'fixbook-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Build a guide with `fixbook build <guideDir> -o <fresh tmp dir>`; returns the
 * output directory. `drafts: true` adds `--drafts`. Throws (with stdout and
 * stderr) on a non-zero exit. The output directory does not exist before the
 * build (fixbook creates it), its parent is a fresh temp dir.
 */
export function buildGuide(guideDir, { drafts = false, extraArgs = [] } = {}) {
  const bin = fixbookBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`fixbook binary not found at ${bin}; run \`cargo build\` first`);
  }
  const out = path.join(tmpDir('fixbook-out-'), 'site');
  const args = ['build', guideDir, '-o', out, ...(drafts ? ['--drafts'] : []), ...extraArgs];
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(
      `fixbook ${args.join(' ')} exited with ${r.status ?? r.signal}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}`,
    );
  }
  if (!fs.existsSync(path.join(out, 'index.html'))) {
    throw new Error(`fixbook ${args.join(' ')} exited 0 but wrote no ${out}/index.html\n--- stderr ---\n${r.stderr}`);
  }
  lastBuildOutput.set(out, { stdout: r.stdout, stderr: r.stderr });
  return out;
}

/** stdout/stderr of the build that produced `outDir` (for warning checks). */
export const lastBuildOutput = new Map();

let chromiumMod;
async function playwrightChromium() {
  if (!chromiumMod) ({ chromium: chromiumMod } = await import('playwright-core'));
  return chromiumMod;
}

/** Launch headless Debian Chromium through playwright-core. Throws if absent. */
export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) — browser tests cannot run without it`,
    );
  }
  const chromium = await playwrightChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serve `dir` statically on 127.0.0.1:<random port>. Returns {url, port, close()}.
 * `url` ends with '/'. Directories answer with their index.html (redirecting
 * `/dir` to `/dir/`), anything else missing is a 404; `..` traversal is refused.
 */
export async function serve(dir) {
  const root = fs.realpathSync(dir);
  const server = http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (pathname.includes('\0')) return send(400, 'bad request');
    let file = path.join(root, pathname);
    const inside = (p) => p === root || p.startsWith(root + path.sep);
    if (!inside(file)) return send(403, 'forbidden');
    let st;
    try {
      st = fs.statSync(file);
      if (st.isDirectory()) {
        if (!pathname.endsWith('/')) return send(301, 'moved', { location: encodeURI(pathname + '/') });
        file = path.join(file, 'index.html');
        st = fs.statSync(file);
      }
      // Symlinks must not lead outside the served directory.
      if (!inside(fs.realpathSync(file))) return send(403, 'forbidden');
    } catch {
      return send(404, 'not found');
    }
    if (!st.isFile()) return send(404, 'not found');
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** file:// URL of `relPath` inside `dir`. */
export function fileUrl(dir, relPath = 'index.html') {
  return pathToFileURL(path.join(dir, relPath)).href;
}

/** http URL of `relPath` on a server from serve(). */
export function httpUrl(server, relPath = '') {
  return new URL(relPath.split('/').map(encodeURIComponent).join('/'), server.url).href;
}

/**
 * Run axe-core in `page` and return its violations (array). `options` go to
 * axe.run (default: the WCAG 2.x A/AA + best-practice rules axe enables by default).
 */
export async function runAxe(page, options = {}) {
  const src = path.join(nodeModules, 'axe-core', 'axe.min.js');
  if (!fs.existsSync(src)) throw new Error(`${src} missing: run npm ci in tests/browser`);
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ content: fs.readFileSync(src, 'utf8') });
  const result = await page.evaluate((opts) => window.axe.run(document, opts), options);
  return result.violations;
}

/** Human-readable summary of axe violations for assertion messages. */
export function formatAxe(violations) {
  return violations
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} :: ${n.failureSummary?.replace(/\n/g, ' ')}`)
          .join('\n'),
    )
    .join('\n');
}

/**
 * Run the Nu HTML Checker on every HTML file under `dir` (errors only).
 * Returns the list of messages (objects with type, url, message, lastLine...).
 */
export function runVnu(dir) {
  const jar = path.join(nodeModules, 'vnu-jar', 'build', 'dist', 'vnu.jar');
  if (!fs.existsSync(jar)) throw new Error(`${jar} missing: run npm ci in tests/browser`);
  const r = spawnSync(
    'java',
    ['-Xss8m', '-jar', jar, '--skip-non-html', '--errors-only', '--format', 'json', dir],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.error) throw new Error(`could not run java (install default-jre-headless): ${r.error.message}`);
  // vnu exits 1 when it reports errors; the JSON goes to stderr.
  const text = (r.stderr || r.stdout || '').trim();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`vnu produced no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return parsed.messages || [];
}

/** Human-readable summary of vnu messages. */
export function formatVnu(messages, dir) {
  return messages
    .map((m) => {
      let where = m.url || '';
      if (dir && where.startsWith('file:')) where = path.relative(dir, fileURLToPath(where));
      return `${where}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'} ${m.type}: ${m.message}` +
        (m.extract ? `\n    ${m.extract.replace(/\n/g, '⏎')}` : '');
    })
    .join('\n');
}

/**
 * Record every request `page` makes (and every page-level websocket). Returns
 * {urls, external(allowedOrigin?)}: `external()` lists URLs that are neither
 * file:, data:, blob:, about: nor on `allowedOrigin` (e.g. the local server).
 */
export function collectNetwork(page) {
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));
  page.on('websocket', (ws) => urls.push(ws.url()));
  return {
    urls,
    external(allowedOrigin) {
      return urls.filter((u) => {
        if (/^(file|data|blob|about|chrome-error):/i.test(u)) return false;
        if (allowedOrigin && new URL(u).origin === new URL(allowedOrigin).origin) return false;
        return true;
      });
    },
  };
}

/** Print `page` to a PDF at `file` (format 'A4' or 'Letter'). Returns `file`. */
export async function printPdf(page, file, { format = 'A4', printBackground = true, ...rest } = {}) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format, printBackground, preferCSSPageSize: false, ...rest });
  await page.emulateMedia({ media: null });
  return file;
}

function poppler(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`could not run ${cmd} (install poppler-utils): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Text of a PDF (pdftotext -layout). Pages are separated by form feeds (\f). */
export function pdfText(file) {
  return poppler('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
}

/** pdfinfo of a PDF: {pages, pageSize ('595.276 x 841.89 pts (A4)'), raw}. */
export function pdfPages(file) {
  const raw = poppler('pdfinfo', [file]);
  const get = (k) => raw.match(new RegExp(`^${k}:\\s*(.*)$`, 'm'))?.[1]?.trim();
  return { pages: Number(get('Pages')), pageSize: get('Page size'), raw };
}

/** Every file under `dir` (relative paths, '/' separators), sorted. */
export function listFiles(dir, filter = () => true) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (filter(p)) out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Save a screenshot into target/screenshots/<name>.png (for humans). */
export async function screenshot(page, name) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** True when the document has no horizontal overflow. */
/**
 * Paths of every page two clicks from the page open in `page`: each link of
 * its `#sections` list, then each link in `<main>` of the page it leads to.
 * (Leaves `page` on the last page visited.)
 */
export async function reachedInTwoClicks(page) {
  const reached = new Set();
  for (const href of await page.locator('#sections a').evaluateAll((as) => as.map((a) => a.href))) {
    reached.add(new URL(href).pathname);
    await page.goto(href);
    for (const h of await page.locator('main a').evaluateAll((as) => as.map((a) => a.href))) reached.add(new URL(h).pathname);
  }
  return reached;
}

export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth };
  });
}
