/* app.js: type-ahead for the unit picker, drafts of the registration form, similar
 * models under its name and the print button of reports. Everything works without it. */
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

/* A form whose saving reached the model's page is done: its draft is dropped. Any other
 * page (the form again, a refusal, a page after a lost connection) keeps it. This runs
 * before the drafts below, so a saved result is not offered back on the page it led to.
 * A form that had been saved before (?again=1: its model is shown, nothing was written)
 * may hold what was typed after that first sending (dvk-draft-sent, below): then its draft
 * stays, without the form's token, to be offered as a new form; if nothing changed since
 * (a second press, a lost answer), it is done with as well. */
(function () {
  'use strict';
  if (!window.sessionStorage || !window.localStorage || !window.JSON) return;
  var pending = sessionStorage.getItem('dvk-draft-pending');
  if (!pending) return;
  sessionStorage.removeItem('dvk-draft-pending');
  if (/^\/models\/[0-9]+$/.test(location.pathname)) {
    try {
      var kept = /[?&]again=1(&|$)/.test(location.search) ? JSON.parse(localStorage.getItem(pending) || 'null') : null;
      var sent = JSON.parse(localStorage.getItem('dvk-draft-sent') || 'null');
      localStorage.removeItem('dvk-draft-sent');
      if (kept && sent && sent.token === kept.submission && sent.draft === JSON.stringify(kept)) kept = null;
      if (kept) {
        delete kept.submission;
        localStorage.setItem(pending, JSON.stringify(kept));
      } else {
        localStorage.removeItem(pending);
      }
    } catch (e) {}
  }
})();

/* Drafts: the registration form and the result form are kept on the device while they
 * are filled, so a lost connection or a closed tab loses nothing; a draft is offered back
 * the next time, when its key field (data-draft-key, default title) is empty on the page.
 * The form's submission token comes back with the draft: a draft of a form that was saved
 * although its answer never arrived leads to the model it created, not to a second one. */
Array.prototype.forEach.call(document.querySelectorAll('form[data-draft]'), function (form) {
  'use strict';
  if (!window.localStorage || !window.JSON) return;
  var key = 'dvk-draft-' + form.getAttribute('data-draft');
  var skip = { csrf: 1, op: 1, unit_pick: 1, unit_browse: 1, similar_ok: 1 };
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !skip[el.name] && el.type !== 'submit' && el.type !== 'button' && el.type !== 'file';
    });
  }
  function save() {
    var d = {};
    fields().forEach(function (el) { d[el.name] = el.type === 'checkbox' ? el.checked : el.value; });
    try { localStorage.setItem(key, JSON.stringify(d)); } catch (e) {}
  }
  function restore(d) {
    fields().forEach(function (el) {
      if (!(el.name in d)) return;
      if (el.type === 'checkbox') el.checked = !!d[el.name];
      else if (el.type !== 'hidden' || el.name === 'unit_code' || el.name === 'hierarchy' || el.name === 'submission') el.value = d[el.name];
    });
  }
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) {}
  var keyName = form.getAttribute('data-draft-key') || 'title';
  var keyField = form.elements[keyName];
  // a page the server filled (an error, a picker step) already holds what was typed
  if (saved && keyField && !keyField.value && saved[keyName]) {
    var bar = document.createElement('div');
    bar.className = 'notice draft-offer';
    bar.setAttribute('role', 'status');
    var p = document.createElement('p');
    p.textContent = form.getAttribute('data-draft-found');
    var yes = document.createElement('button');
    yes.type = 'button';
    yes.textContent = form.getAttribute('data-draft-restore');
    var no = document.createElement('button');
    no.type = 'button';
    no.className = 'secondary';
    no.textContent = form.getAttribute('data-draft-discard');
    yes.addEventListener('click', function () { restore(saved); bar.parentNode.removeChild(bar); });
    no.addEventListener('click', function () { localStorage.removeItem(key); bar.parentNode.removeChild(bar); });
    bar.appendChild(p); bar.appendChild(yes); bar.appendChild(document.createTextNode(' ')); bar.appendChild(no);
    form.parentNode.insertBefore(bar, form);
    // a form folded away in <details> is opened, so that its draft is seen
    var fold = form.parentNode.closest ? form.parentNode.closest('details') : null;
    if (fold) fold.open = true;
  }
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  // saving: if the next page is the new model's, the draft is done with. The first sending
  // of a form with a submission token is kept as it was sent (dvk-draft-sent): should the
  // form turn out to be saved already, what was typed after it is told apart from it.
  form.addEventListener('submit', function (ev) {
    var b = ev.submitter;
    if (window.sessionStorage && (!b || b.name !== 'op' || b.value === 'save' || b.value === 'draft')) {
      sessionStorage.setItem('dvk-draft-pending', key);
      var t = form.elements.submission;
      try {
        var sent = JSON.parse(localStorage.getItem('dvk-draft-sent') || 'null');
        if (t && t.value && (!sent || sent.token !== t.value)) {
          save();
          localStorage.setItem('dvk-draft-sent', JSON.stringify({ token: t.value, draft: localStorage.getItem(key) }));
        }
      } catch (e) {}
    }
  });
});

