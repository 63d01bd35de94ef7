// Search relevance benchmark: fixbook's in-browser search, MiniSearch and
// Pagefind on the same guides and the same judged queries, in one run.
// See bench/relevance/README.md for the options, the query files and what
// each number means.
//
//   node bench/relevance/run.mjs [--bin [LABEL=]target/release/fixbook]... [--corpus guide,synthetic-10k]
//        [--guide NAME=DIR]... [--import 'TEMPLATE'] [--map NAME=FILE]...
//        [--engines fixbook,minisearch,pagefind] [--k 10] [--paste] [--limit N]
//        [--work /tmp/fixbook-relevance] [--out FILE] [--misses]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const browserHarness = path.join(repoRoot, 'tests', 'browser', 'harness.mjs');
if (!fs.existsSync(path.join(here, 'node_modules', 'minisearch'))) {
  console.error('MiniSearch and Pagefind are missing: run `npm ci --prefix bench/relevance`');
  process.exit(2);
}
if (!fs.existsSync(path.join(repoRoot, 'tests', 'browser', 'node_modules', 'playwright-core'))) {
  console.error('playwright-core is missing: run `npm ci --prefix tests/browser` (the bench drives Chromium through tests/browser/harness.mjs)');
  process.exit(2);
}
const { launch, serve } = await import(pathToFileURL(browserHarness).href);
const { buildMiniSearch, MINISEARCH_OPTIONS } = await import('./lib/minisearch.mjs');
const { buildPagefind, pagefindSearcher, PAGEFIND_OPTIONS } = await import('./lib/pagefind.mjs');
const { fixbookSearcher } = await import('./lib/fixbook.mjs');
const { distribution, firstRelevantRank, relevance } = await import('./lib/metrics.mjs');
const { idMapper, readGuide } = await import('./lib/sections.mjs');

// --- options -------------------------------------------------------------------------
const argv = process.argv.slice(2);
const opts = { guide: {}, map: {}, corpus: [], bins: [], engines: ['fixbook', 'minisearch', 'pagefind'] };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  const pair = (v) => {
    const eq = v.indexOf('=');
    if (eq < 1) usage(`${a} takes NAME=PATH, got "${v}"`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  };
  if (a === '--bin') {
    const v = val();
    const eq = v.indexOf('=');
    opts.bins.push(eq > 0 && !v.slice(0, eq).includes('/') ? { label: v.slice(0, eq), path: v.slice(eq + 1) } : { label: '', path: v });
  }
  else if (a === '--corpus') opts.corpus.push(...val().split(',').filter(Boolean));
  else if (a === '--guide') { const [k, v] = pair(val()); opts.guide[k] = path.resolve(v); }
  else if (a === '--map') { const [k, v] = pair(val()); opts.map[k] = path.resolve(v); }
  else if (a === '--import') opts.import = val();
  else if (a === '--engines') opts.engines = val().split(',').filter(Boolean);
  else if (a === '--k') opts.k = Number(val());
  else if (a === '--paste') opts.paste = true;
  else if (a === '--limit') opts.limit = Number(val());
  else if (a === '--work') opts.work = path.resolve(val());
  else if (a === '--out') opts.out = path.resolve(val());
  else if (a === '--misses') opts.misses = true;
  else if (a === '-h' || a === '--help') usage();
  else usage(`unknown option ${a}`);
}
function usage(msg) {
  if (msg) console.error(`error: ${msg}\n`);
  const src = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  console.error(src.slice(0, 10).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(msg ? 2 : 0);
}
for (const e of opts.engines) if (!['fixbook', 'minisearch', 'pagefind'].includes(e)) usage(`unknown engine ${e}`);
const K = opts.k ?? 10;
// Several binaries (--bin before=... --bin after=...) each build their own site
// and each run as an engine `fixbook:<label>`; the first one also imports.
if (!opts.bins.length) opts.bins.push({ label: '', path: process.env.FIXBOOK_BIN ?? path.join(repoRoot, 'target', 'release', 'fixbook') });
if (opts.bins.length > 1 && opts.bins.some((b) => !b.label)) usage('with several --bin, label each one: --bin before=PATH --bin after=PATH');
for (const b of opts.bins) {
  b.path = path.resolve(b.path);
  b.engine = b.label ? `fixbook:${b.label}` : 'fixbook';
  if (!fs.existsSync(b.path)) usage(`fixbook binary ${b.path} not found: run \`cargo build --release\` or pass --bin`);
}
const BIN = opts.bins[0].path;
const ENGINES = [...(opts.engines.includes('fixbook') ? opts.bins.map((b) => b.engine) : []), ...opts.engines.filter((e) => e !== 'fixbook')];
const WORK = opts.work ?? path.join(os.tmpdir(), 'fixbook-relevance');
const GEN = process.env.FIXBOOK_GEN_CORPUS ?? '/work/shared/bench/gen_corpus.py';

function run(cmd, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' }, ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - t0 };
}
const lines = (s) => (s ? s.split('\n').filter((l) => l.trim()).length : 0);

// The import command: --import, else `fixbook import` when the binary has it.
function importTemplate() {
  if (opts.import) return opts.import;
  const probe = run(BIN, ['import', '--help']);
  return probe.status === 0 ? '{bin} import {src} -o {out}' : null;
}
const IMPORT = importTemplate();

// --- corpora -------------------------------------------------------------------------
const queryDir = path.join(here, 'queries');
const corpora = fs
  .readdirSync(queryDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(queryDir, f), 'utf8')))
  .filter((c) => !opts.corpus.length || opts.corpus.includes(c.corpus));
