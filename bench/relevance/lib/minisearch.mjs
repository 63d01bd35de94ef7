// MiniSearch (BM25+) over the same section fields fixbook indexes, run in
// node. The configuration is what a site owner following MiniSearch's README
// would write; it is recorded in the results so a run can be reproduced.

import MiniSearch from 'minisearch';

// A short English stop-word list (MiniSearch ships none; its docs show this
// pattern). Without it "not", "in", "the" match half of every corpus.
const STOP_WORDS = new Set(
  ('a an and are as at be but by can cant s t do does dont for from has have how i if in into is it its my no not of on or ' +
    'so than that the their then there these this to was what when where which while who why will with you your').split(' '),
);

export const MINISEARCH_OPTIONS = {
  fields: ['title', 'summary', 'headings', 'symptoms', 'aliases', 'settings', 'body'],
  storeFields: [],
  processTerm: 'lowercase, apostrophes removed, English stop words dropped',
  searchOptions: {
    boost: { title: 5, symptoms: 3, aliases: 2.5, settings: 2, headings: 2, summary: 1.5, body: 1 },
    fuzzy: 0.2,
    prefix: true,
    combineWith: 'OR',
  },
};

function processTerm(term) {
  const t = term.toLowerCase().replace(/['’]/g, '');
  return t && !STOP_WORDS.has(t) ? t : null;
}

/** Builds the index; returns {search(q, k) -> [key], ms}. */
export function buildMiniSearch(sections) {
  const t0 = performance.now();
  const ms = new MiniSearch({
    fields: MINISEARCH_OPTIONS.fields,
    storeFields: [],
    idField: 'key',
    processTerm,
    searchOptions: { ...MINISEARCH_OPTIONS.searchOptions, processTerm },
  });
  ms.addAll(sections);
  const buildMs = performance.now() - t0;
  return {
    buildMs,
    search(query, k) {
      return ms.search(query).slice(0, k).map((r) => r.id);
    },
  };
}
