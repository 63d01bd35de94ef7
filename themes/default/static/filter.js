// fixbook symptom filter (home page). Ticking symptoms ranks the sections
// that fix them: by how many ticked symptoms each fixes, then reading order
// (weight, then title). Data: `window.fixbookFilterData` from
// _fixbook/data/filter.js (symptoms, and per section the symptoms it fixes);
// titles, summaries and step counts come from the page's own list of section
// cards (#all-sections), which is in the same order. That list is what a
// reader without JavaScript sees; with it, the list stays hidden and
// #filter-list shows the full list or the ranked matches a page at a time,
// so a tick never lays out thousands of cards. State lives in the URL
// (`?symptoms=a,b`) so a link restores the ticks and back/forward work.
(function () {
  'use strict';

  var FIRST_PAGE = 30; // results rendered at once; the rest on request
  var ANNOUNCE_DELAY = 600; // announce after the reader stops ticking
  var text = window.fixbookText;
  var common = window.fixbookCommon;
  var data = window.fixbookFilterData;

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function init() {
    var form = document.getElementById('symptom-filter');
    var cards = document.getElementById('all-sections');
    if (!form || !data || !text || !common || !cards) return;
    if (cards.children.length !== data.n) {
      // A theme override changed the list: the filter cannot map cards.
      return;
    }
    var links = document.getElementById('symptom-links');
    var linksHint = document.getElementById('symptom-links-hint');
    var status = document.getElementById('filter-status');
    var heading = document.getElementById('sections-heading');
    var box = document.getElementById('filter-results');
    var summary = document.getElementById('filter-summary');
    var list = document.getElementById('filter-list');
    var more = document.getElementById('filter-more');
    var checklist = document.getElementById('filter-checklist');
    var find = document.getElementById('symptom-find');
    var findCount = document.getElementById('symptom-find-count');
    var findNone = document.getElementById('symptom-find-none');
    var clear = document.getElementById('symptom-clear');
    var jump = document.getElementById('filter-jump');
    var headingText = heading.textContent;

    var ids = data.y.map(function (y) { return y[0]; });
    var position = Object.create(null);
    ids.forEach(function (id, i) { position[id] = i; });
    // symptom position → sections that fix it, in reading order
    var fixers = ids.map(function () { return []; });
    data.s.forEach(function (syms, section) {
      syms.forEach(function (y) { fixers[y].push(section); });
    });
    var boxes = ids.map(function (id) { return document.getElementById('sym_' + id); });
    var counts = new Int32Array(data.n);
    var rest = []; // results not yet rendered
    var urlPending = null;
    var everySection = [];
    for (var k = 0; k < data.n; k++) everySection.push(k);

    links.hidden = true;
    if (linksHint) linksHint.hidden = true;
    cards.hidden = true;
    box.hidden = false;
    form.hidden = false;

    var announce = common.announcer(status, ANNOUNCE_DELAY);

    function query(sel) {
      return common.symptomsQuery(sel.map(function (y) { return ids[y]; }));
    }

    function ticked() {
      var out = [];
      for (var i = 0; i < boxes.length; i++) if (boxes[i] && boxes[i].checked) out.push(i);
      return out;
    }

    function resultItem(section, sel) {
      var li = cards.children[section].cloneNode(true);
      if (!sel.length) {
        li.removeAttribute('data-steps');
        return li;
      }
      var meta = li.querySelector('.meta');
      if (meta) meta.remove();
      var fixes = sel.filter(function (y) { return data.s[section].indexOf(y) >= 0; });
      var p = document.createElement('p');
      p.className = 'meta';
      var f = document.createElement('span');
      f.textContent = (sel.length > 1 ? 'Fixes ' + fixes.length + ' of ' + sel.length + ': ' : 'Fixes: ') +
        fixes.map(function (y) { return data.y[y][1]; }).join('; ');
      var s = document.createElement('span');
      s.textContent = plural(Number(li.getAttribute('data-steps')) || 0, 'step', 'steps');
      p.appendChild(f);
      p.appendChild(document.createTextNode(' '));
      p.appendChild(s);
      li.appendChild(p);
      li.removeAttribute('data-steps');
      return li;
    }

    function renderMore(sel, upto) {
      var frag = document.createDocumentFragment();
      rest.splice(0, upto).forEach(function (section) { frag.appendChild(resultItem(section, sel)); });
      list.appendChild(frag);
      more.parentNode.hidden = rest.length === 0;
      more.textContent = 'Show ' + plural(rest.length, 'more section', 'more sections');
    }

    // Recomputes the results from the ticked boxes. Must stay well within a
    // frame at 10,000 sections: counting touches only the ticked symptoms'
    // sections, and only the first page of results becomes DOM.
    function update(pushUrl) {
      var sel = ticked();
      if (pushUrl) scheduleUrl(sel);
      if (!sel.length) {
        heading.textContent = headingText;
        summary.textContent = '';
        summary.hidden = true;
        checklist.parentNode.hidden = true;
        list.textContent = '';
        rest = everySection.slice();
        renderMore(sel, FIRST_PAGE);
        jump.parentNode.hidden = true;
        if (pushUrl) announce('No symptoms ticked: showing all ' + plural(data.n, 'section', 'sections') + '.');
        return;
      }
      var touched = [];
      sel.forEach(function (y) {
        fixers[y].forEach(function (section) {
          if (counts[section]++ === 0) touched.push(section);
        });
      });
      touched.sort(function (a, b) { return common.compareRanked(counts[a], a, counts[b], b); });
      var exact = 0;
      while (exact < touched.length && counts[touched[exact]] === sel.length) exact++;
      touched.forEach(function (section) { counts[section] = 0; });

      var symptoms = plural(sel.length, 'symptom', 'symptoms');
      var msg;
      if (!touched.length) {
        msg = sel.length === 1 ? 'No section fixes this symptom yet.' : 'No section fixes any of these ' + symptoms + '.';
      } else if (exact > 0) {
        msg = plural(exact, 'section fixes', 'sections fix') + ' ' + (sel.length > 1 ? 'all ' : '') + symptoms;
        if (touched.length > exact) msg += '; ' + (touched.length - exact) + ' more fix some of them';
        msg += '.';
      } else {
        msg = 'No section fixes all of these ' + symptoms + '. Closest matches: ' +
          plural(touched.length, 'section fixes', 'sections fix') + ' some of them.';
      }
      summary.textContent = msg;
      summary.hidden = false;
      heading.textContent = 'Fixes for what you ticked';
      checklist.href = checklist.getAttribute('data-href') + query(sel);
      checklist.parentNode.hidden = touched.length === 0;
      list.textContent = '';
      var total = touched.length;
      rest = touched; // renderMore consumes it
      renderMore(sel, FIRST_PAGE);
      // On a phone the results are far below the boxes: a way down to them.
      jump.textContent = 'Go to the ' + plural(total, 'matching section', 'matching sections');
      jump.parentNode.hidden = !total;
      announce(msg);
    }

    function readUrl() {
      var wanted = Object.create(null);
      // Unknown ids are ignored.
      common.symptomsFromQuery(window.location.search, function (id) { return id in position; }).forEach(function (id) {
        wanted[id] = true;
      });
      boxes.forEach(function (b, i) { if (b) b.checked = !!wanted[ids[i]]; });
    }

    // history.pushState costs milliseconds (tens on file://), so the address
    // is written after the updated results have been painted.
    function scheduleUrl(sel) {
      var first = urlPending === null;
      urlPending = sel;
      if (!first) return;
      requestAnimationFrame(function () {
        setTimeout(function () {
          var latest = urlPending;
          urlPending = null;
          writeUrl(latest);
        }, 0);
      });
    }

    function writeUrl(sel) {
      var url = new URL(window.location.href);
      var search = query(sel);
      if (url.search === search) return;
      history.pushState({ fixbookSymptoms: true }, '', url.pathname + search + url.hash);
    }

    // Narrowing the symptom list: every word typed must match a word of the
    // label or an alias, by prefix or with a typo or two.
    var words = data.y.map(function (y) {
      return text.tokenize(y[1] + ' ' + y[2].join(' ')).map(function (t) { return t.t; });
    });
    function narrow() {
      var terms = text.queryTerms(find.value);
      var shown = 0;
      var groups = form.querySelectorAll('fieldset');
      boxes.forEach(function (b, i) {
        if (!b) return;
        var ok = b.checked || terms.every(function (q, qi) {
          var isLast = qi === terms.length - 1;
          return words[i].some(function (w) { return text.matchQuality(q, w, isLast) > 0; });
        });
        b.parentNode.hidden = !ok;
        if (ok) shown++;
      });
      Array.prototype.forEach.call(groups, function (g) {
        g.hidden = !g.querySelector('li:not([hidden])');
      });
      findNone.hidden = shown > 0;
      findCount.textContent = terms.length ? plural(shown, 'symptom matches', 'symptoms match') : '';
      if (terms.length) announce(plural(shown, 'symptom matches', 'symptoms match') + ' “' + find.value.trim() + '”');
    }

    form.addEventListener('change', function (e) {
      if (e.target && e.target.name === 'symptoms') update(true);
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    find.addEventListener('input', narrow);
    find.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && find.value) {
        e.preventDefault();
        find.value = '';
        narrow();
      }
    });
    clear.addEventListener('click', function () {
      boxes.forEach(function (b) { if (b) b.checked = false; });
      update(true);
      if (find.value) narrow();
    });
    more.addEventListener('click', function () {
      var next = list.children.length;
      renderMore(ticked(), rest.length);
      var first = list.children[next];
      var link = first && first.querySelector('a');
      if (link) link.focus();
    });
    window.addEventListener('popstate', function () {
      readUrl();
      update(false);
    });

    readUrl();
    update(false);
    // Drop unknown ids from the address so a shared link stays clean.
    var sel = ticked();
    var clean = query(sel);
    if (window.location.search.indexOf('symptoms=') >= 0 && decodeURIComponent(window.location.search) !== clean) {
      history.replaceState(history.state, '', window.location.pathname + clean + window.location.hash);
    }
    // Exposed for the benchmark and tests.
    window.fixbookFilter = { update: update };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