for (const name of opts.corpus) if (!corpora.some((c) => c.corpus === name)) usage(`no query file for corpus ${name} in ${queryDir}`);

/** The guide folder for a corpus, or {skip: reason}. */
function prepareGuide(c) {
  const dir = path.join(WORK, c.corpus);
  fs.mkdirSync(dir, { recursive: true });
  if (opts.guide[c.corpus]) return { guide: opts.guide[c.corpus], how: 'given with --guide' };
  if (c.generate) {
    const out = path.join(WORK, `synthetic-${c.generate.sections}-seed-${c.generate.seed}`);
    const guide = path.join(out, 'fixbook', 'guide');
    if (!fs.existsSync(path.join(guide, 'symptoms.yml'))) {
      console.error(`[${c.corpus}] generating ${c.generate.sections} sections ...`);
      const r = run('python3', [GEN, '--sections', String(c.generate.sections), '--seed', String(c.generate.seed), '--out', out, '--layouts', 'fixbook']);
      if (r.status !== 0) throw new Error(`gen_corpus.py failed:\n${r.stderr}`);
    }
    return { guide, how: `generated by gen_corpus.py --sections ${c.generate.sections} --seed ${c.generate.seed}` };
  }
  const src = path.resolve(repoRoot, c.source);
  if (c.format === 'fixbook') return { guide: src, how: 'a fixbook guide in the repository' };
  if (!IMPORT) return { skip: `no guide: pass --guide ${c.corpus}=DIR or --import 'CMD {src} {out}' (this fixbook has no \`import\`)` };
  const out = path.join(dir, 'guide');
  fs.rmSync(out, { recursive: true, force: true });
  const quote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
  const filled = IMPORT.replace(/\{(bin|format|src|out|name)\}/g, (_, k) => quote({ bin: BIN, format: c.format, src, out, name: c.corpus }[k]));
  const r = run('sh', ['-c', filled]);
  if (r.status !== 0) return { skip: `import failed (${r.status}): ${filled}\n${r.stderr.slice(-2000)}` };
  return { guide: out, how: `imported: ${filled}`, importMs: r.ms, importLog: (r.stdout + r.stderr).trim().split('\n').slice(-5) };
}

// --- run -----------------------------------------------------------------------------
const browser = ENGINES.some((e) => e !== 'minisearch') ? await launch() : null;
const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, loadavgStart: os.loadavg(), node: process.version, chromium: browser?.version() ?? null, note: 'shared 2-core machine; timings are indicative' },
  fixbook: opts.bins.map((b) => ({ engine: b.engine, bin: b.path, version: run(b.path, ['--version']).stdout.trim() })),
  gitHead: run('git', ['-C', repoRoot, 'rev-parse', 'HEAD']).stdout.trim(),
  engines: ENGINES,
  k: K,
  typed: !opts.paste,
  options: { minisearch: MINISEARCH_OPTIONS, pagefind: PAGEFIND_OPTIONS, import: IMPORT },
  versions: Object.fromEntries(['minisearch', 'pagefind'].map((p) => [p, JSON.parse(fs.readFileSync(path.join(here, 'node_modules', p, 'package.json'), 'utf8')).version])),
  corpora: [],
};

