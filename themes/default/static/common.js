// fixbook helpers shared by the theme's scripts (search.js, filter.js,
// checklist.js, guided.js): screen-reader announcements, loading data
// scripts, the `?symptoms=` address, the one ranking rule, and filling in
// the theme's strings. A classic script (no
// modules, so pages work from file://), loaded without `defer` at the end of
// every page, before the scripts that use it: checklist.js runs as soon as it
// is parsed.
(function () {
  'use strict';

  // The theme's folder (`…/_fixbook/`), from this script's own address, so
  // the other theme files can be found from any page depth.
  var script = document.currentScript;
  var themeBase = script && script.src ? script.src.replace(/[^/]*$/, '') : '_fixbook/';

  // A function that announces a message in the live region `status` once
  // the reader has paused for `delay` ms. The region is emptied first, so the
  // same message is read again after a change.
  function announcer(status, delay) {
    var timer = 0;
    return function (msg) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        status.textContent = '';
        setTimeout(function () { status.textContent = msg; }, 50);
      }, delay);
    };
  }

  // Loads a classic script (fixbook's data files call a global function, the
  // only way to load data that also works from file://, where fetch fails),
  // then removes its element and calls done(), also when it failed: a missing
  // file means "no data", never a page stuck waiting.
  function loadScript(url, done) {
    var el = document.createElement('script');
    el.src = url;
    el.async = true;
    el.onload = el.onerror = function () {
      el.remove();
      done();
    };
    document.head.appendChild(el);
  }

  // Loads every script of `urls` at once; done() when all have run or failed.
  function loadScripts(urls, done) {
    var left = urls.length;
    if (!left) return done();
    urls.forEach(function (url) {
      loadScript(url, function () {
        if (--left === 0) done();
      });
    });
  }

  // The symptom ids of an address's query (`?symptoms=a,b`; every
  // `symptoms` parameter counts), trimmed, each once, in the order written;
  // ids for which `isKnown(id)` is false are dropped.
  function symptomsFromQuery(search, isKnown) {
    var ids = [];
    new URLSearchParams(search).getAll('symptoms').forEach(function (value) {
      value.split(',').forEach(function (id) {
        id = id.trim();
        if (id && isKnown(id) && ids.indexOf(id) === -1) ids.push(id);
      });
    });
    return ids;
  }

  // The query that names `ids` (`?symptoms=a,b`), or '' for none.
  function symptomsQuery(ids) {
    return ids.length ? '?symptoms=' + ids.join(',') : '';
  }

  // The one ranking rule of fixbook (src/index/ranking.rs): a section that
  // matches more of what the reader chose comes first, ties go in reading
  // order. For Array.prototype.sort: negative when (matchesA, orderA) ranks
  // first. tests/browser/ranking.test.mjs holds the pages that use it to the
  // order the Rust rule gives.
  function compareRanked(matchesA, orderA, matchesB, orderB) {
    return matchesB - matchesA || orderA - orderB;
  }

  // A theme string (strings.toml) with its `{name}` places filled from
  // `values`; a place without a value stays as written.
  function format(template, values) {
    return String(template).replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // Pages filled in by a script (the guided walk, the combined checklist) do
  // not link highlight.css up front, as most guides have no code; this links
  // it once the first highlighted code block (`hl-` classes, made by the
  // build) is shown inside `el`.
  function highlightCode(el) {
    if (document.querySelector('link[data-highlight-css]') || !el.querySelector('[class^="hl-"], [class*=" hl-"]')) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = themeBase + 'highlight.css';
    link.setAttribute('data-highlight-css', '');
    document.head.appendChild(link);
  }

  window.fixbookCommon = {
    themeBase: themeBase,
    highlightCode: highlightCode,
    format: format,
    announcer: announcer,
    loadScript: loadScript,
    loadScripts: loadScripts,
    symptomsFromQuery: symptomsFromQuery,
    symptomsQuery: symptomsQuery,
    compareRanked: compareRanked,
  };
})();
