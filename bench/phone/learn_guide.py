#!/usr/bin/env python3
"""Turns tests/corpora/learn-windows-networking into a fixbook guide for the
phone-layout benchmark (bench/phone/measure.mjs): a real guide of 211
articles with folders, a long intro with a table and ~60 symptoms.

Throwaway conversion, not an importer (issue 12 owns `fixbook import`):
- folder = the article's `ms.custom: sap:` category, with an index.md
  (title, summary) when the fixbook being measured reads folder index files;
- title/summary = front-matter title/description;
- symptoms = the 60 most frequent title words (stop words dropped), each
  article fixing the ones in its title, grouped by their commonest folder;
- the body keeps its Markdown; links and DocFX includes/images that would
  not resolve inside the guide become plain text.

Usage: learn_guide.py OUT_DIR [--no-folder-index]
"""
import collections, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, '..', '..', 'tests', 'corpora', 'learn-windows-networking', 'support', 'windows-server', 'networking')
STOP = set('a an the and or of to in on for with when you your is are be not can cannot after from by as at it its this that how use using windows server error issue issues fails failed does doesn\'t'.split())

def front(text):
    m = re.match(r'---\n(.*?)\n---\n', text, re.S)
    meta = {}
    for line in m.group(1).splitlines():
        if ':' in line:
            k, v = line.split(':', 1)
            meta[k.strip()] = v.strip().strip('"')
    return meta, text[m.end():]

def clean(body):
    body = re.sub(r'\[!INCLUDE[^\n]*\]', '', body)
    body = re.sub(r':::image[^\n]*?:::', '', body)
    body = re.sub(r'!\[([^\]]*)\]\([^)]*\)', r'\1', body)
    body = re.sub(r'(?<!!)\[([^\]]+)\]\((?!https?:)[^)]*\)', r'\1', body)
    body = re.sub(r'<a id="[^"]*"></a>', '', body)
    body = re.sub(r'^# .*\n', '', body, count=1, flags=re.M)
    return body

def main():
    out = sys.argv[1]
    folder_index = '--no-folder-index' not in sys.argv
    arts = []
    for name in sorted(os.listdir(SRC)):
        if not name.endswith('.md'):
            continue
        meta, body = front(open(os.path.join(SRC, name), encoding='utf-8').read())
        sap = re.search(r'sap:([^,]+)', meta.get('ms.custom', ''))
        folder = (sap.group(1) if sap else 'general').replace('/', '-').replace('.', '')
        folder = '-'.join(folder.split('-')[:3])
        words = [w for w in re.findall(r"[a-z0-9][a-z0-9'.-]*[a-z0-9]", meta['title'].lower()) if w not in STOP and len(w) > 2]
        arts.append(dict(name=name, title=meta['title'], desc=meta.get('description', ''), folder=folder, words=list(dict.fromkeys(words)), body=clean(body)))
    freq = collections.Counter(w for a in arts for w in a['words'])
    terms = [w for w, _ in freq.most_common(60)]
    home = {}
    for t in terms:
        home[t] = collections.Counter(a['folder'] for a in arts if t in a['words']).most_common(1)[0][0]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'guide.toml'), 'w') as f:
        f.write('title = "Windows Server networking troubleshooting"\ndescription = "Fixes for DNS, DHCP, SMB, remote access and TCP/IP problems on Windows Server."\nlanguage = "en"\n')
    with open(os.path.join(out, 'symptoms.yml'), 'w') as f:
        f.write('symptoms:\n')
        for t in terms:
            f.write(f'  - id: {re.sub("[^a-z0-9]+", "-", t).strip("-")}\n    label: "Problem with {t}"\n    group: "{home[t].replace("-", " ").title()}"\n')
    folders = sorted(set(a['folder'] for a in arts))
    with open(os.path.join(out, 'index.md'), 'w') as f:
        f.write('These are the Windows Server networking support articles: name resolution, address assignment, file shares, remote access and the TCP/IP stack. Each article describes one problem, why it happens and how to resolve it.\n\n')
        f.write('Before you start, collect the basics: the exact error text or code, the Windows Server version, whether the problem affects one client or many, and what changed recently (updates, new hardware, a changed policy). Most articles ask for the output of `ipconfig /all` and the event logs.\n\n')
        f.write('| Area | What it covers | Articles |\n|---|---|---|\n')
        for d in folders:
            n = sum(1 for a in arts if a['folder'] == d)
            f.write(f'| {d.replace("-", " ").title()} | Problems in the {d.replace("-", " ")} area | {n} |\n')
        f.write('\nIf nothing here matches, collect a network trace with `netsh trace start capture=yes` and contact support.\n')
    for d in folders:
        os.makedirs(os.path.join(out, d), exist_ok=True)
        if folder_index:
            with open(os.path.join(out, d, 'index.md'), 'w') as f:
                f.write(f'---\ntitle: "{d.replace("-", " ").title()}"\nsummary: "Articles about {d.replace("-", " ")}."\n---\n')
    for a in arts:
        syms = [re.sub('[^a-z0-9]+', '-', t).strip('-') for t in terms if t in a['words']][:4]
        title = a['title'].replace('\\', '').replace('"', "'")
        desc = a['desc'].replace('\\', '').replace('"', "'")
        with open(os.path.join(out, a['folder'], a['name']), 'w', encoding='utf-8') as f:
            f.write(f'---\ntitle: "{title}"\nsummary: "{desc}"\n')
            if syms:
                f.write('symptoms: [' + ', '.join(syms) + ']\n')
            f.write('---\n' + a['body'])

main()