try {
  for (const c of corpora) {
    const entry = { corpus: c.corpus, title: c.title, format: c.format };
    report.corpora.push(entry);
    const prep = prepareGuide(c);
    if (prep.skip) {
      entry.skipped = prep.skip;
      console.error(`[${c.corpus}] SKIPPED: ${prep.skip}`);
      continue;
    }
    Object.assign(entry, { guide: prep.guide, guideFrom: prep.how, importMs: prep.importMs, importLog: prep.importLog });

    // One site per fixbook binary; Pagefind indexes the first one's pages.
    entry.build = {};
    const sites = {};
    for (const b of opts.bins) {
      const site = path.join(WORK, c.corpus, b.label ? `site-${b.label}` : 'site');
      fs.rmSync(site, { recursive: true, force: true });
      console.error(`[${c.corpus}] building ${prep.guide} with ${b.path} ...`);
      const r = run(b.path, ['build', prep.guide, '-o', site]);
      entry.build[b.engine] = { status: r.status, ms: Math.round(r.ms), outputLines: lines(r.stdout) + lines(r.stderr), lastLine: (r.stdout + r.stderr).trim().split('\n').pop() };
      if (r.status === 0) sites[b.engine] = site;
      else console.error(`[${c.corpus}] ${b.engine}: build failed: ${entry.build[b.engine].lastLine}`);
    }
    const site = sites[opts.bins[0].engine];
    if (!site) {
      entry.skipped = `fixbook build failed: ${entry.build[opts.bins[0].engine].lastLine}`;
      console.error(`[${c.corpus}] SKIPPED: ${entry.skipped}`);
      continue;
    }

    const sections = readGuide(prep.guide);
    const explicit = opts.map[c.corpus] ? JSON.parse(fs.readFileSync(opts.map[c.corpus], 'utf8')) : null;
    const allIds = [...new Set(c.queries.flatMap((q) => q.relevant))];
    const mapper = idMapper(sections, allIds, { docsDir: c.docs_dir ?? '', explicit });
    entry.sections = sections.length;
    entry.unmappedIds = mapper.unmapped;
    if (mapper.unmapped.length) console.error(`[${c.corpus}] WARNING: ${mapper.unmapped.length} judged ids match no section of the guide: ${mapper.unmapped.join(', ')}`);
    const queries = c.queries.slice(0, opts.limit ?? c.queries.length);

    const engines = {};
    if (opts.engines.includes('minisearch')) {
      const m = buildMiniSearch(sections);
      entry.minisearchIndexMs = Math.round(m.buildMs);
      engines.minisearch = async (q) => ({ keys: m.search(q, K) });
    }
    let server;
    let pf;
    if (opts.engines.includes('pagefind')) {
      const p = await buildPagefind(site, sections);
      entry.pagefindIndexMs = Math.round(p.ms);
      server = await serve(site);
      pf = await pagefindSearcher(browser, server.url);
      engines.pagefind = async (q) => ({ keys: await pf.search(q, K) });
    }
    if (opts.engines.includes('fixbook')) {
      for (const b of opts.bins) {
        if (!sites[b.engine]) continue;
        const fb = fixbookSearcher(browser, sites[b.engine]);
        engines[b.engine] = (q) => fb.search(q, K, { typed: !opts.paste });
      }
    }

    console.error(`[${c.corpus}] ${sections.length} sections, ${queries.length} queries, engines: ${Object.keys(engines).join(', ')}`);
    entry.queries = [];
    for (const q of queries) {
      const relevantKeys = new Set(q.relevant.map((id) => mapper.keyOf(id)).filter(Boolean));
      const row = { q: q.q, kind: q.kind, relevant: q.relevant };
      for (const [name, search] of Object.entries(engines)) {
        const r = await search(q.q);
        row[name] = { rank: firstRelevantRank(r.keys, relevantKeys), top: r.keys.slice(0, 3) };
        if (r.keystrokes) Object.assign(row[name], { keystrokesMs: r.keystrokes.map((x) => Math.round(x * 10) / 10), bytes: r.bytes, gzBytes: r.gzBytes, files: r.files });
      }
      entry.queries.push(row);
    }
    await pf?.close();
    await server?.close();

    entry.relevance = {};
    for (const name of Object.keys(engines)) entry.relevance[name] = relevance(entry.queries.map((r) => r[name].rank));
    entry.byKind = {};
    for (const kind of [...new Set(entry.queries.map((r) => r.kind))]) {
      entry.byKind[kind] = Object.fromEntries(Object.keys(engines).map((n) => [n, relevance(entry.queries.filter((r) => r.kind === kind).map((r) => r[n].rank))]));
    }
    entry.fixbookBudget = {};
    for (const name of Object.keys(engines).filter((n) => n.startsWith('fixbook'))) {
      const fbRows = entry.queries.map((r) => r[name]);
      entry.fixbookBudget[name] = {
        bytesPerQuery: distribution(fbRows.map((r) => r.bytes)),
        gzBytesPerQuery: distribution(fbRows.map((r) => r.gzBytes)),
        firstKeystrokeMs: distribution(fbRows.map((r) => r.keystrokesMs?.[0])),
        laterKeystrokesMs: distribution(fbRows.flatMap((r) => r.keystrokesMs?.slice(1) ?? [])),
      };
    }
  }
} finally {
  await browser?.close();
}
report.machine.loadavgEnd = os.loadavg();

