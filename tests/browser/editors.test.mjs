// Editor integration, with the tools editors really run: yaml-language-server
// (VS Code's YAML extension, Neovim's yamlls, Helix) over its stdio LSP, and
// Taplo (Even Better TOML, the taplo LSP) as its CLI. What `fixbook init`
// writes — the schemas in .fixbook/schema/, the modeline atop symptoms.yml,
// .vscode/settings.json, the #:schema directive atop guide.toml — must make
// them report a mistake where the author made it, stay quiet on a clean
// file, complete symptom ids and show the schema's descriptions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { fixbookBin, nodeModules, tmpDir } from './harness.mjs';

const TIMEOUT_MS = 20_000;

function fixbook(...args) {
  const r = spawnSync(fixbookBin(), args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `fixbook ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh guide made by `fixbook init`. */
function starterGuide() {
  const guide = path.join(tmpDir('fixbook-editors-'), 'wifi-help');
  fixbook('init', guide);
  return guide;
}

/** A minimal LSP client for yaml-language-server over stdio (JSON-RPC with Content-Length framing). */
class YamlLanguageServer {
  constructor(root, settings) {
    const bin = path.join(nodeModules, 'yaml-language-server', 'bin', 'yaml-language-server');
    assert.ok(fs.existsSync(bin), `yaml-language-server missing at ${bin}; run npm ci in tests/browser`);
    this.proc = spawn(process.execPath, [bin, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.root = root;
    this.settings = settings;
    this.buffer = Buffer.alloc(0);
    this.nextId = 0;
    this.pending = new Map();
    this.diagnostics = new Map();
    this.listeners = new Set();
    this.stderr = '';
    this.proc.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.proc.stdout.on('data', (chunk) => this.receive(chunk));
  }

  send(message) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request(method, params) {
    const id = ++this.nextId;
    this.send({ id, method, params });
    return withTimeout(new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })), `${method} answered`, this);
  }

  notify(method, params) {
    this.send({ method, params });
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headEnd).toString())[1]);
      if (this.buffer.length < headEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headEnd + 4 + length);
      this.handle(message);
    }
  }

  handle(message) {
    if (message.id !== undefined && message.method === undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(JSON.stringify(message.error)));
      else waiter?.resolve(message.result);
    } else if (message.method === 'workspace/configuration') {
      // What VS Code answers: the settings of each requested section.
      this.send({ id: message.id, result: message.params.items.map((item) => this.settings[item.section] ?? null) });
    } else if (message.method === 'textDocument/publishDiagnostics') {
      this.diagnostics.set(message.params.uri, message.params);
      for (const listener of this.listeners) listener(message.params);
    } else if (message.id !== undefined) {
      this.send({ id: message.id, result: null }); // registerCapability, progress and the like
    }
  }

  async start() {
    const rootUri = pathToFileURL(this.root).href;
    await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(this.root) }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { completion: { completionItem: { snippetSupport: false } }, hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: {} },
      },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: this.settings });
  }

  /** Opens (or replaces) a document and waits for the diagnostics of that version. */
  async diagnose(file, text) {
    const uri = pathToFileURL(file).href;
    this.version = (this.version ?? 0) + 1;
    const version = this.version;
    const published = new Promise((resolve) => {
      const listener = (params) => {
        if (params.uri === uri && (params.version === undefined || params.version === version)) {
          this.listeners.delete(listener);
          resolve(params.diagnostics);
        }
      };
      this.listeners.add(listener);
    });
    if (this.opened?.has(uri)) {
      this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    } else {
      (this.opened ??= new Set()).add(uri);
      this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    }
    return withTimeout(published, `diagnostics for ${path.basename(file)}`, this);
  }

  async stop() {
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } finally {
      this.proc.kill();
    }
  }
}

function withTimeout(promise, what, server) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr:\n${server.stderr}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** VS Code's view of .vscode/settings.json: dotted keys become nested sections. */
function vscodeSettings(guide) {
  const flat = JSON.parse(fs.readFileSync(path.join(guide, '.vscode', 'settings.json'), 'utf8'));
  const nested = {};
  for (const [key, value] of Object.entries(flat)) {
    const [section, ...rest] = key.split('.');
    nested[section] ??= {};
    nested[section][rest.join('.')] = value;
  }
  return nested;
}

const BAD_CATALOG = [
  'symptoms:', //                                       line 0 (no modeline: only the settings map it)
  '  - id: Wi-Fi Drops', //                              line 1: not an id
  '    label: Wi-Fi keeps dropping',
  '    alias: [disconnects]', //                         line 3: unknown key
  '',
].join('\n');

function lines(diagnostics) {
  return diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).sort();
}

test('VS Code settings: yaml-language-server checks symptoms.yml against the schema init wrote', async () => {
  const guide = starterGuide();
  const server = new YamlLanguageServer(guide, vscodeSettings(guide));
  try {
    await server.start();
    const file = path.join(guide, 'symptoms.yml');
    const clean = fs.readFileSync(file, 'utf8').split('\n').slice(1).join('\n'); // without its modeline
    assert.deepEqual(await server.diagnose(file, clean), [], 'the starter catalog is clean');
    const found = lines(await server.diagnose(file, BAD_CATALOG));
    assert.ok(found.some((l) => l.startsWith('1: ') && /pattern/i.test(l)), `the bad id is flagged on its line: ${found.join(' | ')}`);
    assert.ok(found.some((l) => l.startsWith('3: ') && /alias/.test(l)), `the unknown key is flagged on its line: ${found.join(' | ')}`);
  } finally {
    await server.stop();
  }
});

test('the modeline atop symptoms.yml works without any editor settings', async () => {
  const guide = starterGuide();
  const server = new YamlLanguageServer(guide, { yaml: { validate: true } });
  try {
    await server.start();
    const file = path.join(guide, 'symptoms.yml');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text.split('\n')[0], /^# yaml-language-server: \$schema=/);
    assert.deepEqual(await server.diagnose(file, text), []);
    const broken = text.replace('    label: Internet is slow\n', '    label: Internet is slow\n    colour: red\n');
    const found = lines(await server.diagnose(file, broken));
    const line = broken.split('\n').findIndex((l) => l.includes('colour'));
    assert.ok(found.some((l) => l.startsWith(`${line}: `) && /colour/.test(l)), found.join(' | '));
  } finally {
    await server.stop();
  }
});

test('front matter handed to yaml-language-server (as otter.nvim does) is checked, completed and explained', async () => {
  const guide = starterGuide();
  // The schema for this guide: its catalog's ids, so they complete.
  const schemaFile = path.join(guide, '.fixbook', 'schema', 'front-matter.json');
  fs.writeFileSync(schemaFile, fixbook('schema', 'front-matter', '--guide', guide));
  // otter.nvim puts a Markdown file's front matter in a hidden buffer named `<file>.otter.yml`.
  const server = new YamlLanguageServer(guide, { yaml: { validate: true, completion: true, hover: true, schemas: { [schemaFile]: '*.md.otter.yml' } } });
  try {
    await server.start();
    const section = fs.readFileSync(path.join(guide, 'wifi', 'interference.md'), 'utf8');
    const frontMatter = section.split('---\n')[1];
    const buffer = path.join(guide, 'wifi', 'interference.md.otter.yml');
    assert.deepEqual(await server.diagnose(buffer, frontMatter), [], 'the starter section is clean');

    const bad = frontMatter.replace('weight: 20', 'weight: high').replace('symptoms: [wifi-keeps-dropping]', 'symptoms: [wifi-keeps-droping]') + 'sidebar_position: 3\n';
    const found = lines(await server.diagnose(buffer, bad));
    const lineOf = (needle) => bad.split('\n').findIndex((l) => l.includes(needle));
    for (const needle of ['weight: high', 'wifi-keeps-droping', 'sidebar_position']) {
      assert.ok(found.some((l) => l.startsWith(`${lineOf(needle)}: `)), `${needle} flagged on line ${lineOf(needle)}: ${found.join(' | ')}`);
    }

    // Completion offers the catalog's ids; hover shows the field's doc comment.
    const draft = 'title: Check the cable\nsymptoms:\n  - \n';
    await server.diagnose(buffer, draft);
    const completion = await server.request('textDocument/completion', { textDocument: { uri: pathToFileURL(buffer).href }, position: { line: 2, character: 4 } });
    const labels = (completion.items ?? completion).map((item) => item.label);
    for (const id of ['wifi-keeps-dropping', 'internet-is-slow']) assert.ok(labels.includes(id), `${id} offered: ${labels.join(', ')}`);
    const hover = await server.request('textDocument/hover', { textDocument: { uri: pathToFileURL(buffer).href }, position: { line: 0, character: 2 } });
    assert.match(JSON.stringify(hover.contents), /the reader's words/, 'the hover is the `title` field doc comment');
  } finally {
    await server.stop();
  }
});

test('Taplo follows the #:schema directive atop guide.toml', () => {
  const guide = starterGuide();
  const taplo = path.join(nodeModules, '.bin', 'taplo');
  assert.ok(fs.existsSync(taplo), `taplo missing at ${taplo}; run npm ci in tests/browser`);
  const lint = () => spawnSync(taplo, ['lint', '--colors', 'never', 'guide.toml'], { cwd: guide, encoding: 'utf8' });
  const clean = lint();
  assert.equal(clean.status, 0, `the starter guide.toml is clean:\n${clean.stderr}`);

  const file = path.join(guide, 'guide.toml');
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace('language = "en"', 'language = "English (UK)"\nbase_url = "ftp://files.example.net/"') + '\n[lint]\nlong_stpe = false\n');
  const bad = lint();
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stderr, /"English \(UK\)" does not match/);
  assert.match(bad.stderr, /"ftp:\/\/files\.example\.net\/" does not match/);
  assert.match(bad.stderr, /long_stpe/);
  // fixbook check reports the same file as broken.
  const check = spawnSync(fixbookBin(), ['check', guide], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(check.status, 1, check.stderr);
});
