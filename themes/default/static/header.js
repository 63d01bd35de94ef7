// fixbook header (issue 14): on a phone the search box is folded away and a
// Search button opens it full screen; Close, Escape or Back-to-page closes it.
// The search itself (box, results panel) is search.js's; this only shows and
// hides the form. Without JavaScript there is no search, so the button stays
// hidden.
(function () {
  'use strict';

  function init() {
    var toggle = document.getElementById('search-toggle');
    var close = document.getElementById('search-close');
    var form = document.getElementById('site-search');
    var input = document.getElementById('site-search-q');
    if (!toggle || !close || !form || !input) return;
    var root = document.documentElement;
    toggle.hidden = false;

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
    toggle.addEventListener('click', open);
    close.addEventListener('click', shut);
    document.addEventListener('keydown', function (e) {
      // search.js closes its panel on the first Escape; the next one closes the overlay.
      if (e.key === 'Escape' && root.classList.contains('search-open') && !e.defaultPrevented) shut();
    });
    // "/" opens it too on a phone-sized screen with a keyboard.
    document.addEventListener('keydown', function (e) {
      if (e.key === '/' && !root.classList.contains('search-open') && getComputedStyle(toggle).display !== 'none' &&
          !/^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || '')) {
        e.preventDefault();
        open();
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
