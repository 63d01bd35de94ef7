#!/usr/bin/env python3
"""Writes bench/relevance/queries/synthetic-10k.json from the 10k synthetic guide.

    python3 /work/shared/bench/gen_corpus.py --sections 10000 --out /tmp/synth --layouts fixbook
    python3 bench/relevance/synthetic_queries.py /tmp/synth/fixbook/guide > bench/relevance/queries/synthetic-10k.json

The synthetic guide is made of nonsense words, so its judged queries are
mechanical by design (the other query files are written by hand):
  - exact titles: the title of every 631st section (from the 17th), typed as is;
  - symptom labels: the label of every 211th symptom (from the 5th) in
    symptoms.yml; every section listing that symptom is relevant;
  - misspelt titles: the titles of every 773rd section (from the 300th), with
    typos written by hand in MISSPELT below (swapped, dropped and doubled
    letters, a split word, a US spelling).
An exact or misspelt title accepts every section that has that same title
(the generator repeats some titles: fix-x.md, fix-x-2.md, ...).
The generator is deterministic for --sections and --seed, so the file only
changes when they do.
"""
import json
import os
import re
import sys

SECTIONS = 10000
SEED = 20251125

MISSPELT = {
    'cable-shows-duplicate-items-when-roaming-stuck-power.md': 'cabel shows duplicate itmes when roaming (stuck power)',
    'fitness-does-not-sync-with-a-case-on-old-row.md': 'fitnes does not snyc with a case on old row',
    'fix-compass-shows-a-warning-while-charging-5.md': 'fix: compas shows a warnign while charging',
    'fix-handoff-is-slow-on-cellular-4.md': 'fix handof is slow on celular',
    'fix-music-cannot-sign-in-in-low-power-mode.md': 'fix music cannot sing in in low power mode',
    'fix-sharing-wont-turn-on-on-a-new-network.md': 'fix sharing wont trun on on a new netwrok',
    'fix-wi-fi-plays-no-sound-overnight.md': 'fix wifi plays no sound overnigth',
    'music-cannot-sign-in-in-low-power-mode-slow-voltage.md': 'music cannot sign in low power mode slow voltgae',
    'sync-will-not-pair-after-pairing-missing-alert.md': 'sync will not pair after paring missing alert',
    'when-cellular-is-greyed-out-3.md': 'when celluar is grayed out',
    'when-gps-is-not-detected-with-a-case-on-2.md': 'when gps is not detcted with a case on',
    'when-payments-cannot-join-the-network-on-cellular.md': 'when payements cannot join the network on cellular',
    'when-touchscreen-is-slow-in-low-power-mode.md': 'when touch screen is slow in low power mode',
}


def front_matter(path):
    text = open(path, encoding='utf-8').read()
    m = re.match(r'---\n(.*?)\n---\n', text, re.S)
    fm = m.group(1) if m else ''
    title = re.search(r'^title: "(.*)"$', fm, re.M).group(1)
    syms = re.search(r'^symptoms: \[(.*)\]$', fm, re.M)
    return title, re.findall(r'"([^"]+)"', syms.group(1)) if syms else []


def main():
    guide = sys.argv[1]
    files = sorted(f for f in os.listdir(guide) if f.endswith('.md'))
    meta = {f: front_matter(os.path.join(guide, f)) for f in files}
    by_title, by_symptom = {}, {}
    for f, (title, syms) in meta.items():
        by_title.setdefault(title.lower(), []).append(f)
        for s in syms:
            by_symptom.setdefault(s, []).append(f)
    queries = []
    for i, f in enumerate(files, start=1):
        if i % 631 == 17:
            title = meta[f][0]
            queries.append({'q': title, 'kind': 'exact-title', 'relevant': by_title[title.lower()]})
    labels = re.findall(r'^  - id: (\S+)\n    label: "(.*)"$', open(os.path.join(guide, 'symptoms.yml'), encoding='utf-8').read(), re.M)
    for i, (sid, label) in enumerate(labels, start=1):
        if i % 211 == 5:
            queries.append({'q': label.lower(), 'kind': 'symptom-label', 'relevant': by_symptom.get(sid, []), 'note': 'symptom ' + sid})
    for i, f in enumerate(files, start=1):
        if i % 773 == 300:
            if f not in MISSPELT:
                sys.exit('no hand-written typo for %s: the generator changed; update MISSPELT' % f)
            queries.append({'q': MISSPELT[f], 'kind': 'misspelt-title', 'relevant': by_title[meta[f][0].lower()], 'note': 'title: ' + meta[f][0]})
    out = {
        'corpus': 'synthetic-10k',
        'title': 'Synthetic guide, 10,000 sections (gen_corpus.py)',
        'generate': {'sections': SECTIONS, 'seed': SEED},
        'format': 'fixbook',
        'ids': 'section file name in the generated guide folder (OUT/fixbook/guide)',
        'judging': 'Mechanical by design, see bench/relevance/synthetic_queries.py: exact titles, symptom labels (every section listing the symptom is relevant) and hand-misspelt titles.',
        'queries': queries,
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
