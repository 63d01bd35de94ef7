// Browser benchmark for the symptom filter and the search box (issue 4), in
// headless Debian Chromium through playwright-core, on a generated guide.
//
//   node bench/browser-bench.mjs [--sections 10000] [--symptoms 500]
//        [--work /tmp/fixbook-bench] [--bin target/release/fixbook]
//        [--ticks 60] [--queries 20]
//
// 1. Generates the corpus with /work/shared/bench/gen_corpus.py (or
//    $FIXBOOK_GEN_CORPUS) unless it exists. The generator writes its own
//    symptom catalog (2,000 symptoms at 10,000 sections); with --symptoms N
//    the guide is rewritten to keep the first N symptoms and map every other
//    id onto them (id i → id i mod N), so each symptom has more sections.
// 2. Builds it with fixbook (FIXBOOK_BIN or --bin; default target/release).
// 3. Filter: ticks symptoms on index.html (file://) and measures the time from
//    the click to the updated results being laid out (synchronous handler +
//    forced layout), and to the next painted frame.
// 4. Search: types queries key by key (file://) and records, per keystroke,
//    the time from the input event to rendered results (including loading
//    any index scripts), and the bytes of index files a query loads
//    (raw, and gzip -6 as a compressing static host would send them).
//
// Prints a summary and writes it as JSON to <work>/browser-bench.json.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const { launch } = await import(pathToFileURL(path.join(repoRoot, 'tests', 'browser', 'harness.mjs')).href);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const SECTIONS = Number(arg('sections', 10000));
const SYMPTOMS = arg('symptoms', '500');
const WORK = path.resolve(arg('work', `/tmp/fixbook-bench-${SECTIONS}`));
const BIN = path.resolve(arg('bin', process.env.FIXBOOK_BIN || path.join(repoRoot, 'target', 'release', 'fixbook')));
const TICKS = Number(arg('ticks', 60));
const QUERIES = Number(arg('queries', 20));
const GEN = process.env.FIXBOOK_GEN_CORPUS || '/work/shared/bench/gen_corpus.py';

function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return { ...r, ms: performance.now() - t0 };
}

/** Deterministic pseudo-random numbers (mulberry32), so runs compare. */
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const fmt = (x) => (typeof x === 'number' ? x.toFixed(2) : x);
const fmtStats = (s, unit = 'ms') => `median ${fmt(s.median)} ${unit}, p95 ${fmt(s.p95)} ${unit}, max ${fmt(s.max)} ${unit} (n=${s.n})`;

// --- 1. corpus ------------------------------------------------------------------
const corpus = path.join(WORK, 'corpus');
const generated = path.join(corpus, 'fixbook', 'guide');
if (!fs.existsSync(path.join(generated, 'symptoms.yml'))) {
  console.error(`generating ${SECTIONS} sections into ${corpus} ...`);
  run('python3', [GEN, '--sections', String(SECTIONS), '--out', corpus, '--layouts', 'fixbook']);
}
if (!fs.existsSync(path.join(generated, 'guide.toml'))) {
  fs.writeFileSync(path.join(generated, 'guide.toml'), `title = "Synthetic guide (${SECTIONS} sections)"\nlanguage = "en"\n`);
}

function symptomIdsOf(yml) {
  return [...yml.matchAll(/^\s*-\s*id:\s*"?([a-z0-9-]+)"?\s*$/gm)].map((m) => m[1]);
}

let guideDir = generated;
const generatedIds = symptomIdsOf(fs.readFileSync(path.join(generated, 'symptoms.yml'), 'utf8'));
if (SYMPTOMS !== 'all' && Number(SYMPTOMS) < generatedIds.length) {
  const n = Number(SYMPTOMS);
  guideDir = path.join(WORK, `guide-${n}-symptoms`);
  if (!fs.existsSync(path.join(guideDir, 'symptoms.yml'))) {
    console.error(`rewriting the guide to ${n} symptoms into ${guideDir} ...`);
    fs.mkdirSync(guideDir, { recursive: true });
    const yml = fs.readFileSync(path.join(generated, 'symptoms.yml'), 'utf8');
    const parts = yml.split(/\n(?=  - id:)/);
    fs.writeFileSync(path.join(guideDir, 'symptoms.yml'), parts.slice(0, n + 1).join('\n') + '\n');
    const index = new Map(generatedIds.map((id, i) => [id, i]));
    for (const f of fs.readdirSync(generated)) {
      const src = path.join(generated, f);
      if (!f.endsWith('.md')) {
        if (fs.statSync(src).isFile() && f !== 'symptoms.yml') fs.copyFileSync(src, path.join(guideDir, f));
        continue;
      }
      const text = fs.readFileSync(src, 'utf8').replace(/^symptoms: \[(.*)\]$/m, (_, list) => {
        const ids = [...list.matchAll(/"([a-z0-9-]+)"/g)].map((m) => generatedIds[index.get(m[1]) % n]);
        return `symptoms: [${[...new Set(ids)].map((id) => JSON.stringify(id)).join(', ')}]`;
      });
      fs.writeFileSync(path.join(guideDir, f), text);
    }
  }
}
const symptomCount = symptomIdsOf(fs.readFileSync(path.join(guideDir, 'symptoms.yml'), 'utf8')).length;

