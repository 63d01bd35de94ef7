// fixbook text matching shared by search.js and filter.js: the same
// tokenising as the Rust index builder (src/search.rs), and typo-tolerant
// prefix matching. A classic script (no modules) so pages work from file://.
(function () {
  'use strict';

  // Han and kana: one term per character (no spaces between words). Must
  // match `is_cjk` in src/search.rs.
  var CJK = /[\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2fa1f}]/u;
  var WORD = /[\p{Alphabetic}\p{M}\p{N}]/u;
  var JOINER = /[-./\\_'’:@+#]/;

  function normalize(word) {
    return word.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').toLowerCase().replace(/ς/g, 'σ');
  }

  function keep(term) {
    var cps = Array.from(term);
    if (cps.length === 0) return false;
    if (cps.length === 1) return /\p{N}/u.test(cps[0]) || CJK.test(cps[0]);
    return true;
  }

  // Terms of `text` with their UTF-16 ranges: [{t, s, e, compound}]. Parts of
  // a compound (`Wi-Fi`) come first, then the compound itself.
  function tokenize(text) {
    var out = [];
    var compound = []; // [{t, s, e}]
    var word = '';
    var wordStart = 0;
    var afterJoiner = false;
    function flushCompound() {
      if (compound.length > 1) {
        var joined = compound.map(function (w) { return w.t; }).join('');
        if (keep(joined)) out.push({ t: joined, s: compound[0].s, e: compound[compound.length - 1].e, compound: true });
      }
      compound = [];
    }
    function pushWord(end) {
      var t = normalize(word);
      if (keep(t)) out.push({ t: t, s: wordStart, e: end });
      if (t) compound.push({ t: t, s: wordStart, e: end });
      word = '';
    }
    var i = 0;
    var chars = Array.from(text + ' ');
    for (var k = 0; k < chars.length; k++) {
      var c = chars[k];
      var len = c.length;
      if (CJK.test(c)) {
        if (word) pushWord(i);
        flushCompound();
        var t = normalize(c);
        if (keep(t)) out.push({ t: t, s: i, e: i + len });
        afterJoiner = false;
      } else if (WORD.test(c)) {
        if (!word && !afterJoiner) flushCompound();
        if (!word) wordStart = i;
        word += c;
        afterJoiner = false;
      } else {
        var hadWord = !!word;
        if (hadWord) pushWord(i);
        if (JOINER.test(c) && hadWord) {
          afterJoiner = true;
        } else {
          afterJoiner = false;
          flushCompound();
        }
      }
      i += len;
    }
    return out;
  }

  // Query terms: like the index, but a compound replaces its parts (a
  // reader typing "wi-fi" means the one word).
  function queryTerms(text) {
    var toks = tokenize(text);
    var out = [];
    toks.forEach(function (tok) {
      if (tok.compound) {
        out = out.filter(function (o) { return o.e <= tok.s || o.s >= tok.e; });
      }
      out.push(tok);
    });
    var seen = {};
    return out.map(function (o) { return o.t; }).filter(function (t) {
      if (seen[t]) return false;
      seen[t] = true;
      return true;
    });
  }

  // How many typos a query term of this length may contain.
  function allowedTypos(q) {
    var n = Array.from(q).length;
    return n >= 8 ? 2 : n >= 4 ? 1 : 0;
  }

  // Edit distance (insert, delete, substitute, swap neighbours) between the
  // query `q` and the closest *prefix* of `word`, or Infinity when above
  // `max`. The distance to the whole word is returned as `.full`.
  function prefixDistance(q, word, max) {
    var a = Array.from(q);
    var b = Array.from(word);
    var n = a.length;
    var m = b.length;
    if (n === 0) return { prefix: 0, full: m };
    var prev2 = null;
    var prev = new Array(m + 1);
    for (var j = 0; j <= m; j++) prev[j] = j;
    var cur;
    for (var i = 1; i <= n; i++) {
      cur = new Array(m + 1);
      cur[0] = i;
      var rowMin = cur[0];
      for (var j2 = 1; j2 <= m; j2++) {
        var cost = a[i - 1] === b[j2 - 1] ? 0 : 1;
        var v = Math.min(prev[j2] + 1, cur[j2 - 1] + 1, prev[j2 - 1] + cost);
        if (prev2 && i > 1 && j2 > 1 && a[i - 1] === b[j2 - 2] && a[i - 2] === b[j2 - 1]) v = Math.min(v, prev2[j2 - 2] + 1);
        cur[j2] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return { prefix: Infinity, full: Infinity };
      prev2 = prev;
      prev = cur;
    }
    var best = Infinity;
    for (var j3 = 0; j3 <= m; j3++) if (prev[j3] < best) best = prev[j3];
    return { prefix: best <= max ? best : Infinity, full: prev[m] <= max ? prev[m] : Infinity };
  }

  // How well one query term matches one word: 1 exact, less for a prefix or
  // typos, 0 for no match. The last term of a query may be unfinished.
  function matchQuality(q, word, isLast) {
    if (q === word) return 1;
    var qn = Array.from(q).length;
    if (word.indexOf(q) === 0) return isLast || qn >= 3 ? 0.75 : 0;
    var max = allowedTypos(q);
    if (max === 0) return 0;
    var d = prefixDistance(q, word, max);
    if (d.full <= max) return d.full === 1 ? 0.6 : 0.45;
    if (d.prefix <= max && (isLast || qn >= 4)) return d.prefix === 1 ? 0.5 : 0.35;
    return 0;
  }

  window.fixbookText = {
    normalize: normalize,
    tokenize: tokenize,
    queryTerms: queryTerms,
    prefixDistance: prefixDistance,
    matchQuality: matchQuality,
    allowedTypos: allowedTypos,
  };
})();
