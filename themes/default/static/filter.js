// fixbook symptom filter (home page). Ticking symptoms ranks the sections
// that fix them: by how many ticked symptoms each fixes, then reading order
// (weight, then title). Data: `window.fixbookFilterData` from
// _fixbook/data/filter.js (symptoms, and per section the symptoms it fixes)
// and, loaded on the first tick, `window.fixbookFilterCards` from
// _fixbook/data/filter-cards.js (each section's title, URL, summary, steps
// and folder), so the home page itself lists folders, not every section.
// Results render below the symptoms a page at a time, so a tick never lays
// out thousands of cards and nothing above moves under the finger; a bar
// fixed to the bottom of the screen says "4 fixes for 2 symptoms · Show".
// Each symptom's count says how many of the current results fix it too.
// With a large catalog the page carries only the "Most common" rows; the
// rest are built from the groups in the filter data (`buildRows`).
// State lives in the URL (`?symptoms=a,b`, replaced, not pushed, per tick:
// one Back leaves the page) so a link restores the ticks.
(function () {
  'use strict';

  var FIRST_PAGE = 30; // results rendered at once; the rest on request
  var ANNOUNCE_DELAY = 600; // announce after the reader stops ticking
  var text = window.fixbookText;
  var common = window.fixbookCommon;
  var data = window.fixbookFilterData;

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  // A large catalog (more than index::filter::ROWS_IN_PAGE symptoms): the
  // page holds the "Most common" rows only, and the rows of every group are
  // built here from `data.g`, as the template would write them (labels as
  // text nodes). A symptom whose box the page already has is left alone.
  function buildRows(form, ids) {
    var host = document.getElementById('symptom-rows');
    if (!host || !data.g) return;
    var folded = form.classList.contains('is-long');
    var frag = document.createDocumentFragment();
    function el(tag, cls, textValue) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (textValue !== undefined) e.textContent = textValue;
      return e;
    }
    data.g.forEach(function (group) {
      var members = group[1].filter(function (y) { return ids[y] !== undefined && !document.getElementById('sym_' + ids[y]); });
      if (!members.length) return;
      var fieldset = el('fieldset', 'symptom-group');
      var legend = el('legend', folded ? 'visually-hidden' : '', group[0]);
      var ul = el('ul', 'symptom-checks');
      members.forEach(function (y) {
        var id = 'sym_' + ids[y];
        var li = el('li');
        var input = el('input');
        input.type = 'checkbox';
        input.id = id;
        input.name = 'symptoms';
        input.value = ids[y];
        input.setAttribute('aria-describedby', id + '_n');
        var label = el('label', '', data.y[y][1]);
        label.htmlFor = id;
        var count = el('span', 'count');
        count.id = id + '_n';
        li.appendChild(input);
        li.appendChild(label);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(count);
        ul.appendChild(li);
      });
      fieldset.appendChild(legend);
      fieldset.appendChild(ul);
      if (folded) {
        var details = el('details', 'symptom-fold');
        var summary = el('summary', '', group[0] + ' ');
        summary.appendChild(el('span', 'count', String(group[1].length)));
        details.appendChild(summary);
        details.appendChild(fieldset);
        frag.appendChild(details);
      } else {
        frag.appendChild(fieldset);
      }
    });
    host.appendChild(frag);
  }

  function init() {
    var form = document.getElementById('symptom-filter');
    if (!form || !data || !text || !common) return;
    var links = document.getElementById('symptom-links');
    var linksHint = document.getElementById('symptom-links-hint');
    var status = document.getElementById('filter-status');
    var box = document.getElementById('results');
    var summary = document.getElementById('filter-summary');
    var list = document.getElementById('filter-list');
    var more = document.getElementById('filter-more');
    var checklist = document.getElementById('filter-checklist');
    var walkLink = document.getElementById('filter-walk');
    var find = document.getElementById('symptom-find');
    var findCount = document.getElementById('symptom-find-count');
    var findNone = document.getElementById('symptom-find-none');
    var clear = document.getElementById('symptom-clear');
    var bar = document.getElementById('filter-bar');
    var barText = document.getElementById('filter-bar-text');
    var barShow = document.getElementById('filter-bar-show');
    if (!box || !list || !bar) return; // a theme override without the results

    var ids = data.y.map(function (y) { return y[0]; });
    var position = Object.create(null);
    ids.forEach(function (id, i) { position[id] = i; });
    // symptom position → sections that fix it, in reading order
    var fixers = ids.map(function () { return []; });
    data.s.forEach(function (syms, section) {
      syms.forEach(function (y) { fixers[y].push(section); });
    });
    buildRows(form, ids);
    var boxes = ids.map(function (id) { return document.getElementById('sym_' + id); });
    // Copies of a box (the "Most common" group) tick and untick with it.
    var copies = ids.map(function () { return []; });
    Array.prototype.forEach.call(form.querySelectorAll('input[data-copy-of]'), function (c) {
      var y = position[c.value];
      if (y !== undefined) copies[y].push(c);
    });
    var countEls = ids.map(function (id, y) {
      var els = [document.getElementById('sym_' + id + '_n')];
      copies[y].forEach(function (c) { els.push(document.getElementById(c.id + '_n')); });
      return els.filter(Boolean);
    });
    var counts = new Int32Array(data.n);
    var inResults = new Uint8Array(data.n);
    var rest = []; // results not yet rendered
    var urlPending = null;
    var cards = window.fixbookFilterCards || null;
    var cardsWaiting = [];

    links.hidden = true;
    if (linksHint) linksHint.hidden = true;
    form.hidden = false;

    // The cards script, loaded once, on the first tick (a classic script: works from file://).
    function withCards(then) {
      if (cards) { then(); return; }
      cardsWaiting.push(then);
      if (cardsWaiting.length > 1) return;
      var own = document.querySelector('script[src$="data/filter.js"]');
      var url = own ? own.src.replace(/filter\.js$/, 'filter-cards.js') : '_fixbook/data/filter-cards.js';
      // A missing cards file means no cards, never a filter stuck busy.
      common.loadScript(url, function () {
        cards = window.fixbookFilterCards || { f: [], c: [] };
        var w = cardsWaiting;
        cardsWaiting = [];
        w.forEach(function (f) { f(); });
      });
    }

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
      var c = cards.c[section] || ['', '#', '', 0, 0];
      var li = document.createElement('li');
      li.className = 'card';
      var a = document.createElement('a');
      a.className = 'card-title';
      a.href = c[1];
      a.textContent = c[0];
      li.appendChild(a);
      if (c[2]) {
        var p0 = document.createElement('p');
        p0.textContent = c[2];
        li.appendChild(p0);
      }
      var fixes = sel.filter(function (y) { return data.s[section].indexOf(y) >= 0; });
      var p = document.createElement('p');
      p.className = 'meta';
      var parts = [(sel.length > 1 ? 'Fixes ' + fixes.length + ' of ' + sel.length + ': ' : 'Fixes: ') +
        fixes.map(function (y) { return data.y[y][1]; }).join('; ')];
      if (c[3]) parts.push(plural(c[3], 'step', 'steps'));
      if (cards.f[c[4]]) parts.push(cards.f[c[4]]);
      parts.forEach(function (t) {
        var span = document.createElement('span');
        span.textContent = t;
        p.appendChild(span);
        p.appendChild(document.createTextNode(' '));
      });
      li.appendChild(p);
      return li;
    }

    function renderMore(sel, upto) {
      var frag = document.createDocumentFragment();
      rest.splice(0, upto).forEach(function (section) { frag.appendChild(resultItem(section, sel)); });
      list.appendChild(frag);
      more.parentNode.hidden = rest.length === 0;
      more.textContent = 'Show ' + plural(rest.length, 'more fix', 'more fixes');
    }

    // Each symptom's count: with nothing ticked, how many sections fix it;
    // with ticks, how many of the current results also fix it, or, when none
    // does, how many fixes ticking it would add ("+3 more"), never a bare 0.
    function setCounts(sel, any) {
      for (var y = 0; y < ids.length; y++) {
        var f = fixers[y];
        var msg;
        var cls = '';
        if (!any || boxes[y] && boxes[y].checked) {
          msg = plural(f.length, 'fix', 'fixes');
        } else {
          var k = 0;
          for (var j = 0; j < f.length; j++) k += inResults[f[j]];
          if (k > 0) { msg = k + ' of these'; cls = 'count-overlap'; }
          else if (f.length) { msg = '+' + f.length + ' more'; cls = 'count-adds'; }
          else { msg = 'no fixes yet'; cls = 'count-none'; }
        }
        for (var e = 0; e < countEls[y].length; e++) {
          countEls[y][e].textContent = msg;
          countEls[y][e].className = 'count ' + cls;
        }
      }
    }

    // Recomputes the results from the ticked boxes. Must stay well within a
    // frame at 10,000 sections: counting touches only the ticked symptoms'
    // sections, and only the first page of results becomes DOM.
    function update(writeAddress) {
      var sel = ticked();
      if (writeAddress) scheduleUrl(sel);
      if (!sel.length) {
        summary.textContent = '';
        list.textContent = '';
        rest = [];
        box.hidden = true;
        bar.hidden = true;
        clear.parentNode.hidden = true;
        setCounts(sel, false);
        if (writeAddress) announce('No symptoms ticked.');
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
      touched.forEach(function (section) { counts[section] = 0; inResults[section] = 1; });
      setCounts(sel, true);
      touched.forEach(function (section) { inResults[section] = 0; });

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
      box.hidden = false;
      clear.parentNode.hidden = false;
      box.classList.toggle('is-empty', !touched.length);
      checklist.href = checklist.getAttribute('data-href') + query(sel);
      if (walkLink) walkLink.href = walkLink.getAttribute('data-href') + query(sel);
      checklist.parentNode.hidden = touched.length === 0;
      barText.textContent = plural(touched.length, 'fix', 'fixes') + ' for ' + symptoms;
      bar.hidden = false;
      var total = touched.length;
      var stamp = {};
      update.stamp = stamp;
      if (!cards) box.setAttribute('aria-busy', 'true');
      withCards(function () {
        if (update.stamp !== stamp) return; // a later tick won
        box.removeAttribute('aria-busy');
        list.textContent = '';
        rest = touched; // renderMore consumes it
        renderMore(sel, FIRST_PAGE);
        showNoMatches(!total);
      });
      announce(msg);
    }

    // "No matches": the ways on (symptom box, folders, escalation) are the
    // Browse section below; say so where the results would be.
    var none = document.createElement('p');
    none.className = 'filter-none-results';
    none.hidden = true;
    var noneText = document.createTextNode('Untick a symptom, try other words in Find a symptom, or ');
    var noneLink = document.createElement('a');
    noneLink.href = '#sections';
    noneLink.textContent = 'browse the fixes by topic';
    none.appendChild(noneText);
    none.appendChild(noneLink);
    none.appendChild(document.createTextNode('.'));
    summary.parentNode.insertBefore(none, summary.nextSibling);
    function showNoMatches(on) { none.hidden = !on; }

    function readUrl() {
      var wanted = Object.create(null);
      // Unknown ids are ignored.
      common.symptomsFromQuery(window.location.search, function (id) { return id in position; }).forEach(function (id) {
        wanted[id] = true;
      });
      boxes.forEach(function (b, i) {
        if (!b) return;
        b.checked = !!wanted[ids[i]];
        copies[i].forEach(function (c) { c.checked = b.checked; });
      });
    }

    // history.replaceState costs milliseconds (tens on file://), so the
    // address is written after the updated results have been painted.
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
      history.replaceState(history.state, '', url.pathname + search + url.hash);
    }

    // Narrowing the symptom list: every word typed must match a word of the
    // label or an alias, by prefix or with a typo or two. Folded groups with
    // a match open while words are typed.
    var words = data.y.map(function (y) {
      return text.tokenize(y[1] + ' ' + y[2].join(' ')).map(function (t) { return t.t; });
    });
    var folds = form.querySelectorAll('details.symptom-fold');
    var foldWasOpen = null;
    function narrow() {
      var terms = text.queryTerms(find.value);
      var shown = 0;
      var groups = form.querySelectorAll('fieldset');
      var match = ids.map(function (id, i) {
        var b = boxes[i];
        return !!b && (b.checked || terms.every(function (q, qi) {
          var isLast = qi === terms.length - 1;
          return words[i].some(function (w) { return text.matchQuality(q, w, isLast) > 0; });
        }));
      });
      boxes.forEach(function (b, i) {
        if (!b) return;
        b.parentNode.hidden = !match[i];
        if (match[i]) shown++;
        copies[i].forEach(function (c) { c.parentNode.hidden = terms.length > 0 || !match[i]; });
      });
      Array.prototype.forEach.call(groups, function (g) {
        g.hidden = !g.querySelector('li:not([hidden])');
      });
      if (folds.length) {
        if (terms.length && foldWasOpen === null) foldWasOpen = Array.prototype.map.call(folds, function (d) { return d.open; });
        Array.prototype.forEach.call(folds, function (d, i) {
          var any = !!d.querySelector('li:not([hidden])');
          d.hidden = !any;
          if (terms.length) d.open = any;
          else if (foldWasOpen) d.open = foldWasOpen[i];
        });
        if (!terms.length) foldWasOpen = null;
      }
      findNone.hidden = shown > 0;
      findCount.textContent = terms.length ? plural(shown, 'symptom matches', 'symptoms match') : '';
      if (terms.length) announce(plural(shown, 'symptom matches', 'symptoms match') + ' “' + find.value.trim() + '”');
    }

    form.addEventListener('change', function (e) {
      var t = e.target;
      if (!t || t.type !== 'checkbox') return;
      var y = position[t.value];
      if (y === undefined) return;
      if (t !== boxes[y] && boxes[y]) boxes[y].checked = t.checked;
      copies[y].forEach(function (c) { c.checked = t.checked; });
      update(true);
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
      boxes.forEach(function (b, i) {
        if (b) b.checked = false;
        copies[i].forEach(function (c) { c.checked = false; });
      });
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
    barShow.addEventListener('click', function (e) {
      e.preventDefault();
      box.scrollIntoView({ block: 'start' });
      box.focus({ preventScroll: true });
    });
    // The bar steps aside while the results themselves are on screen.
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (entries) {
        entries.forEach(function (en) { bar.classList.toggle('is-away', en.isIntersecting); });
      }).observe(box);
    }
    window.addEventListener('popstate', function () {
      readUrl();
      update(false);
    });

    // Fetch the cards as soon as the reader reaches for the filter, so the
    // first tick rarely waits for them.
    function preload() { withCards(function () {}); }
    form.addEventListener('pointerdown', preload, { once: true });
    form.addEventListener('focusin', preload, { once: true });

    readUrl();
    update(false);
    // Drop unknown ids from the address so a shared link stays clean.
    var sel = ticked();
    var clean = query(sel);
    if (window.location.search.indexOf('symptoms=') >= 0 && decodeURIComponent(window.location.search) !== clean) {
      history.replaceState(history.state, '', window.location.pathname + clean + window.location.hash);
    }
    // Exposed for the benchmark and tests.
    window.fixbookFilter = { update: update, ready: function (f) { withCards(f); } };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