// --- 2. build -------------------------------------------------------------------
if (!fs.existsSync(BIN)) throw new Error(`${BIN} missing: run \`cargo build --release\` (or pass --bin)`);
const site = path.join(WORK, `site-${path.basename(guideDir)}`);
console.error(`building ${guideDir} with ${BIN} ...`);
const build = run(BIN, ['build', guideDir, '-o', site], { env: { ...process.env, NO_COLOR: '1' } });
const sizeOf = (rel) => fs.statSync(path.join(site, rel)).size;
const gzSizeOf = (rel) => zlib.gzipSync(fs.readFileSync(path.join(site, rel)), { level: 6 }).length;
const searchDir = path.join(site, '_fixbook', 'search');
const shardFiles = fs.readdirSync(path.join(searchDir, 'terms'));
const shardSizes = shardFiles.map((f) => fs.statSync(path.join(searchDir, 'terms', f)).size);
const docFiles = fs.readdirSync(path.join(searchDir, 'docs'));
const docSizes = docFiles.map((f) => fs.statSync(path.join(searchDir, 'docs', f)).size);

const result = {
  sections: SECTIONS,
  symptoms: symptomCount,
  build: { ms: Math.round(build.ms), output: build.stdout.trim() || build.stderr.trim().split('\n').pop() },
  files: {
    'index.html': sizeOf('index.html'),
    'index.html gz': gzSizeOf('index.html'),
    'filter data': sizeOf('_fixbook/data/filter.js'),
    'filter data gz': gzSizeOf('_fixbook/data/filter.js'),
    'search manifest': sizeOf('_fixbook/search/index.js'),
    'search shards': shardFiles.length,
    'shard bytes': stats(shardSizes),
    'doc bytes': stats(docSizes),
    'whole index bytes': shardSizes.reduce((a, b) => a + b, 0) + docSizes.reduce((a, b) => a + b, 0) + sizeOf('_fixbook/search/index.js'),
  },
};

