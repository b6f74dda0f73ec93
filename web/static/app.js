/* app.js: type-ahead for the unit picker. Everything works without it. */
(function () {
  'use strict';
  var input = document.getElementById('i-unit_q');
  var box = document.getElementById('unit-results');
  if (!input || !box || !window.fetch) return;
  var timer = null, seq = 0;
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function show(items) {
    clear(box);
    if (!items.length) {
      var p = document.createElement('p');
      p.textContent = input.getAttribute('data-empty') || '';
      box.appendChild(p);
      return;
    }
    var ul = document.createElement('ul');
    ul.className = 'units';
    items.forEach(function (u) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'submit';
      b.name = 'unit_pick';
      b.value = u.code;
      b.textContent = u.name;
      li.appendChild(b);
      if (u.label && u.label !== u.name) {
        var small = document.createElement('small');
        small.textContent = ' ' + u.label.slice(u.name.length + 2);
        li.appendChild(small);
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { clear(box); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      var h = input.getAttribute('data-hierarchy') || '2025';
      fetch('/api/v1/units?limit=15&hierarchy=' + h + '&q=' + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (d) { if (mine === seq) show(d.items || []); })
        .catch(function () {});
    }, 200);
  });
})();
