// fixbook search box (every page). Reads the index written by src/search.rs:
// a manifest of term-prefix shard keys, one shard per key and one doc file per
// section. Each is a classic script calling `fixbookSearch.*` (JSONP style),
// the only way to load data that also works from file://. A query loads only
// the shards of its terms and the doc files of the results it shows.
(function () {
  'use strict';

  var RESULTS = 8;
  var ANNOUNCE_DELAY = 700;
  var text = window.fixbookText;
  var common = window.fixbookCommon;
  var script = document.currentScript;
  var base = new URL('../', script.src).href; // the site root
  var indexBase = base + '_fixbook/search/';

  var manifest = null;
  var keyIndex = Object.create(null);
  var shards = Object.create(null);
  var docs = Object.create(null);
  var loading = Object.create(null); // url → [callbacks]
  var seq = 0;

  var api = (window.fixbookSearch = {
    manifest: function (m) {
      manifest = m;
      m.k.forEach(function (k, i) { keyIndex[k] = i; });
    },
    shard: function (i, data) { shards[i] = data; },
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

  // The shard of a term: the longest key the term starts with.
  function shardFor(term) {
    var cps = Array.from(term);
    for (var k = cps.length; k > 0; k--) {
      var i = keyIndex[cps.slice(0, k).join('')];
      if (i !== undefined) return i;
    }
    return -1;
  }

  // Shards to look in for a term: its own, and for words long enough to
  // allow typos those of the term with two of its first four letters swapped
  // ("udpate" → "update"), since a shard only holds terms with its key.
  function shardsFor(term) {
    var out = [];
    var add = function (t) {
      var i = shardFor(t);
      if (i >= 0 && out.indexOf(i) < 0) out.push(i);
    };
    add(term);
    if (text.allowedTypos(term) > 0) {
      var cps = Array.from(term);
      for (var k = 0; k < 3 && k + 1 < cps.length; k++) {
        var v = cps.slice();
        v[k] = cps[k + 1];
        v[k + 1] = cps[k];
        add(v.join(''));
      }
    }
    return out;
  }

  // Ranks sections: first by how many query terms they match, then by score
  // (field weights and rarity from the build, times match quality).
  function rank(terms) {
    var bySection = new Map();
    var matched = Object.create(null); // index terms that matched, for highlights
    terms.forEach(function (q, qi) {
      var isLast = qi === terms.length - 1;
      var best = new Map();
      shardsFor(q).forEach(function (si) {
      var shard = shards[si];
      if (!shard) return;
      for (var term in shard) {
        var quality = text.matchQuality(q, term, isLast);
        if (!quality) continue;
        matched[term] = true;
        var postings = shard[term];
        var section = 0;
        for (var i = 0; i < postings.length; i += 3) {
          section += postings[i];
          var score = postings[i + 2] * quality;
          var cur = best.get(section);
          if (!cur || score > cur.score) best.set(section, { score: score, passage: postings[i + 1] });
        }
      }
      });
      best.forEach(function (hit, section) {
        var e = bySection.get(section);
        if (!e) bySection.set(section, (e = { section: section, cover: 0, score: 0, passage: hit.passage, top: 0 }));
        e.cover += 1;
        e.score += hit.score;
        if (hit.score > e.top) {
          e.top = hit.score;
          e.passage = hit.passage;
        }
      });
    });
    var list = Array.from(bySection.values());
    list.sort(function (a, b) { return b.cover - a.cover || b.score - a.score || a.section - b.section; });
    return { list: list, matched: matched };
  }

  // Appends `str` to `parent`, wrapping matched terms in <mark>. Text only:
  // guide content never becomes markup.
  function highlighted(parent, str, matched) {
    var ranges = text.tokenize(str).filter(function (t) { return matched[t.t]; });
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
  function excerpt(str, matched) {
    var MAX = 170;
    if (str.length <= MAX) return str;
    var first = text.tokenize(str).filter(function (t) { return matched[t.t]; })[0];
    var start = first ? Math.max(0, first.s - 50) : 0;
    if (start > 0) {
      var space = str.indexOf(' ', start);
      start = space >= 0 && space < first.s ? space + 1 : start;
    }
    var end = Math.min(str.length, start + MAX);
    var cut = str.lastIndexOf(' ', end);
    if (end < str.length && cut > start + 40) end = cut;
    return (start > 0 ? '… ' : '') + str.slice(start, end) + (end < str.length ? ' …' : '');
  }

  function init() {
    var form = document.getElementById('site-search');
    if (!form || !text || !common) return;
    var input = document.getElementById('site-search-q');
    var panel = document.getElementById('site-search-panel');
    var results = document.getElementById('site-search-results');
    var empty = document.getElementById('site-search-empty');
    var status = document.getElementById('site-search-status');
    form.hidden = false;
    var announce = common.announcer(status, ANNOUNCE_DELAY);

    function close() {
      panel.hidden = true;
    }

    function open() {
      panel.hidden = false;
    }

    function links() {
      return Array.prototype.slice.call(results.querySelectorAll('a'));
    }

    function render(query, ranked, started, stages) {
      results.textContent = '';
      var top = ranked.list.slice(0, RESULTS);
      top.forEach(function (hit) {
        var doc = docs[hit.section];
        if (!doc) return;
        var passage = doc.p[hit.passage] || doc.p[0];
        var anchor = doc.a[passage[0]] || ['', ''];
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = base + doc.u + (anchor[0] ? '#' + encodeURIComponent(anchor[0]) : '');
        var title = document.createElement('span');
        title.className = 'search-title';
        highlighted(title, doc.t, ranked.matched);
        a.appendChild(title);
        if (anchor[1]) {
          var where = document.createElement('span');
          where.className = 'search-where';
          highlighted(where, anchor[1], ranked.matched);
          a.appendChild(where);
        }
        if (passage[1]) {
          var ex = document.createElement('span');
          ex.className = 'search-excerpt';
          highlighted(ex, excerpt(passage[1], ranked.matched), ranked.matched);
          a.appendChild(ex);
        }
        li.appendChild(a);
        results.appendChild(li);
      });
      var n = results.children.length;
      empty.hidden = n > 0;
      if (!n) empty.textContent = 'No matches for “' + query + '”.';
      results.setAttribute('data-query', query);
      open();
      var more = ranked.list.length > n ? ' (best ' + n + ' of ' + ranked.list.length + ' shown)' : '';
      announce(n === 0 ? 'No results' : n === 1 ? '1 result' : n + ' results' + more);
      api.stats.lastQuery = query;
      api.stats.lastLatencyMs = performance.now() - started;
      api.stats.stages = stages;
      form.dispatchEvent(new CustomEvent('fixbook-search-done', { detail: { query: query, ms: api.stats.lastLatencyMs } }));
    }

    function run() {
      var query = input.value;
      var my = ++seq;
      var started = performance.now();
      var terms = text.queryTerms(query);
      if (!terms.length) {
        results.textContent = '';
        results.removeAttribute('data-query');
        close();
        return;
      }
      var stages = {};
      load(indexBase + 'index.js', function () {
        if (my !== seq || !manifest) return;
        stages.manifest = performance.now() - started;
        var need = [];
        terms.forEach(function (t) {
          shardsFor(t).forEach(function (i) {
            if (need.indexOf(i) < 0) need.push(i);
          });
        });
        loadAll(need.map(function (i) { return indexBase + 'terms/' + i + '.js'; }), function () {
          if (my !== seq) return;
          stages.shards = performance.now() - started;
          var ranked = rank(terms);
          stages.ranked = performance.now() - started;
          var top = ranked.list.slice(0, RESULTS);
          loadAll(top.map(function (h) { return indexBase + 'docs/' + h.section + '.js'; }), function () {
            if (my !== seq) return;
            stages.docs = performance.now() - started;
            render(query, ranked, started, stages);
          });
        });
      });
    }

    input.addEventListener('input', run);
    // Start loading the manifest as soon as the reader shows interest.
    input.addEventListener('focus', function () { load(indexBase + 'index.js', function () {}); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
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
    // `/` focuses the search box, except while typing in a field.
    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
    if (input.value) run();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
