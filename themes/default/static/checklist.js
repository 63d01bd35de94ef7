/* fixbook checklists: tick boxes remembered per page (localStorage), a reset
   button, "print with my ticks", and the combined checklist, put together
   from data scripts (one per chosen symptom, then one per matching section)
   loaded with <script src>, so that it works from file:// as well as from
   any static host. Without JavaScript the boxes
   still tick on screen and the page prints with empty boxes. */
(function () {
  'use strict';

  var root = document.querySelector('[data-checklist]');
  if (!root || !window.fixbookCommon) return;

  var STORE_PREFIX = 'fixbook-checklist:';
  var common = window.fixbookCommon;

  function storageGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null; // storage disabled: ticks simply are not remembered
    }
  }

  function storageSet(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) {
      /* storage full or disabled: keep working without memory */
    }
  }

  function setupTicks(key) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll('input.tick'));
    var tools = root.querySelector('[data-tools]');
    var progress = root.querySelector('[data-progress]');
    var saved = [];
    try {
      saved = JSON.parse(storageGet(key) || '[]');
    } catch (e) {
      saved = [];
    }
    if (!Array.isArray(saved)) saved = [];
    function stepId(box) {
      var li = box.closest('.check-step');
      return li ? li.id : box.id;
    }
    boxes.forEach(function (box) {
      box.checked = saved.indexOf(stepId(box)) !== -1;
    });
    var announce = null;
    function update(save) {
      var done = boxes.filter(function (b) { return b.checked; });
      if (save) storageSet(key, done.length ? JSON.stringify(done.map(stepId)) : null);
      boxes.forEach(function (b) {
        var li = b.closest('.check-step');
        if (li) li.classList.toggle('is-done', b.checked);
      });
      if (progress) {
        // Settle before announcing, so ticking several boxes is one message.
        clearTimeout(announce);
        var text = done.length + ' of ' + boxes.length + ' steps done';
        announce = setTimeout(function () { progress.textContent = text; }, save ? 400 : 0);
      }
    }
    root.addEventListener('change', function (ev) {
      if (ev.target && ev.target.classList && ev.target.classList.contains('tick')) update(true);
    });
    if (tools) {
      tools.hidden = boxes.length === 0;
      tools.addEventListener('click', function (ev) {
        var button = ev.target.closest('button[data-action]');
        if (!button) return;
        var action = button.getAttribute('data-action');
        if (action === 'reset') {
          boxes.forEach(function (b) { b.checked = false; });
          update(true);
          if (boxes[0]) boxes[0].focus();
        } else if (action === 'print') {
          document.documentElement.classList.remove('print-ticks');
          window.print();
        } else if (action === 'print-ticks') {
          document.documentElement.classList.add('print-ticks');
          window.print();
        }
      });
    }
    // Any later print (Ctrl+P) shows empty boxes again.
    window.addEventListener('afterprint', function () {
      document.documentElement.classList.remove('print-ticks');
    });
    update(false);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function assembleCombined() {
    var list = [];
    try {
      list = JSON.parse(document.getElementById('checklist-symptoms').textContent);
    } catch (e) {
      list = [];
    }
    var known = {};
    list.forEach(function (s) { known[s.id] = s; });
    var chosen = common.symptomsFromQuery(window.location.search, function (id) {
      return Object.prototype.hasOwnProperty.call(known, id);
    });
    var chooser = root.querySelector('[data-combined-chooser]');
    if (!chosen.length) {
      setupTicks(STORE_PREFIX + window.location.pathname);
      return;
    }
    chooser.hidden = true;
    // Two rounds of classic scripts (no fetch: it fails from file://):
    // each chosen symptom's list of sections, then each section's steps once.
    var matches = {}; // section order -> {src, matched: [symptom ids]}
    var sections = {}; // section order -> section data
    var failed = [];
    window.fixbookChecklistSymptom = function (id, data) {
      if (!Object.prototype.hasOwnProperty.call(known, id)) return;
      known[id].loaded = true;
      data.sections.forEach(function (e) {
        var m = matches[e.order] || (matches[e.order] = { src: e.src, matched: [] });
        if (m.matched.indexOf(id) === -1) m.matched.push(id);
      });
    };
    window.fixbookChecklistSection = function (order, data) {
      sections[order] = data;
    };
    common.loadScripts(chosen.map(function (id) { return known[id].data_url; }), function () {
      chosen.forEach(function (id) {
        if (!known[id].loaded) failed.push(known[id].label);
      });
      var orders = Object.keys(matches);
      common.loadScripts(orders.map(function (o) { return matches[o].src; }), function () {
        orders.forEach(function (o) {
          if (!sections[o]) failed.push(matches[o].src);
        });
        render();
      });
    });

    function render() {
      var labels = chosen.map(function (id) { return known[id].label; });
      var title = 'Checklist: ' + labels.join(' + ');
      root.querySelector('[data-combined-title]').textContent = title;
      document.title = title + ' · ' + document.title.split(' · ').slice(1).join(' · ');
      // The one ranking rule: sections fixing more of the chosen symptoms first, then reading order.
      var ranked = Object.keys(matches)
        .filter(function (o) { return sections[o]; })
        .map(function (o) {
          // Chosen order, so "Fixes:" lists the symptoms as the reader picked them.
          var matched = chosen.filter(function (id) { return matches[o].matched.indexOf(id) !== -1; });
          return { section: sections[o], matched: matched };
        });
      ranked.sort(function (a, b) {
        return common.compareRanked(a.matched.length, a.section.order, b.matched.length, b.section.order);
      });
      var groups = root.querySelector('[data-combined-groups]');
      groups.textContent = '';
      var lede = root.querySelector('[data-combined-lede]');
      var seen = {};
      var total = 0;
      var repeated = 0;
      ranked.forEach(function (entry, gi) {
        var s = entry.section;
        var group = el('section', 'check-group');
        var headingId = 'group-' + (gi + 1);
        group.setAttribute('aria-labelledby', headingId);
        var h = el('h2', 'check-group-title');
        h.id = headingId;
        var link = el('a', null, s.title);
        link.href = s.url;
        h.appendChild(link);
        group.appendChild(h);
        var meta = el('p', 'check-group-meta');
        meta.appendChild(el('span', 'label', 'Fixes: '));
        meta.appendChild(document.createTextNode(entry.matched.map(function (id) { return known[id].label; }).join('; ')));
        group.appendChild(meta);
        if (s.settings.length) {
          var crumbs = el('ul', 'crumb-list');
          s.settings.forEach(function (html) {
            var li = el('li');
            li.innerHTML = html; // built and escaped by fixbook at build time
            crumbs.appendChild(li);
          });
          group.appendChild(crumbs);
        }
        var ol = el('ol', 'check-steps');
        var heading = null;
        s.steps.forEach(function (step) {
          // Numbers restart under each heading of a section: show the heading.
          if (step.heading && step.heading !== heading) {
            heading = step.heading;
            if (ol.children.length) {
              group.appendChild(ol);
              ol = el('ol', 'check-steps');
            }
            group.appendChild(el('h3', 'check-heading', step.heading));
          }
          var li = el('li', 'check-step');
          li.id = step.id;
          var first = seen[step.key];
          if (first) {
            repeated += 1;
            li.classList.add('is-repeat');
            var p = el('p', 'repeat-note');
            p.appendChild(el('span', 'num', String(step.n)));
            p.appendChild(document.createTextNode(' ' + (step.title ? step.title + ': ' : '') + 'same as '));
            var back = el('a', null, 'step ' + first.n + ' of “' + first.section + '”');
            back.href = '#' + encodeURIComponent(first.id);
            p.appendChild(back);
            p.appendChild(document.createTextNode(' above.'));
            li.appendChild(p);
          } else {
            seen[step.key] = { n: step.n, id: step.id, section: s.title };
            total += 1;
            var box = el('input', 'tick');
            box.type = 'checkbox';
            box.id = 'tick-' + total;
            box.setAttribute('aria-describedby', step.id + '-body');
            var label = el('label', 'tick-label');
            label.htmlFor = box.id;
            label.appendChild(el('span', 'box'));
            label.lastChild.setAttribute('aria-hidden', 'true');
            label.appendChild(el('span', 'visually-hidden', 'Step '));
            label.appendChild(el('span', 'num', String(step.n)));
            if (step.title) label.appendChild(el('span', 'visually-hidden', ': ' + step.title));
            var body = el('div', 'check-body prose');
            body.id = step.id + '-body';
            body.innerHTML = step.html; // rendered and escaped by fixbook at build time
            common.highlightCode(body);
            li.appendChild(box);
            li.appendChild(label);
            li.appendChild(body);
          }
          ol.appendChild(li);
        });
        group.appendChild(ol);
        groups.appendChild(group);
      });
      var summary = ranked.length + (ranked.length === 1 ? ' section, ' : ' sections, ') + total + (total === 1 ? ' step' : ' steps');
      if (repeated) summary += ' (' + repeated + ' repeated ' + (repeated === 1 ? 'step' : 'steps') + ' listed once)';
      lede.textContent = ranked.length ? summary + ', best matches first.' : 'No section with steps fixes these symptoms.';
      if (failed.length) {
        var warn = el('p', 'notice', 'Could not load the data for: ' + failed.join(', ') + '.');
        groups.insertBefore(warn, groups.firstChild);
      }
      var notes = root.querySelector('[data-combined-notes]');
      if (notes) notes.hidden = ranked.length === 0;
      var walkLink = root.querySelector('[data-combined-walk]');
      if (walkLink && ranked.length) {
        walkLink.href = walkLink.getAttribute('data-href') + common.symptomsQuery(chosen);
        walkLink.hidden = false;
      }
      var base = root.getAttribute('data-url');
      var urlLine = root.querySelector('[data-combined-url]');
      if (base && urlLine) {
        urlLine.textContent = base + common.symptomsQuery(chosen);
        urlLine.hidden = false;
      }
      setupTicks(STORE_PREFIX + window.location.pathname + common.symptomsQuery(chosen.slice().sort()));
      // The list of steps arrived after load: honour a #step in the URL now.
      if (window.location.hash) {
        var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
        if (target) target.scrollIntoView();
      }
    }
  }

  if (root.hasAttribute('data-combined')) assembleCombined();
  else setupTicks(STORE_PREFIX + window.location.pathname);
})();