// --- 3. filter ----------------------------------------------------------------------
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const loadStart = performance.now();
  await page.goto(pathToFileURL(path.join(site, 'index.html')).href, { timeout: 120000 });
  await page.waitForFunction(() => window.fixbookFilter, null, { timeout: 120000 });
  result.filter = { homeLoadMs: Math.round(performance.now() - loadStart) };

  // Ticks in the page itself so the driver's round trips are not measured:
  // a tick is a click on a checkbox (the change handler runs synchronously),
  // then a forced layout; the frame time waits for the next rAF + paint.
  const ticks = await page.evaluate(async ({ ticks, seed }) => {
    let s = seed;
    const random = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const boxes = [...document.querySelectorAll('#symptom-filter input[name=symptoms]')];
    const byFixes = [...boxes].sort((a, b) => parseInt(document.getElementById(b.id + '-n').textContent) - parseInt(document.getElementById(a.id + '-n').textContent));
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const sync = [];
    const framed = [];
    const results = [];
    for (let i = 0; i < ticks; i++) {
      // Every 4th tick clears; the others add a symptom (every 5th: one of
      // the ten symptoms with the most sections, the worst case).
      const box = i % 5 === 4 ? byFixes[i % 10] : boxes[Math.floor(random() * boxes.length)];
      const clear = i % 4 === 3;
      await frame();
      const t0 = performance.now();
      if (clear) document.getElementById('symptom-clear').click();
      else box.click();
      void document.getElementById('results').offsetHeight; // force layout
      const t1 = performance.now();
      await new Promise((r) => requestAnimationFrame(() => r()));
      const t2 = performance.now();
      sync.push(t1 - t0);
      framed.push(t2 - t0);
      results.push(document.querySelectorAll('#filter-list > li').length);
    }
    const checked = boxes.filter((b) => b.checked).length;
    return { sync, framed, results, checked, maxFixes: parseInt(document.getElementById(byFixes[0].id + '-n').textContent) };
  }, { ticks: TICKS, seed: 42 });
  result.filter.tickUpdateAndLayoutMs = stats(ticks.sync);
  result.filter.tickToNextFrameMs = stats(ticks.framed);
  result.filter.resultsRendered = stats(ticks.results);
  result.filter.mostSectionsForOneSymptom = ticks.maxFixes;
  result.filter.errors = errors;
  await context.close();

  // --- 4. search ------------------------------------------------------------------
  // Queries from section titles: two words of a title, one with a typo (two
  // neighbouring letters swapped) and one typed as a prefix; plus fixed ones.
  const random = rng(7);
  const titles = fs
    .readdirSync(guideDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => fs.readFileSync(path.join(guideDir, f), 'utf8').match(/^title: "?(.*?)"?$/m)?.[1])
    .filter(Boolean);
  const queries = ['crashes on launch', 'wifi calling', 'bluetoth pairing', 'flushdns'];
  while (queries.length < QUERIES) {
    const words = titles[Math.floor(random() * titles.length)].toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 5);
    if (words.length < 2) continue;
    const [a, b] = words;
    const i = 1 + Math.floor(random() * (a.length - 2));
    const typo = a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2);
    queries.push(`${typo} ${b.slice(0, Math.max(4, b.length - 2))}`);
  }
  const keystrokes = [];
  const cachedKeystrokes = []; // keystrokes that needed no new index file
  const loadingKeystrokes = [];
  const pastedStages = [];
  const perQuery = [];
  for (const q of queries) {
    // A fresh page per query: nothing loaded yet, as for a new reader.
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(pathToFileURL(path.join(site, 'index.html')).href, { timeout: 120000 });
    await p.waitForFunction(() => window.fixbookSearch && document.getElementById('site-search') && !document.getElementById('site-search').hidden);
    await p.locator('#site-search-q').focus();
    const lat = [];
    for (let i = 1; i <= q.length; i++) {
      const prefix = q.slice(0, i);
      const before = await p.evaluate(() => window.fixbookSearch.stats.scriptsLoaded.length);
      await p.keyboard.type(q[i - 1]);
      // Keystrokes that add no search term (a space, a first letter) do not search.
      const searches = await p.evaluate((pre) => !/\s$/.test(pre) && window.fixbookText.queryTerms(pre).length > 0, prefix);
      if (!searches) continue;
      const ok = await p
        .waitForFunction((pre) => document.getElementById('site-search-results').getAttribute('data-query') === pre, prefix, { timeout: 10000 })
        .then(() => true, () => false);
      if (!ok) throw new Error(`no results rendered for "${prefix}"`);
      const [ms, afterCount] = await p.evaluate(() => [window.fixbookSearch.stats.lastLatencyMs, window.fixbookSearch.stats.scriptsLoaded.length]);
      lat.push(ms);
      keystrokes.push(ms);
      (afterCount > before ? loadingKeystrokes : cachedKeystrokes).push(ms);
    }
    const loaded = await p.evaluate(() => window.fixbookSearch.stats.scriptsLoaded.map((u) => decodeURIComponent(new URL(u).pathname)));
    const rels = [...new Set(loaded)].map((abs) => path.relative(site, abs));
    const top = await p.locator('#site-search-results a .search-title').allTextContents();
    await ctx.close();

    // The same query pasted at once (only its final terms load).
    const ctx2 = await browser.newContext();
    const p2 = await ctx2.newPage();
    await p2.goto(pathToFileURL(path.join(site, 'index.html')).href, { timeout: 120000 });
    await p2.waitForFunction(() => window.fixbookSearch && !document.getElementById('site-search').hidden);
    await p2.locator('#site-search-q').fill(q);
    await p2.waitForFunction((q) => document.getElementById('site-search-results').getAttribute('data-query') === q, q);
    const [pastedMs, stages] = await p2.evaluate(() => [window.fixbookSearch.stats.lastLatencyMs, window.fixbookSearch.stats.stages]);
    pastedStages.push(stages);
    const loaded2 = await p2.evaluate(() => window.fixbookSearch.stats.scriptsLoaded.map((u) => decodeURIComponent(new URL(u).pathname)));
    const rels2 = [...new Set(loaded2)].map((abs) => path.relative(site, abs));
    await ctx2.close();

    perQuery.push({
      query: q,
      first: top[0] ?? null,
      results: top.length,
      typedKeystrokeMs: stats(lat),
      typedFiles: rels.length,
      typedBytes: rels.reduce((a, r) => a + sizeOf(r), 0),
      typedBytesGz: rels.reduce((a, r) => a + gzSizeOf(r), 0),
      pastedMs,
      pastedFiles: rels2.length,
      pastedBytes: rels2.reduce((a, r) => a + sizeOf(r), 0),
      pastedBytesGz: rels2.reduce((a, r) => a + gzSizeOf(r), 0),
    });
  }
  result.search = {
    keystrokeLatencyMs: stats(keystrokes),
    keystrokeNoNewFilesMs: stats(cachedKeystrokes),
    keystrokeLoadingFilesMs: stats(loadingKeystrokes),
    pastedStagesMs: Object.fromEntries(['manifest', 'shards', 'ranked', 'docs'].map((k) => [k, stats(pastedStages.map((st) => st[k]))])),
    pastedQueryLatencyMs: stats(perQuery.map((q) => q.pastedMs)),
    bytesPerQueryPasted: stats(perQuery.map((q) => q.pastedBytes), 'B'),
    bytesPerQueryPastedGz: stats(perQuery.map((q) => q.pastedBytesGz), 'B'),
    bytesPerQueryTyped: stats(perQuery.map((q) => q.typedBytes), 'B'),
    bytesPerQueryTypedGz: stats(perQuery.map((q) => q.typedBytesGz), 'B'),
    queries: perQuery,
  };
} finally {
  await browser.close();
}

