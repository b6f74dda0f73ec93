// session.mjs: signing in through the /login form with fetch, handling the
// cookies by hand (no cookie jar), and requests made with a session cookie.
//
//   const s = await signInOk(srv.base, login, password);  // { value, cookie, csrf }
//   const r = await page(srv.base, 'POST', '/models/new', { session: s, form: { ..., csrf: s.csrf } });
//
// Every helper returns the raw answer; nothing is followed (redirect: 'manual').
import assert from 'node:assert/strict';

const TIMEOUT_MS = 30000;

/* Set-Cookie lines of a fetch Response, as an array. */
export function setCookies(headers) {
  return typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
}

/* The Set-Cookie line that sets cookie `name`, or undefined. */
export function setCookieLine(headers, name) {
  return setCookies(headers).find((l) => l.startsWith(`${name}=`));
}

/* The value a Set-Cookie line gives `name` (maybe ''), or undefined when none sets it. */
export function cookieFrom(headers, name) {
  const line = setCookieLine(headers, name);
  if (line === undefined) return undefined;
  return line.slice(name.length + 1).split(';')[0];
}

/* Attributes of a Set-Cookie line, lower-cased names: { httponly: true, samesite: 'Strict', path: '/', ... }. */
export function cookieAttributes(line) {
  const out = {};
  for (const part of line.split(';').slice(1)) {
    const [k, ...v] = part.trim().split('=');
    if (!k) continue;
    out[k.toLowerCase()] = v.length ? v.join('=') : true;
  }
  return out;
}

/* The value of the first hidden csrf field of an HTML page, or undefined. */
export function csrfFrom(html) {
  const m = /<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html) || /<input[^>]*value="([^"]*)"[^>]*name="csrf"/.exec(html);
  return m ? m[1] : undefined;
}

/* The text of the page's error paragraph (<p class="error" role="alert">), or undefined. */
export function errorText(html) {
  const m = /<p class="error"[^>]*>([\s\S]*?)<\/p>/.exec(html);
  return m ? m[1] : undefined;
}

function formBody(form) {
  if (typeof form === 'string') return form;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else if (v !== undefined && v !== null) p.append(k, String(v));
  }
  return p.toString();
}

/* One request. session: { value } or a cookie value string; cookie: extra Cookie header text;
 * form: object or string (sent urlencoded). Resolves to { status, headers, text, location }. */
export async function page(base, method, path, { session, cookie, form, headers = {} } = {}) {
  const h = { ...headers };
  const cookies = [];
  if (session) cookies.push(`dvk_session=${typeof session === 'string' ? session : session.value}`);
  if (cookie) cookies.push(cookie);
  if (cookies.length) h.Cookie = cookies.join('; ');
  let body;
  if (form !== undefined) {
    body = formBody(form);
    h['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const r = await fetch(base + path, { method, headers: h, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, location: r.headers.get('location') };
}

/* GET /login: { status, pre (the dvk_pre cookie), formCsrf (the hidden field), next (hidden field), text }. */
export async function loginForm(base, { next, cookie, headers } = {}) {
  const r = await page(base, 'GET', next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`, { cookie, headers });
  const m = /<input type="hidden" name="next" value="([^"]*)"/.exec(r.text);
  return { ...r, pre: cookieFrom(r.headers, 'dvk_pre'), formCsrf: csrfFrom(r.text), next: m ? m[1] : undefined };
}

/* Signs in through the form (GET /login for the double-submit token, then POST /login).
 * cookie: extra Cookie text sent with the POST (e.g. a dvk_session planted before).
 * Resolves to { status, location, headers, text, session (new dvk_session value or undefined) }. */
export async function signIn(base, login, password, { next, cookie, headers = {} } = {}) {
  const f = await loginForm(base);
  assert.equal(f.status, 200, `GET /login: ${f.status}`);
  assert.ok(f.pre, 'GET /login sets no dvk_pre cookie');
  const form = { login, password, csrf: f.pre };
  if (next !== undefined) form.next = next;
  const r = await page(base, 'POST', '/login', {
    cookie: [`dvk_pre=${f.pre}`, cookie].filter(Boolean).join('; '), form, headers,
  });
  return { ...r, session: cookieFrom(r.headers, 'dvk_session') };
}

/* Signs in and asserts success; resolves to { value, cookie, csrf, login }. csrf comes from a page's hidden field. */
export async function signInOk(base, login, password, opts = {}) {
  const r = await signIn(base, login, password, opts);
  assert.equal(r.status, 303, `sign-in of ${login}: expected 303, got ${r.status}: ${errorText(r.text) || r.text.slice(0, 200)}`);
  assert.ok(r.session, `sign-in of ${login}: no dvk_session cookie`);
  const s = { value: r.session, cookie: `dvk_session=${r.session}`, login };
  s.csrf = await csrfOfSession(base, s);
  return s;
}

/* The CSRF token of a session, read from the hidden field of a page (the sign-out form of /models). */
export async function csrfOfSession(base, session) {
  const r = await page(base, 'GET', '/models', { session });
  assert.equal(r.status, 200, `GET /models with the session: ${r.status}`);
  const c = csrfFrom(r.text);
  assert.ok(c, 'GET /models renders no csrf field');
  return c;
}

/* Headers for an API call authenticated by the session cookie only (no bearer token). */
export function cookieHeaders(session, extra = {}) {
  return { Authorization: '', Cookie: `dvk_session=${typeof session === 'string' ? session : session.value}`, ...extra };
}