// Overall: every query of every corpus that ran counts once.
const ran = report.corpora.filter((c) => c.relevance);
report.overall = Object.fromEntries(
  ENGINES.map((n) => [n, relevance(ran.flatMap((c) => c.queries.map((r) => r[n]?.rank)).filter((x) => x !== undefined))]),
);

// --- output --------------------------------------------------------------------------
const resultsDir = path.join(repoRoot, 'bench', 'results');
let out = opts.out;
if (!out) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const day = report.date.slice(0, 10);
  let n = 1;
  while (fs.existsSync(path.join(resultsDir, `relevance-${day}-${n}.json`))) n++;
  out = path.join(resultsDir, `relevance-${day}-${n}.json`);
}
fs.writeFileSync(out, JSON.stringify(report, null, 1) + '\n');

const f2 = (x) => (x === null || x === undefined ? '  -  ' : x.toFixed(2));
const width = Object.fromEntries(ENGINES.map((e) => [e, Math.max(22, `${e} s@1  s@3   MRR`.length)]));
const head = ['corpus'.padEnd(26), 'n'.padStart(4), ...ENGINES.map((e) => `${e} s@1  s@3   MRR`.padStart(width[e]))].join('  ');
console.log(`\nSearch relevance (k=${K}; queries ${report.typed ? 'typed key by key' : 'pasted'} into fixbook's box; MiniSearch ${report.versions.minisearch}, Pagefind ${report.versions.pagefind})`);
console.log(head);
for (const c of [...report.corpora, { corpus: 'overall', relevance: report.overall }]) {
  if (!c.relevance) {
    console.log(`${c.corpus.padEnd(26)}  skipped: ${c.skipped}`);
    continue;
  }
  const n = Object.values(c.relevance)[0]?.n ?? 0;
  const cells = ENGINES.map((e) => {
    const r = c.relevance[e];
    return (r ? `${f2(r.s1)}  ${f2(r.s3)}  ${f2(r.mrr)}` : '').padStart(width[e]);
  });
  console.log([c.corpus.padEnd(26), String(n).padStart(4), ...cells].join('  '));
}
const kb = (x) => (x === null || x === undefined ? '-' : `${(x / 1024).toFixed(0)} KB`);
const ms = (x) => (x === null || x === undefined ? '-' : `${x.toFixed(0)} ms`);
for (const c of ran) {
  for (const [name, b] of Object.entries(c.fixbookBudget)) {
  console.log(
    `${name} ${c.corpus} (${c.sections} sections): bytes/query median ${kb(b.bytesPerQuery?.median)}, max ${kb(b.bytesPerQuery?.max)} (gzip median ${kb(b.gzBytesPerQuery?.median)}); ` +
      `first keystroke median ${ms(b.firstKeystrokeMs?.median)}, max ${ms(b.firstKeystrokeMs?.max)}; later keystrokes median ${ms(b.laterKeystrokesMs?.median)}, p95 ${ms(b.laterKeystrokesMs?.p95)}`,
  );
  }
}
if (opts.misses) {
  for (const c of ran) {
    for (const r of c.queries) {
      const missed = ENGINES.filter((e) => r[e] && r[e].rank !== 1);
      if (!missed.length) continue;
      console.log(`[${c.corpus}] "${r.q}" → want ${r.relevant.slice(0, 2).join(' | ')}`);
      for (const e of ENGINES) if (r[e]) console.log(`    ${e.padEnd(10)} rank ${r[e].rank || '-'}  top: ${r[e].top.join(' | ')}`);
    }
  }
}
console.log(`\nJSON: ${path.relative(process.cwd(), out)}`);