/* Similar models nearby: while the name of a new model is typed, models with a similar
 * name in its commune, district or province are listed under it (the server lists the
 * same ones when the form is sent, and then asks to confirm: the box below). */
(function () {
  'use strict';
  var box = document.getElementById('similar');
  var title = document.getElementById('i-title');
  if (!box || !title || !title.form || !window.fetch) return;
  var form = title.form;
  var timer = null, seq = 0, shown = null;
  function value(name, dflt) { var el = form.elements[name]; return el && el.value ? el.value : dflt; }
  function render(items) {
    var key = items.map(function (m) { return m.id; }).join(',');
    if (key === shown) return;
    shown = key;
    var ok = form.elements.similar_ok;
    var checked = !!(ok && ok.checked);
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!items.length) return;
    var p = document.createElement('p');
    var strong = document.createElement('strong');
    strong.textContent = box.getAttribute('data-heading');
    p.appendChild(strong);
    box.appendChild(p);
    var ul = document.createElement('ul');
    items.forEach(function (m) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/models/' + m.id;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = m.title;
      var small = document.createElement('small');
      small.textContent = ' ' + [m.code, m.unit_name || '', box.getAttribute('data-near-' + m.proximity) || ''].join(' · ');
      li.appendChild(a);
      li.appendChild(small);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    var div = document.createElement('div');
    div.className = 'field check';
    var cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.id = 'i-similar_ok';
    cb.name = 'similar_ok';
    cb.value = '1';
    cb.checked = checked;
    var label = document.createElement('label');
    label.htmlFor = 'i-similar_ok';
    label.textContent = box.getAttribute('data-confirm');
    div.appendChild(cb);
    div.appendChild(label);
    box.appendChild(div);
  }
  function check() {
    var t = title.value.trim();
    if (t.length < 3) { render([]); return; }
    var mine = ++seq;
    var url = '/api/v1/models/similar?title=' + encodeURIComponent(t) +
      '&hierarchy=' + encodeURIComponent(value('hierarchy', '2025'));
    var unit = value('unit_code', '');
    if (unit) url += '&unit_code=' + encodeURIComponent(unit);
    fetch(url, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (d) { if (mine === seq) render(d.items || []); })
      .catch(function () {});
  }
  title.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  // a form the server filled in (after a picker step) is checked at once
  if (title.value.trim() && !box.firstChild) check();
  form.addEventListener('change', function (ev) {
    if (ev.target === title || ev.target.name === 'unit_code') { clearTimeout(timer); timer = setTimeout(check, 400); }
  });
})();

/* The print layout of a report: its button opens the browser's print dialog (without
 * JavaScript the browser's own Print does the same). */
(function () {
  'use strict';
  var b = document.querySelector('button[data-print]');
  if (b && window.print) b.addEventListener('click', function () { window.print(); });
})();
