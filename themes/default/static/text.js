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

  // Stop words of English guides: same list as STOP_WORDS in
  // src/index/search/text.rs.
  var STOP = {};
  ('a about after again against all also am an and any are aren arent as at be because been before being both but by can ' +
    'cannot cant could couldnt did didnt do does doesnt doing dont during each either even ever for from further had hadnt ' +
    'has hasnt have havent having he her here hers herself him himself his how i if im in into is isnt it its itself ive ' +
    'just may me might must my myself neither no nor not of once onto or our ours own same shall she should so some such ' +
    'than that the their them themselves then there these they this those through to too until upon very was wasnt we were ' +
    'werent what when where which while who whom whose why will with wont would wouldnt yet you your youre yours yourself').split(' ').forEach(function (w) { STOP[w] = true; });

  // The Snowball English (Porter2) stemmer, as rust-stemmers implements it
  // (the build uses that crate); tests hold both to one word list.
  var Porter2 = (function () {
    var EXC1 = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl', ugly: 'ugli',
      early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos',
      bias: 'bias', andes: 'andes' };
    var EXC2 = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
    function isV(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
    // Short syllable ending at w[i] (inclusive).
    function shortAt(w, i) {
      if (i === 1) return isV(w[0]) && !isV(w[1]);
      if (i < 2) return false;
      var c = w[i];
      return !isV(c) && c !== 'w' && c !== 'x' && c !== 'Y' && isV(w[i - 1]) && !isV(w[i - 2]);
    }
    function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
    function longest(w, list) {
      for (var i = 0; i < list.length; i++) if (ends(w, list[i])) return list[i];
      return null;
    }
    // Suffix lists, longest first so the first hit is the longest match.
    var S2 = [['ational', 'ate'], ['tional', 'tion'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'], ['ization', 'ize'],
      ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'],
      ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'],
      ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']];
    var S3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'],
      ['ness', ''], ['ful', '']];
    var S4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'];
    function find(w, table) {
      for (var i = 0; i < table.length; i++) if (ends(w, table[i][0])) return table[i];
      return null;
    }
    return function (word) {
      if (word.length <= 2) return word;
      if (EXC1[word]) return EXC1[word];
      var w = word.split('');
      if (w[0] === 'y') w[0] = 'Y';
      for (var i = 1; i < w.length; i++) if (w[i] === 'y' && isV(w[i - 1])) w[i] = 'Y';
      w = w.join('');
      // Regions.
      var p1 = w.length;
      var p2 = w.length;
      var pre = /^(gener|commun|arsen)/.exec(w);
      var k;
      if (pre) p1 = pre[0].length;
      else {
        for (k = 1; k < w.length; k++) if (!isV(w[k]) && isV(w[k - 1])) { p1 = k + 1; break; }
      }
      for (k = p1 + 1; k < w.length; k++) if (!isV(w[k]) && isV(w[k - 1])) { p2 = k + 1; break; }
      var R1 = function (s) { return w.length - s.length >= p1; };
      var R2 = function (s) { return w.length - s.length >= p2; };
      var hasVowel = function (s, end) { for (var j = 0; j < end; j++) if (isV(s[j])) return true; return false; };
      // Step 1a.
      var s = longest(w, ['sses', 'ied', 'ies', 'us', 'ss', 's']);
      if (s === 'sses') w = w.slice(0, -2);
      else if (s === 'ied' || s === 'ies') w = w.slice(0, -3) + (w.length - 3 > 1 ? 'i' : 'ie');
      else if (s === 's' && hasVowel(w, w.length - 2)) w = w.slice(0, -1);
      if (EXC2[w]) return w;
      // Step 1b.
      s = longest(w, ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed']);
      if (s === 'eed' || s === 'eedly') {
        if (R1(s)) w = w.slice(0, -s.length) + 'ee';
      } else if (s) {
        var stem = w.slice(0, -s.length);
        if (hasVowel(stem, stem.length)) {
          w = stem;
          if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) w += 'e';
          else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
          else if (w.length === p1 && shortAt(w, w.length - 1)) w += 'e';
        }
      }
      // Step 1c.
      if (w.length > 2 && (ends(w, 'y') || ends(w, 'Y')) && !isV(w[w.length - 2])) w = w.slice(0, -1) + 'i';
      // Step 2.
      var e = find(w, S2);
      if (e && R1(e[0])) {
        if (e[0] === 'ogi') {
          if (w[w.length - 4] === 'l') w = w.slice(0, -3) + 'og';
        } else if (e[0] === 'li') {
          if ('cdeghkmnrt'.indexOf(w[w.length - 3]) >= 0 && w.length >= 3) w = w.slice(0, -2);
        } else w = w.slice(0, -e[0].length) + e[1];
      }
      // Step 3.
      e = find(w, S3);
      if (e && R1(e[0])) {
        if (e[0] === 'ative') {
          if (R2('ative')) w = w.slice(0, -5);
        } else w = w.slice(0, -e[0].length) + e[1];
      }
      // Step 4.
      s = longest(w, S4);
      if (s && R2(s)) {
        if (s === 'ion') {
          var before = w[w.length - 4];
          if (before === 's' || before === 't') w = w.slice(0, -3);
        } else w = w.slice(0, -s.length);
      }
      // Step 5.
      if (ends(w, 'e')) {
        var rest = w.slice(0, -1);
        if (R2('e') || (R1('e') && !shortAt(rest, rest.length - 1))) w = rest;
      } else if (ends(w, 'll') && R2('l')) w = w.slice(0, -1);
      return w.replace(/Y/g, 'y');
    };
  })();

  // The index term of a token for analyser `lang` ('en' or ''), or null for
  // a stop word. Same rule as `Analyzer::term` in src/index/search/text.rs.
  function term(token, lang) {
    if (lang !== 'en') return token;
    if (STOP[token]) return null;
    return token.length > 2 && /^[a-z]+$/.test(token) ? Porter2(token) : token;
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
    stem: Porter2,
    term: term,
    isStopWord: function (t) { return !!STOP[t]; },
    queryTerms: queryTerms,
    prefixDistance: prefixDistance,
    matchQuality: matchQuality,
    allowedTypos: allowedTypos,
  };
})();
