// fixbook header: shows the search box (it needs JS, so it is hidden in the
// HTML) and loads the search itself (text.js, then search.js) only when the
// reader turns to it — focusing the box, the Search button or `/` — so pages
// that are only read never fetch it. On a phone the box is folded away and
// the Search button opens it full screen; Close, Escape or Back-to-page
// closes it. The box's behaviour (results panel, keys inside it) is
// search.js's.
(function () {
  'use strict';

  var common = window.fixbookCommon;

  // Loads text.js (unless the page has it already: the home page's filter
  // uses it) and then search.js, once.
  var searchRequested = false;
  function loadSearch() {
    if (searchRequested || window.fixbookSearch || !common) return;
    searchRequested = true;
    var base = common.themeBase;
    function thenSearch() { common.loadScript(base + 'search.js', function () {}); }
    if (window.fixbookText) thenSearch();
    else common.loadScript(base + 'text.js', thenSearch);
  }

  function init() {
    var toggle = document.getElementById('search-toggle');
    var close = document.getElementById('search-close');
    var form = document.getElementById('site-search');
    var input = document.getElementById('site-search-q');
    if (!toggle || !close || !form || !input) return;
    var root = document.documentElement;
    form.hidden = false;
    toggle.hidden = false;
    input.addEventListener('focus', loadSearch);
    // A pointer on its way to the box: start loading before the focus.
    input.addEventListener('pointerenter', loadSearch);
    if (document.activeElement === input || input.value) loadSearch();

    function folded() { return getComputedStyle(toggle).display !== 'none'; }
    function open() {
      root.classList.add('search-open');
      toggle.setAttribute('aria-expanded', 'true');
      close.hidden = false;
      input.focus();
    }
    function shut() {
      if (!root.classList.contains('search-open')) return;
      root.classList.remove('search-open');
      toggle.setAttribute('aria-expanded', 'false');
      close.hidden = true;
      toggle.focus();
    }
    toggle.addEventListener('pointerenter', loadSearch);
    toggle.addEventListener('click', open);
    close.addEventListener('click', shut);
    document.addEventListener('keydown', function (e) {
      // search.js closes its panel on the first Escape; the next one closes the overlay.
      if (e.key === 'Escape' && root.classList.contains('search-open') && !e.defaultPrevented) shut();
    });
    // `/` goes to the search box (opening it where it is folded away),
    // except while typing in a field.
    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      e.preventDefault();
      if (folded()) {
        if (!root.classList.contains('search-open')) open();
      } else {
        input.focus();
        input.select();
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
