// fixbook search: the box in every page's header, and the full results page
// (search.html). Reads the index written by src/index/search/: a manifest,
// term shards (postings with BM25F scores computed at build time), vocabulary
// shards (for typos in the first letter and "did you mean") and one doc file
// per section. Each is a classic script calling `fixbookSearch.*` (JSONP
// style), the only way to load data that also works from file://. A query
// loads only the shards of its terms and the doc files of the results shown.
(function () {
  'use strict';

  var RESULTS = 8; // in the header panel
  var PAGE = 20; // per page of search.html
  var RERANK = 8; // top results whose docs are read for exact-title checks
  var ANNOUNCE_DELAY = 700;
  var text = window.fixbookText;
  var common = window.fixbookCommon;
  var script = document.currentScript;
  var base = new URL('../', script.src).href; // the site root
  var indexBase = base + '_fixbook/search/';

  var manifest = null;
  var keyIndex = Object.create(null);
  var vocabIndex = Object.create(null);
  var shards = Object.create(null);
  var vocab = Object.create(null);
  var docs = Object.create(null);
  var loading = Object.create(null); // url → [callbacks]

  var api = (window.fixbookSearch = {
    manifest: function (m) {
      manifest = m;
      m.k.forEach(function (k, i) { keyIndex[k] = i; });
      (m.w || []).forEach(function (k, i) { vocabIndex[k] = i; });
    },
    shard: function (i, data) { shards[i] = data; },
    vocab: function (i, data) { vocab[i] = data; },
    doc: function (i, data) { docs[i] = data; },
    // Measurements for the browser tests and the benchmark.
    // stages: ms from the keystroke to the manifest, shards and doc files
    // being loaded, and to the results being rendered.
    stats: { lastQuery: '', lastLatencyMs: 0, stages: null, scriptsLoaded: [] },
  });

  // Each file is loaded once; callers asking while it loads wait for it.
  function load(url, done) {
    if (loading[url] === true) return done();
    if (loading[url]) return loading[url].push(done);
    loading[url] = [done];
    common.loadScript(url, function () {
      var waiting = loading[url];
      loading[url] = true;
      api.stats.scriptsLoaded.push(url);
      waiting.forEach(function (f) { f(); });
    });
  }

  function loadAll(urls, done) {
    var left = urls.length;
    if (!left) return done();
    urls.forEach(function (u) { load(u, function () { if (--left === 0) done(); }); });
  }

  function cps(s) { return Array.from(s); }
  function lang() { return (manifest && manifest.s) || ''; }

  // The shard of a term: the longest key the term starts with.
  function shardFor(term) {
    var c = cps(term);
    for (var k = c.length; k > 0; k--) {
      var i = keyIndex[c.slice(0, k).join('')];
      if (i !== undefined) return i;
    }
    return -1;
  }

  // The query as terms: {raw, t (index form), last (being typed), optional}.
  // Stop words are left out, except a last word still being typed, which is
  // only a prefix ("no" on the way to "network") and so optional.
  function parse(query) {
    var typing = !/\s$/.test(query);
    var raws = text.queryTerms(query);
    var out = [];
    raws.forEach(function (raw, i) {
      var last = typing && i === raws.length - 1;
      var t = text.term(raw, lang());
      if (t === null) {
        if (last && cps(raw).length >= 2) out.push({ raw: raw, t: raw, last: true, optional: true });
        return;
      }
      out.push({ raw: raw, t: t, last: last, optional: false });
    });
    // Only stop words: search them as written (an index without them finds nothing).
    if (!out.length && raws.length) out = raws.map(function (r) { return { raw: r, t: r, last: false, optional: false }; });
    return out;
  }

  // Shards to look in for a query term: its own (stemmed and as typed), and
  // for words long enough to allow typos those of the word with two of its
  // first three letters swapped ("udpate" → "update").
  function shardsFor(q, extra, typos) {
    var out = [];
    var add = function (t) {
      var i = shardFor(t);
      if (i >= 0 && out.indexOf(i) < 0) out.push(i);
    };
    add(q.t);
    add(q.raw);
    if ((typos || q.typos) && text.allowedTypos(q.raw) > 0) {
      var c = cps(q.raw);
      for (var k = 0; k < 2 && k + 1 < c.length; k++) {
        var v = c.slice();
        v[k] = c[k + 1];
        v[k + 1] = c[k];
        add(v.join(''));
      }
    }
    (extra || []).forEach(add);
    return out;
  }

  // How well index term `term` matches query term q: 1 exact, less for the
  // word being typed (a prefix) or a typo, 0 for no match.
  function quality(q, term) {
    if (term === q.t || term === q.raw) return 1;
    var n = cps(q.raw).length;
    if (q.last) {
      // A longer word the typed one starts: less the more it adds, and much
      // less when the typed word is itself a term (it may be finished).
      if (n >= 2 && term.indexOf(q.raw) === 0) return (q.known ? 0.3 : 0.8) * Math.sqrt(n / cps(term).length);
      // The typed word runs past its stem: "configura" → "configur".
      var tn = cps(term).length;
      if (!q.known && tn >= 3 && q.raw.indexOf(term) === 0 && n - tn <= 3) return 0.9;
    }
    if (q.optional) return 0;
    var max = text.allowedTypos(q.raw);
    if (max === 0) return 0;
    var d = text.prefixDistance(q.t, term, max);
    if (d.full <= max) return d.full === 1 ? 0.6 : 0.45;
    if (q.last) {
      var d2 = text.prefixDistance(q.raw, term, max);
      if (d2.prefix <= max && n >= 4) return d2.prefix === 1 ? 0.5 : 0.35;
    }
    return 0;
  }

  // Postings of every index term matching q, in the loaded shards:
  // section → {score, passage, flags}; and whether any match was exact or a
  // prefix (not only a typo), and the best typo match.
  function matchTerm(q, extra) {
    var best = new Map();
    if (q.last && q.known === undefined) {
      var own = shards[shardFor(q.t)];
      var rawOwn = shards[shardFor(q.raw)];
      q.known = !!((own && own[q.t]) || (rawOwn && rawOwn[q.raw]));
    }
    var direct = false;
    var typo = null;
    var terms = [];
    shardsFor(q, extra && extra.map(function (e) { return e.term; })).forEach(function (si) {
      var shard = shards[si];
      if (!shard) return;
      for (var term in shard) {
        var qual = quality(q, term);
        var fix = extra && extra.filter(function (e) { return e.term === term; })[0];
        if (!qual && fix) qual = 0.4;
        if (!qual) continue;
        if (term === q.t || term === q.raw || (q.last && (term.indexOf(q.raw) === 0 || q.raw.indexOf(term) === 0))) direct = true;
        else if (!typo || qual > typo.q) typo = { term: term, q: qual };
        terms.push(term);
        var postings = shard[term];
        var section = 0;
        for (var i = 0; i < postings.length; i += 3) {
          section += postings[i];
          var v = postings[i + 2];
          var score = (v >> 2) * qual;
          var cur = best.get(section);
          if (!cur || score > cur.score) best.set(section, { score: score, passage: postings[i + 1], flags: v & 3 });
        }
      }
    });
    return { best: best, direct: direct, typo: typo, terms: terms };
  }

  // Vocabulary shards that may hold the intended word of a misspelt q: by
  // its 2nd and 3rd letters (the first one wrong), and by its 1st and 2nd
  // (the first one missing).
  function vocabKeysFor(word) {
    var c = cps(word);
    var keys = [c.slice(1, 3).join(''), c.slice(0, 2).join('')];
    return keys.map(function (k) { return vocabIndex[k]; }).filter(function (i) { return i !== undefined; });
  }

  // The closest vocabulary words to q: [{term, written, d, df}], best first.
  function corrections(q) {
    var max = Math.max(1, text.allowedTypos(q.raw));
    var out = [];
    vocabKeysFor(q.t).concat(vocabKeysFor(q.raw)).forEach(function (vi) {
      (vocab[vi] || []).forEach(function (e) {
        if (out.some(function (o) { return o.term === e[0]; })) return;
        var d = Math.min(text.prefixDistance(q.t, e[0], max).full, text.prefixDistance(q.raw, e[0], max).full);
        if (d <= max) out.push({ term: e[0], written: e[2] || e[0], d: d, df: e[1] });
      });
    });
    out.sort(function (a, b) { return a.d - b.d || b.df - a.df || (a.term < b.term ? -1 : 1); });
    return out.slice(0, 3);
  }

  // The written form of an index term, from its vocabulary shard.
  function writtenForm(term) {
    var vi = vocabIndex[cps(term).slice(1, 3).join('')];
    var e = vi !== undefined && (vocab[vi] || []).filter(function (x) { return x[0] === term; })[0];
    return e ? e[2] || e[0] : null;
  }

  // Ranks sections for parsed terms: sections holding every required term
  // first, among them those whose title (or else symptom label) holds all of
  // them; then by summed BM25F score. Returns {list, matched, suggestion}.
  function rank(terms, fixes, pre) {
    var required = terms.filter(function (q) { return !q.optional; }).length;
    var bySection = new Map();
    var matched = Object.create(null); // index terms that matched, for highlights
    var suggestion = [];
    var corrected = false;
    terms.forEach(function (q, qi) {
      var m = fixes[qi] && fixes[qi].length ? matchTerm(q, fixes[qi]) : pre[qi];
      m.terms.forEach(function (t) { matched[t] = true; });
      var word = q.raw;
      if (!q.optional && !m.direct) {
        var fix = (fixes[qi] || [])[0];
        // A typo match suggests its word only where the vocabulary is loaded.
        if (m.typo && (!fix || fix.d >= 1)) word = writtenForm(m.typo.term) || word;
        else if (fix) word = fix.written;
        if (word !== q.raw) corrected = true;
      }
      suggestion.push(word);
      m.best.forEach(function (hit, section) {
        var e = bySection.get(section);
        if (!e) {
          e = { section: section, cover: 0, title: 0, label: 0, score: 0, passages: new Map() };
          bySection.set(section, e);
        }
        if (!q.optional) {
          e.cover += 1;
          if (hit.flags & 1) e.title += 1;
          if (hit.flags & 3) e.label += 1;
        }
        e.score += hit.score;
        var p = e.passages.get(hit.passage) || { n: 0, score: 0 };
        p.n += 1;
        p.score += hit.score;
        e.passages.set(hit.passage, p);
      });
    });
    var list = Array.from(bySection.values());
    list.forEach(function (e) {
      var all = required > 0 && e.cover === required;
      e.all = all ? 1 : 0;
      e.tier = all && e.title === required ? 2 : all && e.label === required ? 1 : 0;
      // The passage holding most query terms, then the best-scoring one.
      var bestP = 0;
      var bestV = null;
      e.passages.forEach(function (v, p) {
        if (!bestV || v.n > bestV.n || (v.n === bestV.n && v.score > bestV.score)) { bestV = v; bestP = p; }
      });
      e.passage = bestP;
    });
    list.sort(function (a, b) {
      // Partial matches rank by score alone: BM25F already weighs how many
      // and which (rarer, better placed) terms a section holds.
      return b.all - a.all || b.tier - a.tier || b.score - a.score || a.section - b.section;
    });
    return { list: list, matched: matched, suggestion: corrected ? suggestion.join(' ') : '' };
  }

  // Index terms of a string, for comparing titles with the query.
  function termsOf(str) {
    return text.tokenize(str).filter(function (t) { return !t.compound; }).map(function (t) { return text.term(t.t, lang()); }).filter(function (t) { return t !== null; });
  }

  // Among the best results, exact title matches first, then titles holding
  // the query's words in order (a phrase); the rest keep their order.
  function rerank(ranked, terms) {
    var want = terms.filter(function (q) { return !q.optional && !q.last; }).map(function (q) { return q.t; });
    var typed = terms.filter(function (q) { return !q.optional; }).map(function (q) { return q.t; });
    if (!typed.length) return;
    var head = ranked.list.slice(0, RERANK);
    head.forEach(function (e, i) {
      var doc = docs[e.section];
      e.exact = 0;
      e.order = i;
      if (!doc) return;
      var title = termsOf(doc.t);
      var joined = ' ' + title.join(' ') + ' ';
      var phrase = ' ' + typed.join(' ') + ' ';
      var lastQ = terms[terms.length - 1];
      var exact = title.length === typed.length && title.every(function (t, k) {
        return t === typed[k] || (k === typed.length - 1 && lastQ && lastQ.last && t.indexOf(lastQ.raw) === 0);
      });
      if (exact && e.cover >= want.length) e.exact = 2;
      else if (typed.length > 1 && joined.indexOf(phrase) >= 0) e.exact = 1;
    });
    head.sort(function (a, b) { return b.exact - a.exact || a.order - b.order; });
    for (var i = 0; i < head.length; i++) ranked.list[i] = head[i];
  }

  // Runs a query: manifest, shards, corrections for misspelt words, docs of
  // the results from `from` to `from + count`. Calls done(ranked, stages),
  // unless stale() says a newer query started.
  function search(query, from, count, stale, done) {
    var started = performance.now();
    var stages = {};
    load(indexBase + 'index.js', function () {
      if (stale() || !manifest) return;
      stages.manifest = performance.now() - started;
      var terms = parse(query);
      if (!terms.length) return done({ list: [], matched: {}, suggestion: '' }, stages, terms);
      var need = [];
      terms.forEach(function (q) {
        shardsFor(q).forEach(function (i) { if (need.indexOf(i) < 0) need.push(i); });
      });
      var shardUrl = function (i) { return indexBase + 'terms/' + i + '.js'; };
      loadAll(need.map(shardUrl), function () {
        if (stale()) return;
        stages.shards = performance.now() - started;
        // Words with no exact or prefix match: look up the vocabulary.
        // Words with no exact or prefix match: the shards of their swapped
        // spellings too (a second, small load only on a miss).
        var swaps = [];
        terms.forEach(function (q) {
          if (q.optional || matchTerm(q).direct) return;
          q.typos = true;
          shardsFor(q).forEach(function (i) { if (!shards[i] && swaps.indexOf(i) < 0) swaps.push(i); });
        });
        loadAll(swaps.map(shardUrl), function () {
        if (stale()) return;
        var pre = terms.map(function (q) { return matchTerm(q); });
        // Words with no match at all, not even a typo: the vocabulary.
        var misses = terms.map(function (q, i) { return !q.optional && !pre[i].direct && !pre[i].typo && cps(q.raw).length >= 3; });
        var vocabNeed = [];
        terms.forEach(function (q, i) {
          if (!misses[i]) return;
          var m = pre[i];
          var keys = vocabKeysFor(q.t).concat(vocabKeysFor(q.raw));
          keys.forEach(function (k) { if (vocabNeed.indexOf(k) < 0) vocabNeed.push(k); });
        });
        loadAll(vocabNeed.map(function (i) { return indexBase + 'vocab/' + i + '.js'; }), function () {
          if (stale()) return;
          var fixes = terms.map(function (q, i) { return misses[i] ? corrections(q) : null; });
          var more = [];
          fixes.forEach(function (f) {
            (f || []).forEach(function (c) {
              var si = shardFor(c.term);
              if (si >= 0 && more.indexOf(si) < 0 && !shards[si]) more.push(si);
            });
          });
          loadAll(more.map(shardUrl), function () {
            if (stale()) return;
            var ranked = rank(terms, fixes, pre);
            stages.ranked = performance.now() - started;
            var head = ranked.list.slice(0, Math.max(RERANK, from + count));
            var docUrls = function (list) { return list.map(function (h) { return indexBase + 'docs/' + h.section + '.js'; }); };
            loadAll(docUrls(from === 0 ? head : ranked.list.slice(0, RERANK)), function () {
              if (stale()) return;
              rerank(ranked, terms);
              loadAll(docUrls(ranked.list.slice(from, from + count)), function () {
                if (stale()) return;
                stages.docs = performance.now() - started;
                done(ranked, stages, terms);
              });
            });
          });
        });
        });
      });
    });
  }

  // Appends `str` to `parent`, wrapping matched terms in <mark>. Text only:
  // guide content never becomes markup.
  function highlighted(parent, str, matched) {
    var ranges = text.tokenize(str).filter(function (t) {
      var term = text.term(t.t, lang());
      return matched[t.t] || (term !== null && matched[term]);
    });
    ranges.sort(function (a, b) { return a.s - b.s || b.e - a.e; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r.s < pos) return;
      if (r.s > pos) parent.appendChild(document.createTextNode(str.slice(pos, r.s)));
      var m = document.createElement('mark');
      m.textContent = str.slice(r.s, r.e);
      parent.appendChild(m);
      pos = r.e;
    });
    if (pos < str.length) parent.appendChild(document.createTextNode(str.slice(pos)));
  }

  // A short window of the passage around its first match.
  function excerpt(str, matched, max) {
    if (str.length <= max) return str;
    var first = text.tokenize(str).filter(function (t) {
      var term = text.term(t.t, lang());
      return matched[t.t] || (term !== null && matched[term]);
    })[0];
    var start = first ? Math.max(0, first.s - 50) : 0;
    if (start > 0) {
      var space = str.indexOf(' ', start);
      start = space >= 0 && space < first.s ? space + 1 : start;
    }
    var end = Math.min(str.length, start + max);
    var cut = str.lastIndexOf(' ', end);
    if (end < str.length && cut > start + 40) end = cut;
    return (start > 0 ? '… ' : '') + str.slice(start, end) + (end < str.length ? ' …' : '');
  }

  // One result as a list item: title, folder and heading or step, excerpt.
  function resultItem(hit, matched, excerptChars) {
    var doc = docs[hit.section];
    if (!doc) return null;
    var passage = doc.p[hit.passage] && doc.p[hit.passage][1] ? doc.p[hit.passage] : doc.p[0] || [0, ''];
    var anchor = doc.a[passage[0]] || ['', ''];
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = base + doc.u + (anchor[0] ? '#' + encodeURIComponent(anchor[0]) : '');
    var title = document.createElement('span');
    title.className = 'search-title';
    highlighted(title, doc.t, matched);
    a.appendChild(title);
    if (doc.f || anchor[1]) {
      var where = document.createElement('span');
      where.className = 'search-where';
      if (doc.f) {
        var folder = document.createElement('span');
        folder.className = 'search-folder';
        folder.textContent = doc.f;
        where.appendChild(folder);
      }
      if (doc.f && anchor[1]) where.appendChild(document.createTextNode(' › '));
      if (anchor[1]) highlighted(where, anchor[1], matched);
      a.appendChild(where);
    }
    if (passage[1]) {
      var ex = document.createElement('span');
      ex.className = 'search-excerpt';
      highlighted(ex, excerpt(passage[1], matched, excerptChars), matched);
      a.appendChild(ex);
    }
    li.appendChild(a);
    return li;
  }

  function pageUrl(query, page) {
    return base + 'search.html?q=' + encodeURIComponent(query) + (page > 1 ? '&page=' + page : '');
  }

  // A "Did you mean" paragraph: a link that runs the corrected query.
  function suggestInto(el, suggestion, onPick) {
    el.textContent = '';
    el.hidden = !suggestion;
    if (!suggestion) return;
    el.appendChild(document.createTextNode('Did you mean '));
    var a = document.createElement('a');
    a.href = pageUrl(suggestion, 1);
    a.textContent = suggestion;
    a.addEventListener('click', function (e) {
      if (!onPick) return;
      e.preventDefault();
      onPick(suggestion);
    });
    a.className = 'search-suggestion';
    el.appendChild(a);
    el.appendChild(document.createTextNode('?'));
  }

  function count(n) { return n === 1 ? '1 result' : n + ' results'; }

  // The header box and its panel.
  function initBox() {
    var form = document.getElementById('site-search');
    if (!form || !text || !common) return;
    var input = document.getElementById('site-search-q');
    var panel = document.getElementById('site-search-panel');
    var results = document.getElementById('site-search-results');
    var empty = document.getElementById('site-search-empty');
    var suggest = document.getElementById('site-search-suggest');
    var more = document.getElementById('site-search-more');
    var announce = common.announcer(document.getElementById('site-search-status'), ANNOUNCE_DELAY);
    var seq = 0;
    form.hidden = false;

    // Keeps the panel inside the window: as wide as fits, shifted left when
    // the box sits near the right edge.
    function place() {
      if (panel.hidden) return;
      var margin = 8;
      var vw = document.documentElement.clientWidth;
      var box = form.getBoundingClientRect();
      panel.style.left = '0px';
      var width = Math.min(panel.offsetWidth, vw - 2 * margin);
      panel.style.maxWidth = vw - 2 * margin + 'px';
      var left = 0;
      if (box.left + width > vw - margin) left = vw - margin - width - box.left;
      if (box.left + left < margin) left = margin - box.left;
      panel.style.left = Math.round(left) + 'px';
    }
    function close() { panel.hidden = true; }
    function open() {
      panel.hidden = false;
      place();
    }
    window.addEventListener('resize', place);
    function links() { return Array.prototype.slice.call(results.querySelectorAll('a')); }

    function render(query, ranked, started, stages) {
      results.textContent = '';
      ranked.list.slice(0, RESULTS).forEach(function (hit) {
        var li = resultItem(hit, ranked.matched, 170);
        if (li) results.appendChild(li);
      });
      var n = results.children.length;
      var total = ranked.list.length;
      empty.hidden = n > 0;
      if (!n) empty.textContent = 'No matches for “' + query + '”.';
      suggestInto(suggest, ranked.suggestion, function (s) {
        input.value = s;
        run();
        input.focus();
      });
      more.textContent = '';
      more.hidden = total <= n;
      if (total > n) {
        var a = document.createElement('a');
        a.href = pageUrl(query, 1);
        a.textContent = 'All ' + total + ' results';
        more.appendChild(a);
      }
      results.setAttribute('data-query', query);
      open();
      announce(n === 0 ? 'No results' : total > n ? count(total) + ', best ' + n + ' shown' : count(n));
      api.stats.lastQuery = query;
      api.stats.lastLatencyMs = performance.now() - started;
      api.stats.stages = stages;
      form.dispatchEvent(new CustomEvent('fixbook-search-done', { detail: { query: query, ms: api.stats.lastLatencyMs } }));
    }

    function run() {
      var query = input.value;
      var my = ++seq;
      var started = performance.now();
      if (!text.queryTerms(query).length) {
        results.textContent = '';
        results.removeAttribute('data-query');
        close();
        return;
      }
      search(query, 0, RESULTS, function () { return my !== seq; }, function (ranked, stages) {
        render(query, ranked, started, stages);
      });
    }

    input.addEventListener('input', run);
    // Start loading the manifest as soon as the reader shows interest.
    input.addEventListener('focus', function () { load(indexBase + 'index.js', function () {}); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      // Enter opens the first result only while the list is showing (not
      // after Escape closed it).
      if (panel.hidden || results.getAttribute('data-query') !== input.value) return;
      var first = links()[0];
      if (first) window.location.href = first.href;
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && !panel.hidden) {
        var first = links()[0];
        if (first) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === 'Escape') {
        if (!panel.hidden) {
          e.preventDefault();
          close();
        }
      }
    });
    results.addEventListener('keydown', function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        all[Math.min(i + 1, all.length - 1)].focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (i === 0) input.focus();
        else all[i - 1].focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        input.focus(); // before closing: focusing the box reopens the list
        close();
      }
    });
    form.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
        // Leaving the search box by Tab or a click elsewhere closes the list.
        setTimeout(function () { if (!form.contains(document.activeElement)) close(); }, 0);
      }
    });
    input.addEventListener('focus', function () {
      if (results.children.length && input.value) open();
    });
    // header.js loads this script when the reader turns to the box (`/` is
    // header.js's too): they may have typed already, or be in the box.
    if (input.value) run();
    else if (document.activeElement === input) load(indexBase + 'index.js', function () {});
  }

  // search.html: every result, PAGE at a time, for ?q=…&page=…
  function initPage() {
    var root = document.getElementById('search-page');
    if (!root || !text || !common) return;
    var form = document.getElementById('search-page-form');
    var input = document.getElementById('search-page-q');
    var list = document.getElementById('search-page-results');
    var status = document.getElementById('search-page-status');
    var suggest = document.getElementById('search-page-suggest');
    var pager = document.getElementById('search-page-pager');
    var seq = 0;
    root.hidden = false;
    var params = new URLSearchParams(window.location.search);
    input.value = params.get('q') || '';
    var page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);

    function show(query, pageNo) {
      var my = ++seq;
      list.textContent = '';
      pager.textContent = '';
      suggestInto(suggest, '');
      if (!text.queryTerms(query).length) {
        status.textContent = 'Type what you are looking for.';
        return;
      }
      status.textContent = 'Searching…';
      search(query + ' ', (pageNo - 1) * PAGE, PAGE, function () { return my !== seq; }, function (ranked) {
        var total = ranked.list.length;
        var pages = Math.max(1, Math.ceil(total / PAGE));
        pageNo = Math.min(pageNo, pages);
        var from = (pageNo - 1) * PAGE;
        var finish = function () {
          if (my !== seq) return;
          list.textContent = '';
          list.start = from + 1;
          ranked.list.slice(from, from + PAGE).forEach(function (hit) {
            var li = resultItem(hit, ranked.matched, 320);
            if (li) list.appendChild(li);
          });
          status.textContent = total === 0 ? 'No matches for “' + query + '”.' : total <= PAGE ? count(total) + ' for “' + query + '”.' :
            count(total) + ' for “' + query + '”, ' + (from + 1) + '–' + Math.min(total, from + PAGE) + ' shown.';
          suggestInto(suggest, ranked.suggestion);
          list.setAttribute('data-query', query);
          if (pages > 1) {
            var ul = document.createElement('ul');
            for (var p = 1; p <= pages; p++) {
              var li = document.createElement('li');
              var a = document.createElement('a');
              a.href = pageUrl(query, p);
              a.textContent = String(p);
              if (p === pageNo) a.setAttribute('aria-current', 'page');
              li.appendChild(a);
              ul.appendChild(li);
            }
            pager.appendChild(ul);
          }
        };
        // A page past the first needs its own doc files.
        loadAll(ranked.list.slice(from, from + PAGE).map(function (h) { return indexBase + 'docs/' + h.section + '.js'; }), finish);
      });
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var url = pageUrl(input.value, 1);
      try {
        window.history.pushState(null, '', url);
      } catch (err) {
        // Some browsers refuse history changes on file:// pages.
      }
      show(input.value, 1);
    });
    window.addEventListener('popstate', function () {
      var p = new URLSearchParams(window.location.search);
      input.value = p.get('q') || '';
      show(input.value, Math.max(1, parseInt(p.get('page') || '1', 10) || 1));
    });
    show(input.value, page);
  }

  // The engine without a page: ranked sections for a query (tests, tools).
  api.query = function (query, count, done) {
    search(query, 0, count, function () { return false; }, function (ranked) {
      done(ranked.list.slice(0, count).map(function (e) {
        var d = docs[e.section];
        return { section: e.section, title: d && d.t, url: d && d.u, cover: e.cover, tier: e.tier, exact: e.exact || 0, score: e.score };
      }), ranked.suggestion);
    });
  };

  function init() {
    initBox();
    initPage();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
