// Reads a fixbook guide folder into plain section records for the engines
// that do not read fixbook's own output (MiniSearch), and maps sections to
// the ids the judged queries use (source paths relative to the raw corpus).
//
// A record: { key, path, title, summary, headings, body, symptoms, aliases,
// settings }, where `key` is the section's path in the guide without its
// extension ("wifi/drops") and `path` the file ("wifi/drops.md"). The built
// page of a section is `<key>.html` (fixbook keeps the guide's layout).

import fs from 'node:fs';
import path from 'node:path';

import MarkdownIt from 'markdown-it';
import YAML from 'yaml';

const md = new MarkdownIt({ html: true });

/** Path without a Markdown extension, '/'-separated. */
export function stripExt(p) {
  return p.split(path.sep).join('/').replace(/\.(md|mdx|markdown)$/i, '');
}

function walk(dir, rel = '', out = []) {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    // A root `theme/` folder holds theme overrides, not sections.
    if (e.isDirectory()) {
      if (!(rel === '' && e.name === 'theme')) walk(dir, r, out);
    } else if (/\.md$/i.test(e.name)) out.push(r);
  }
  return out;
}

function splitFrontMatter(text, file) {
  if (text.startsWith('+++')) {
    throw new Error(`${file}: TOML front matter is not read by the relevance bench; convert the guide to YAML front matter`);
  }
  const m = text.match(/^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/);
  if (!m) return [{}, text];
  const data = YAML.parse(m[1]) ?? {};
  return [typeof data === 'object' ? data : {}, text.slice(m[0].length)];
}

/** Visible text of a Markdown body: headings apart, everything else (code too) as body. */
export function markdownText(body) {
  const headings = [];
  const parts = [];
  const tokens = md.parse(body, {});
  const inlineText = (tok) =>
    (tok.children ?? [])
      .map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'image' ? c.content : c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : ''))
      .join('');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open') {
      // `{#custom-id}` is fixbook's heading-id syntax, not text.
      headings.push(inlineText(tokens[i + 1]).replace(/\s*\{#[^}]*\}\s*$/, '').trim());
      i += 2;
    } else if (t.type === 'inline') {
      parts.push(inlineText(t));
    } else if (t.type === 'fence' || t.type === 'code_block') {
      parts.push(t.content);
    } else if (t.type === 'html_block') {
      // Raw HTML blocks: keep their words for indexing, drop the tags.
      parts.push(t.content.replace(/<[^>]*>/g, ' '));
    }
  }
  return { headings, body: parts.join('\n').replace(/\s+/g, ' ').trim() };
}

function readSymptoms(guideDir) {
  const file = path.join(guideDir, 'symptoms.yml');
  const byId = new Map();
  if (!fs.existsSync(file)) return byId;
  const data = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  for (const s of data.symptoms ?? []) byId.set(s.id, { label: s.label ?? '', aliases: s.aliases ?? [] });
  return byId;
}

/** Every published section of the guide at `guideDir` (drafts and the home page left out). */
export function readGuide(guideDir) {
  const symptoms = readSymptoms(guideDir);
  const sections = [];
  for (const rel of walk(guideDir).sort()) {
    if (rel === 'index.md') continue; // the home page introduction, not a section
    const text = fs.readFileSync(path.join(guideDir, rel), 'utf8');
    const [fm, body] = splitFrontMatter(text, rel);
    if (fm.draft === true) continue;
    const { headings, body: plain } = markdownText(body);
    const ids = Array.isArray(fm.symptoms) ? fm.symptoms : [];
    const known = ids.map((id) => symptoms.get(id)).filter(Boolean);
    sections.push({
      key: stripExt(rel),
      path: rel,
      title: String(fm.title ?? ''),
      summary: String(fm.summary ?? ''),
      headings: headings.join('\n'),
      body: plain,
      symptoms: known.map((s) => s.label).join('\n'),
      aliases: known.flatMap((s) => s.aliases).join('\n'),
      settings: (Array.isArray(fm.settings) ? fm.settings : []).join('\n'),
    });
  }
  return sections;
}

/**
 * Maps judged ids (source paths relative to the raw corpus) to section keys.
 * An id matches a section whose key equals the id without its extension, or
 * the id without the corpus's `docs_dir/` prefix (importers may drop that
 * level). `explicit` (from --map) wins: {guidePath or key: id}.
 * Returns {keyOf(id) -> key or null, unmapped: [ids that match no section]}.
 */
export function idMapper(sections, ids, { docsDir = '', explicit = null } = {}) {
  const keys = new Set(sections.map((s) => s.key));
  const toKey = new Map();
  if (explicit) {
    for (const [guidePath, id] of Object.entries(explicit)) toKey.set(id, stripExt(guidePath));
  }
  const prefix = docsDir ? `${docsDir.replace(/\/+$/, '')}/` : '';
  for (const id of ids) {
    if (toKey.has(id)) continue;
    const bare = stripExt(id);
    const candidates = [bare];
    if (prefix && bare.startsWith(prefix)) candidates.push(bare.slice(prefix.length));
    toKey.set(id, candidates.find((c) => keys.has(c)) ?? null);
  }
  const unmapped = [...toKey].filter(([, k]) => k === null || !keys.has(k)).map(([id]) => id);
  return { keyOf: (id) => (keys.has(toKey.get(id)) ? toKey.get(id) : null), unmapped };
}
