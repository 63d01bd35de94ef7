/* fixbook's guided walk (guided.html): one step at a time, "This fixed it"
   or "Still not fixed", for the sections that fix the symptoms in
   ?symptoms=a,b (in the one ranking order, common.compareRanked) or for the
   one section in ?section=<page path without .html>. The steps come from the
   combined checklist's data scripts, loaded with <script src> (works from
   file://) one section at a time, so a walk loads what it shows. The walk's
   rule is src/index/walk.rs's: a step met in an earlier section is not asked
   again (same `key`: title and words), a branch link to a step of the same
   section is followed inside the walk, the escalation section comes last.
   The place is in the address (#walk-<section>-<step>, #walk-fixed,
   #walk-end) and, with every answer, in localStorage; "Start over" clears it.
   Every text shown comes from the theme's strings (strings.toml). */
(function () {
  'use strict';

  var root = document.querySelector('[data-walk]');
  if (!root || !window.fixbookCommon) return;
  var common = window.fixbookCommon;

  var strings = {};
  try {
    strings = JSON.parse(document.getElementById('walk-strings').textContent);
  } catch (e) {
    strings = {};
  }
  function t(key, values) {
    return common.format(Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key, values || {});
  }
  function q(name) {
    return root.querySelector('[data-walk-' + name + ']');
  }

  var ui = {
    title: q('title'),
    overall: q('overall'),
    overallText: q('overall-text'),
    meter: q('meter'),
    message: q('message'),
    choose: q('choose'),
    step: q('step'),
    why: q('why'),
    count: q('count'),
    stepTitle: q('step-title'),
    under: q('under'),
    body: q('body'),
    sectionLink: q('section-link'),
    end: q('end'),
    endTitle: q('end-title'),
    endLede: q('end-lede'),
    escalation: q('escalation'),
    escalationSteps: q('escalation-steps'),
    allFixes: q('all-fixes'),
    summarySymptoms: q('summary-symptoms'),
    tried: q('tried'),
    result: q('summary-result'),
    copied: q('copied'),
    restart: q('restart'),
  };
  var announce = common.announcer(q('status'), 150);
  var pageTitleTail = document.title.split(' · ').slice(1).join(' · ');

  // Data scripts are relative to the combined checklist, whose data they are.
  var combinedBase = new URL('checklists/combined.html', document.baseURI).href;
  var sectionData = {}; // reading order -> the section's data
  var symptomData = {}; // symptom id -> {label, sections}
  var lastSection = null;
  window.fixbookChecklistSection = function (order, data) {
    sectionData[order] = data;
    lastSection = order;
  };
  window.fixbookChecklistSymptom = function (id, data) {
    symptomData[id] = data;
  };

  // --- What to walk: from the address -------------------------------------

  var params = new URLSearchParams(window.location.search);
  var sectionParam = (params.get('section') || '').trim();
  var chosen = sectionParam
    ? []
    : common.symptomsFromQuery(window.location.search, function (id) {
        return /^[a-z0-9-]+$/.test(id);
      });
  var escalationOrder = root.hasAttribute('data-escalation-order') ? Number(root.getAttribute('data-escalation-order')) : null;
  var escalationSrc = root.getAttribute('data-escalation-src');

  // A section's page path as the address of its data script; null unless
  // every segment is a plain name (no '', '.' or '..': the script must be
  // one of the guide's).
  function sectionScript(path) {
    var segments = path.split('/');
    var plain = segments.every(function (s) {
      return s !== '' && s !== '.' && s !== '..';
    });
    if (!plain) return null;
    return new URL('checklists/data/sections/' + segments.map(encodeURIComponent).join('/') + '.js', document.baseURI).href;
  }

  var walk = {
    sections: [], // {order, src, matched: [ids], data, steps: [{n, repeat}]}
    labels: {}, // symptom id -> label
    failed: [],
  };
  var storeKey = 'fixbook-walk:' + window.location.pathname + '?' + (sectionParam ? 'section=' + sectionParam : 'symptoms=' + chosen.slice().sort().join(','));
  var state = load();

  function load() {
    var s = null;
    try {
      s = JSON.parse(window.localStorage.getItem(storeKey) || 'null');
    } catch (e) {
      s = null;
    }
    if (!s || typeof s !== 'object' || !Array.isArray(s.trail) || !Array.isArray(s.tried)) s = { at: null, trail: [], tried: [] };
    return s;
  }
  function save() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* storage full or disabled: the walk works without memory */
    }
  }

  // --- Loading sections, in walk order ------------------------------------

  var prepared = 0; // sections 0..prepared-1 have their steps worked out
  var seenKeys = {}; // step key -> true, over the prepared sections

  // Works out which steps of sections up to `k` are asked (loading their
  // scripts first), then calls done().
  function ensure(k, done) {
    k = Math.min(k, walk.sections.length - 1);
    if (k < prepared) return done();
    var urls = [];
    for (var i = prepared; i <= k; i++) {
      if (!walk.sections[i].data && !sectionData[walk.sections[i].order]) urls.push(walk.sections[i].src);
    }
    common.loadScripts(urls, function () {
      for (var j = prepared; j <= k; j++) prepare(walk.sections[j]);
      prepared = k + 1;
      done();
      // The next section is probably next: have it ready.
      var next = walk.sections[prepared];
      if (next && !sectionData[next.order]) common.loadScript(next.src, function () {});
    });
  }

  function prepare(section) {
    section.data = sectionData[section.order] || null;
    if (!section.data) {
      walk.failed.push(section.src);
      section.steps = [];
      return;
    }
    // Only earlier sections count: a section may repeat its own step on purpose.
    var own = [];
    section.steps = section.data.steps.map(function (step) {
      own.push(step.key);
      return { repeat: Object.prototype.hasOwnProperty.call(seenKeys, step.key) };
    });
    own.forEach(function (key) {
      seenKeys[key] = true;
    });
  }

  // --- Places: {k, n} (section k of the walk, step n of its steps), 'fixed', 'end'

  function placeId(p) {
    if (p === 'fixed' || p === 'end') return 'walk-' + p;
    return 'walk-' + (p.k + 1) + '-' + (p.n + 1);
  }
  function parsePlace(id) {
    if (id === 'walk-fixed' || id === 'walk-end') return id.slice(5);
    var m = /^walk-(\d+)-(\d+)$/.exec(id || '');
    return m ? { k: Number(m[1]) - 1, n: Number(m[2]) - 1 } : null;
  }

  // The first asked place at or after step n of section k (skipping steps
  // met before), or 'end'; calls done(place) once the data is there.
  function firstAsked(k, n, done) {
    if (k >= walk.sections.length) return done('end');
    ensure(k, function () {
      var steps = walk.sections[k].steps;
      for (var i = Math.max(0, n); i < steps.length; i++) {
        if (!steps[i].repeat) return done({ k: k, n: i });
      }
      firstAsked(k + 1, 0, done);
    });
  }

  // Is `p` a place this walk can show (its section loaded)?
  function valid(p, done) {
    if (p === 'end') return done(true);
    if (p === 'fixed') return done(stateFixed() !== null);
    if (!p || p.k < 0 || p.k >= walk.sections.length || p.n < 0) return done(false);
    ensure(p.k, function () {
      var s = walk.sections[p.k].steps[p.n];
      done(Boolean(s) && !s.repeat);
    });
  }

  function stateFixed() {
    for (var i = 0; i < state.tried.length; i++) if (state.tried[i].o === 'fixed') return state.tried[i];
    return null;
  }

  // --- Answers --------------------------------------------------------------

  function stepOf(p) {
    return walk.sections[p.k].data.steps[p.n];
  }

  // Keeps the outcome of the step at `p`: a step answered again keeps its
  // place in the list and takes the new outcome; only one step "fixed it".
  function record(p, outcome) {
    var id = placeId(p);
    var section = walk.sections[p.k].data;
    var step = stepOf(p);
    if (outcome === 'fixed') {
      state.tried.forEach(function (e) {
        if (e.o === 'fixed') e.o = 'not-fixed';
      });
    }
    var entry = { p: id, o: outcome, s: section.title, n: step.n, t: step.title || '' };
    for (var i = 0; i < state.tried.length; i++) {
      if (state.tried[i].p === id) {
        state.tried[i] = entry;
        return;
      }
    }
    state.tried.push(entry);
  }

  var current = null;

  function go(p, options) {
    options = options || {};
    if (current !== null && !options.back && !options.restore) state.trail.push(placeId(current));
    current = p;
    state.at = placeId(p);
    save();
    if (history.replaceState) history.replaceState(null, '', '#' + placeId(p));
    else window.location.hash = placeId(p);
    if (p === 'fixed' || p === 'end') showEnd(p, options);
    else showStep(p, options);
  }

  function act(action) {
    if (action === 'restart') {
      try {
        window.localStorage.removeItem(storeKey);
      } catch (e) {
        /* nothing kept */
      }
      state = { at: null, trail: [], tried: [] };
      current = null;
      firstAsked(0, 0, function (p) {
        go(p, { restore: true, focus: true });
      });
      return;
    }
    if (action === 'back') {
      var prev = state.trail.pop();
      var target = parsePlace(prev);
      if (!target) return;
      valid(target, function (ok) {
        if (ok) go(target, { back: true });
      });
      return;
    }
    if (action === 'copy') return copySummary();
    if (action === 'print') return window.print();
    if (current === null || current === 'fixed' || current === 'end') return;
    var here = current;
    if (action === 'fixed') {
      record(here, 'fixed');
      return go('fixed');
    }
    if (action === 'next' || action === 'skip') {
      record(here, action === 'next' ? 'not-fixed' : 'skipped');
      firstAsked(here.k, here.n + 1, function (p) {
        go(p);
      });
    }
  }

  root.addEventListener('click', function (ev) {
    var button = ev.target.closest('[data-walk-action]');
    if (button) {
      act(button.getAttribute('data-walk-action'));
      return;
    }
    // A branch link ("go to step 5") inside the step: go there in the walk.
    var link = ev.target.closest('a[data-walk-branch]');
    if (link && current && current.k !== undefined) {
      ev.preventDefault();
      var here = current;
      record(here, 'not-fixed');
      firstAsked(here.k, Number(link.getAttribute('data-walk-branch')), function (p) {
        go(p);
      });
    }
  });

  window.addEventListener('hashchange', function () {
    var p = parsePlace(decodeURIComponent(window.location.hash.slice(1)));
    if (!p || (current !== null && placeId(p) === placeId(current))) return;
    valid(p, function (ok) {
      if (ok) go(p);
    });
  });

  // --- Showing a step -------------------------------------------------------

  function labels(ids) {
    return ids
      .map(function (id) {
        return walk.labels[id] || id;
      })
      .join('; ');
  }

  // A step's HTML, moved from the combined checklist onto this page: links
  // and images re-based, a link to a step of the same section made a branch
  // of the walk, a link to another anchor of the section sent to its page.
  // `inWalk`: the step is the walk's current one (its title is the heading
  // above it, its step links are branches); otherwise a list item.
  function stepBody(section, step, inWalk) {
    var tpl = document.createElement('template');
    tpl.innerHTML = step.html; // rendered and escaped by fixbook at build time
    var frag = tpl.content;
    var lead = frag.querySelector('.step-title');
    // The title is the heading above the step (it sits in the step's first paragraph).
    if (inWalk && lead && step.title && lead.textContent.trim() === step.title.trim()) lead.remove();
    var prefix = 's' + (section.order + 1) + '-';
    var stepIndex = {};
    section.steps.forEach(function (s, i) {
      stepIndex[s.id] = i;
    });
    var sectionUrl = new URL(section.url, combinedBase).href;
    frag.querySelectorAll('[href]').forEach(function (el) {
      var href = el.getAttribute('href');
      if (href.charAt(0) === '#') {
        var id = decodeURIComponent(href.slice(1));
        if (inWalk && Object.prototype.hasOwnProperty.call(stepIndex, id)) {
          el.setAttribute('data-walk-branch', String(stepIndex[id]));
          el.setAttribute('href', '#walk-' + '0-0'); // replaced below, once k is known
        } else {
          var anchor = id.indexOf(prefix) === 0 ? id.slice(prefix.length) : id;
          el.setAttribute('href', sectionUrl.split('#')[0] + '#' + encodeURIComponent(anchor));
        }
      } else {
        el.setAttribute('href', new URL(href, combinedBase).href);
      }
    });
    frag.querySelectorAll('[src]').forEach(function (el) {
      el.setAttribute('src', new URL(el.getAttribute('src'), combinedBase).href);
    });
    frag.querySelectorAll('[srcset]').forEach(function (el) {
      var rebased = el
        .getAttribute('srcset')
        .split(',')
        .map(function (c) {
          var parts = c.trim().split(/\s+/);
          if (parts[0]) parts[0] = new URL(parts[0], combinedBase).href;
          return parts.join(' ');
        })
        .join(', ');
      el.setAttribute('srcset', rebased);
    });
    // Ids stay unique on this page: the step's own are the combined checklist's, prefixed.
    frag.querySelectorAll('[id]').forEach(function (el) {
      el.id = 'walk-' + el.id;
    });
    common.highlightCode(frag);
    return frag;
  }

  function showScreen(which) {
    ui.step.hidden = which !== 'step';
    ui.end.hidden = which !== 'end';
    ui.message.hidden = which !== 'message';
    ui.restart.hidden = which === 'message' || which === 'choose';
    ui.choose.hidden = which !== 'choose';
    ui.overall.hidden = which !== 'step';
  }

  function showStep(p, options) {
    var section = walk.sections[p.k];
    var data = section.data;
    var step = data.steps[p.n];
    showScreen('step');
    var firstOfSection = section.steps.slice(0, p.n).every(function (s) {
      return s.repeat;
    });
    if (firstOfSection && p.k > 0) {
      ui.why.textContent = t('walk_next_because', { previous: walk.sections[p.k - 1].data ? walk.sections[p.k - 1].data.title : '', section: data.title, symptoms: labels(section.matched) });
    } else if (firstOfSection && section.matched.length) {
      ui.why.textContent = t('walk_first_for', { symptoms: labels(section.matched) });
    } else {
      ui.why.textContent = '';
    }
    ui.why.hidden = ui.why.textContent === '';
    var count = t('walk_step_of', { n: p.n + 1, total: data.steps.length, section: data.title });
    ui.count.textContent = count;
    ui.stepTitle.textContent = step.title || t('walk_step_title', { n: step.n });
    ui.under.hidden = !step.heading;
    ui.under.textContent = step.heading ? t('walk_under', { heading: step.heading }) : '';
    ui.body.textContent = '';
    ui.body.appendChild(stepBody(data, step, true));
    ui.body.querySelectorAll('a[data-walk-branch]').forEach(function (a) {
      a.setAttribute('href', '#walk-' + (p.k + 1) + '-' + (Number(a.getAttribute('data-walk-branch')) + 1));
    });
    ui.sectionLink.href = new URL(data.url, combinedBase).href.split('#')[0] + '#' + encodeURIComponent(step.id.slice(('s' + (data.order + 1) + '-').length));
    var answered = state.tried.length;
    ui.overallText.textContent = t('walk_section_of', { n: p.k + 1, total: walk.sections.length }) + ' · ' + t('walk_tried_count', { n: answered });
    ui.meter.max = walk.sections.length;
    ui.meter.value = p.k + p.n / Math.max(1, data.steps.length);
    root.querySelector('[data-walk-action="back"]').disabled = state.trail.length === 0;
    document.title = (step.title || data.title) + ' · ' + pageTitleTail;
    announce(count);
    if (!options.restore || options.focus) ui.stepTitle.focus();
    else if (options.restore && document.activeElement === document.body) ui.stepTitle.focus({ preventScroll: true });
  }

  // --- The end: fixed, or every step tried ---------------------------------

  function summaryLines() {
    var lines = [];
    var site = document.querySelector('.site-title');
    lines.push(t('walk_summary_title') + (site ? ' — ' + site.textContent.trim() : ''));
    lines.push(ui.summarySymptoms.textContent);
    ui.tried.querySelectorAll('li').forEach(function (li, i) {
      lines.push(i + 1 + '. ' + li.textContent);
    });
    if (!state.tried.length) lines.push(t('walk_summary_nothing'));
    lines.push(ui.result.textContent);
    var url = root.getAttribute('data-url');
    if (!url && /^https?:$/.test(window.location.protocol)) url = window.location.href.split('#')[0];
    if (url) lines.push(t('walk_summary_page', { url: url + (root.getAttribute('data-url') ? window.location.search : '') }));
    return lines;
  }

  function copySummary() {
    var text = summaryLines().join('\n') + '\n';
    function done(ok) {
      ui.copied.textContent = ok ? t('walk_copied') : t('walk_copy_failed');
    }
    function fallback() {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'visually-hidden';
      root.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch (e) {
        ok = false;
      }
      area.remove();
      done(ok);
    }
    root.setAttribute('data-walk-copy-text', text);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        done(true);
      }, fallback);
    } else {
      fallback();
    }
  }

  // Does this walk end with the escalation section? Not the escalation section's own walk.
  function escalates() {
    return escalationOrder !== null && !(walk.single && walk.sections.length && walk.sections[0].order === escalationOrder);
  }

  function outcomeText(o) {
    return t(o === 'fixed' ? 'walk_outcome_fixed' : o === 'skipped' ? 'walk_outcome_skipped' : 'walk_outcome_not_fixed');
  }

  function showEnd(which, options) {
    showScreen('end');
    ui.copied.textContent = '';
    var fixed = stateFixed();
    if (which === 'fixed' && fixed) {
      ui.endTitle.textContent = t('walk_done_title');
      ui.endLede.textContent = t('walk_done_by', { n: fixed.n, section: fixed.s, step: fixed.t || t('walk_step_title', { n: fixed.n }) });
      ui.result.textContent = t('walk_summary_result_fixed', { n: fixed.n, section: fixed.s, step: fixed.t || t('walk_step_title', { n: fixed.n }) });
    } else {
      ui.endTitle.textContent = escalates() ? t('walk_end_title') : t('walk_end_none');
      ui.endLede.textContent = t('walk_end_lede');
      ui.result.textContent = t('walk_summary_result_open');
    }
    var escalate = which === 'end' && escalates();
    if (ui.escalation) ui.escalation.hidden = !escalate;
    ui.allFixes.hidden = which !== 'end' || escalate;
    if (escalate && escalationSrc && ui.escalationSteps && !ui.escalationSteps.children.length) {
      var src = new URL(escalationSrc, combinedBase).href;
      var show = function () {
        var data = sectionData[escalationOrder];
        if (!data) return;
        data.steps.forEach(function (step) {
          var li = document.createElement('li');
          li.className = 'step';
          li.appendChild(stepBody(data, step, false));
          ui.escalationSteps.appendChild(li);
        });
      };
      if (sectionData[escalationOrder]) show();
      else common.loadScript(src, show);
    }
    ui.summarySymptoms.textContent = walk.symptomsLine;
    ui.tried.textContent = '';
    state.tried.forEach(function (e) {
      var li = document.createElement('li');
      li.className = 'walk-tried-' + e.o;
      li.textContent = t('walk_summary_step', { section: e.s, n: e.n, step: e.t || t('walk_step_title', { n: e.n }) }) + ' — ' + outcomeText(e.o);
      ui.tried.appendChild(li);
    });
    if (!state.tried.length) {
      var none = document.createElement('li');
      none.textContent = t('walk_summary_nothing');
      ui.tried.appendChild(none);
    }
    root.querySelectorAll('[data-walk-action="back"]').forEach(function (b) {
      b.disabled = state.trail.length === 0;
    });
    document.title = ui.endTitle.textContent + ' · ' + pageTitleTail;
    announce(ui.endTitle.textContent);
    if (!options.restore || options.focus) ui.endTitle.focus();
    else if (document.activeElement === document.body) ui.endTitle.focus({ preventScroll: true });
  }

  function message(text) {
    showScreen('message');
    ui.message.textContent = text;
  }

  // --- Start ------------------------------------------------------------------

  function start() {
    var place = parsePlace(decodeURIComponent(window.location.hash.slice(1))) || parsePlace(state.at);
    function begin() {
      if (walk.failed.length) {
        var note = document.createElement('p');
        note.className = 'notice';
        note.textContent = t('walk_load_failed', { what: walk.failed.join(', ') });
        root.insertBefore(note, ui.step);
      }
      var fallback = function () {
        firstAsked(0, 0, function (p) {
          go(p, { restore: true });
        });
      };
      if (!place) return fallback();
      valid(place, function (ok) {
        if (ok) go(place, { restore: true });
        else fallback();
      });
    }
    if (sectionParam) {
      var src = sectionScript(sectionParam);
      if (!src) return message(t('walk_not_found'));
      walk.single = true;
      common.loadScript(src, function () {
        if (lastSection === null) return message(t('walk_not_found'));
        var data = sectionData[lastSection];
        walk.sections = [{ order: lastSection, src: src, matched: [], data: null }];
        ui.title.textContent = data.title;
        // The section's symptoms, for the summary a support request gets.
        common.loadScripts(
          data.symptoms.map(function (id) {
            return new URL('checklists/data/symptoms/' + id + '.js', document.baseURI).href;
          }),
          function () {
            data.symptoms.forEach(function (id) {
              if (symptomData[id]) walk.labels[id] = symptomData[id].label;
            });
            walk.symptomsLine = data.symptoms.length ? t('walk_summary_symptoms', { symptoms: labels(data.symptoms) }) : t('walk_summary_section', { section: data.title });
            begin();
          },
        );
      });
      return;
    }
    if (!chosen.length) return showScreen('choose');
    common.loadScripts(
      chosen.map(function (id) {
        return new URL('checklists/data/symptoms/' + id + '.js', document.baseURI).href;
      }),
      function () {
        var known = chosen.filter(function (id) {
          return symptomData[id];
        });
        chosen.forEach(function (id) {
          if (!symptomData[id]) walk.failed.push(id);
        });
        if (!known.length) return message(t('walk_not_found'));
        var matches = {};
        known.forEach(function (id) {
          walk.labels[id] = symptomData[id].label;
          symptomData[id].sections.forEach(function (e) {
            if (e.order === escalationOrder) return;
            var m = matches[e.order] || (matches[e.order] = { order: e.order, src: new URL(e.src, combinedBase).href, matched: [], data: null });
            if (m.matched.indexOf(id) === -1) m.matched.push(id);
          });
        });
        walk.sections = Object.keys(matches).map(function (o) {
          var m = matches[o];
          // Chosen order, so "because it also fixes" lists them as the reader picked them.
          m.matched = known.filter(function (id) {
            return m.matched.indexOf(id) !== -1;
          });
          return m;
        });
        walk.sections.sort(function (a, b) {
          return common.compareRanked(a.matched.length, a.order, b.matched.length, b.order);
        });
        var names = known.map(function (id) {
          return walk.labels[id];
        });
        ui.title.textContent = t('walk_title_for', { symptoms: names.join(' + ') });
        walk.symptomsLine = t('walk_summary_symptoms', { symptoms: names.join('; ') });
        begin();
      },
    );
  }

  message(t('walk_loading'));
  start();
})();