fs.writeFileSync(path.join(WORK, 'browser-bench.json'), JSON.stringify(result, null, 2));
const f = result.filter;
const s = result.search;
console.log(`fixbook browser benchmark: ${result.sections} sections, ${result.symptoms} symptoms (Chromium headless, file://); load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`build: ${result.build.ms} ms — ${result.build.output}`);
console.log(`home page: ${result.files['index.html']} B (${result.files['index.html gz']} B gz), filter data ${result.files['filter data']} B (${result.files['filter data gz']} B gz), loaded in ${f.homeLoadMs} ms`);
console.log(`filter tick → results laid out: ${fmtStats(f.tickUpdateAndLayoutMs)}`);
console.log(`filter tick → next frame:       ${fmtStats(f.tickToNextFrameMs)}`);
console.log(`filter results rendered per tick: median ${f.resultsRendered.median}, max ${f.resultsRendered.max}; most sections for one symptom: ${f.mostSectionsForOneSymptom}`);
console.log(`search index: manifest ${result.files['search manifest']} B, ${result.files['search shards']} shards (${fmtStats(result.files['shard bytes'], 'B')}), docs ${fmtStats(result.files['doc bytes'], 'B')}, whole index ${result.files['whole index bytes']} B`);
console.log(`search latency per keystroke (typed, incl. script loads): ${fmtStats(s.keystrokeLatencyMs)}`);
console.log(`  of which keystrokes answered from loaded files: ${fmtStats(s.keystrokeNoNewFilesMs)}`);
console.log(`  of which keystrokes that loaded index files:    ${fmtStats(s.keystrokeLoadingFilesMs)}`);
console.log(`search latency, query pasted at once: ${fmtStats(s.pastedQueryLatencyMs)}`);
console.log(`  pasted, stages (ms since the input event, medians): manifest ${fmt(s.pastedStagesMs.manifest.median)}, shards ${fmt(s.pastedStagesMs.shards.median)}, ranked ${fmt(s.pastedStagesMs.ranked.median)}, docs ${fmt(s.pastedStagesMs.docs.median)}`);
console.log(`bytes per query, pasted: ${fmtStats(s.bytesPerQueryPasted, 'B')}; gzip ${fmtStats(s.bytesPerQueryPastedGz, 'B')}`);
console.log(`bytes per query, typed key by key: ${fmtStats(s.bytesPerQueryTyped, 'B')}; gzip ${fmtStats(s.bytesPerQueryTypedGz, 'B')}`);
for (const q of s.queries) {
  console.log(`  "${q.query}" → ${q.results} results, first: ${q.first ?? '-'}; pasted ${q.pastedFiles} files ${q.pastedBytes} B (${q.pastedBytesGz} gz); typed ${q.typedFiles} files ${q.typedBytes} B; keystroke median ${fmt(q.typedKeystrokeMs.median)} ms`);
}
if (f.errors.length) console.log(`page errors: ${f.errors.join('; ')}`);
console.log(`JSON: ${path.join(WORK, 'browser-bench.json')}`);
