#!/usr/bin/env python3
"""Converts a raw corpus of tests/corpora (Learn, MkDocs, Docusaurus, mdBook) into a fixbook guide for the
relevance bench, until `fixbook import` exists: titles from front matter, else the first H1 outside code,
else the MkDocs nav; summaries from `description`; MDX imports/JSX lines, admonition markers and corpus-internal
link targets dropped (their words kept). Not part of fixbook.

Usage: convert_corpus.py FORMAT SRC OUT   (the bench: --import 'python3 bench/relevance/convert_corpus.py {format} {src} {out}')
"""
import os, re, sys, json, yaml
fmt, src, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, 'guide.toml'), 'w').write('title = "%s"\n' % os.path.basename(src.rstrip('/')))
n = 0
navtitles = {}
if fmt == 'mkdocs' and os.path.exists(os.path.join(src, 'mkdocs.yml')):
    class L(yaml.SafeLoader): pass
    L.add_multi_constructor('', lambda loader, suffix, node: None)
    nav = (yaml.load(open(os.path.join(src, 'mkdocs.yml')), Loader=L) or {}).get('nav') or []
    def walk(items):
        for it in items if isinstance(items, list) else [items]:
            if isinstance(it, dict):
                for k, v in it.items():
                    if isinstance(v, str): navtitles['docs/' + v] = k
                    else: walk(v)
    walk(nav)
for dp, dn, fn in os.walk(src):
    dn[:] = [d for d in dn if not d.startswith('.') and d not in ('node_modules', 'theme')]
    for f in fn:
        if not f.endswith(('.md', '.mdx')) or f in ('SUMMARY.md',) or f.upper() in ('README.MD', 'LICENSE.MD', 'ATTRIBUTION.MD'):
            continue
        rel = os.path.relpath(os.path.join(dp, f), src)
        if rel == 'index.md':
            continue
        text = open(os.path.join(dp, f), encoding='utf-8', errors='replace').read().replace('\r\n', '\n')
        fm = {}
        m = re.match(r'^---\n(.*?)\n---\n', text, re.S)
        if m:
            try:
                fm = yaml.safe_load(m.group(1)) or {}
            except Exception:
                fm = {}
            text = text[m.end():]
        if not isinstance(fm, dict): fm = {}
        title = fm.get('title')
        h1 = None
        fence = False
        pos = 0
        for line in text.split('\n'):
            if re.match(r'^\s*(```|~~~)', line): fence = not fence
            mm = re.match(r'^# +(.+?)\s*#*\s*$', line)
            if not fence and mm:
                h1 = type('M', (), {'group': lambda self, i, v=mm.group(1): v, 'start': lambda self, p=pos: p, 'end': lambda self, p=pos + len(line): p})()
                break
            pos += len(line) + 1
        if not title and h1: title = h1.group(1)
        if not title and rel in navtitles: title = navtitles[rel]
        if h1: text = text[:h1.start()] + text[h1.end():]
        if not title: title = os.path.splitext(f)[0].replace('-', ' ')
        title = re.sub(r'[`*_]', '', str(title)).strip()
        # MDX imports/exports and JSX-only lines, mkdocs/docusaurus admonition markers.
        text = re.sub(r'^(import|export) .*$', '', text, flags=re.M)
        text = re.sub(r'^\s*</?[A-Z][A-Za-z.]*[^>]*>\s*$', '', text, flags=re.M)
        text = re.sub(r'^:::.*$', '', text, flags=re.M)
        text = re.sub(r'^(!!!|\?\?\?\+?) *(\w+)(?: +"([^"]*)")?', lambda m: m.group(3) or '', text, flags=re.M)
        text = re.sub(r'\{%.*?%\}', '', text)
        # Links and images inside the corpus: keep the words only.
        text = re.sub(r'!\[([^\]]*)\]\([^)]*\)', r'\1', text)
        text = re.sub(r'\[([^\]]+)\]\((?!https?:)[^)]*\)', r'\1', text)
        text = re.sub(r'\[([^\]]+)\]\[[^\]]*\]', r'\1', text)
        text = re.sub(r'<img[^>]*>', '', text)
        desc = fm.get('description') or ''
        head = {'title': title}
        if desc: head['summary'] = re.sub(r'\s+', ' ', str(desc)).strip()
        dest = os.path.join(out, os.path.splitext(rel)[0] + '.md')
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        open(dest, 'w').write('---\n' + yaml.safe_dump(head, allow_unicode=True, width=10000) + '---\n' + text)
        n += 1
print(json.dumps({'format': fmt, 'sections': n}))
