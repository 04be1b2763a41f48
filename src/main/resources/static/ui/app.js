// Shared helpers for every page: nav, API key, api() wrapper, problem display, formatting.

const KEY_STORAGE = 'cnn.apiKey';
export const FINAL_STATES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
export const ACTIVE_STATES = new Set(['QUEUED', 'RUNNING']);

/** Creates an element: el('a', {href: 'x', class: 'y'}, 'text', childNode). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'style') node.style.cssText = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

export function apiKey() {
  try { return localStorage.getItem(KEY_STORAGE) || ''; } catch { return ''; }
}

function buildNav() {
  const here = location.pathname.replace(/\/$/, '/index.html');
  const link = (href, text) => {
    const a = el('a', {href}, text);
    if (here.endsWith(href) || (href === 'index.html' && here.endsWith('job.html'))
        || (href === 'models.html' && here.endsWith('model.html'))) a.setAttribute('aria-current', 'page');
    return a;
  };
  const input = el('input', {type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off',
    placeholder: 'admin key', spellcheck: 'false'});
  input.value = apiKey();
  input.addEventListener('change', () => {
    try {
      const v = input.value.trim();
      if (v) localStorage.setItem(KEY_STORAGE, v); else localStorage.removeItem(KEY_STORAGE);
    } catch { /* storage unavailable: the key lasts for this page only */ }
  });
  const nav = el('nav', {class: 'top', 'aria-label': 'Main'},
    el('a', {href: 'index.html', class: 'brand'}, 'CNN Ensemble'),
    el('ul', {}, el('li', {}, link('index.html', 'Jobs')), el('li', {}, link('models.html', 'Models')),
      el('li', {}, link('playground.html', 'Playground')), el('li', {}, el('a', {href: '/swagger-ui.html'}, 'API docs'))),
    el('span', {class: 'key'}, el('label', {for: 'api-key'}, 'API key'), input));
  document.body.prepend(el('header', {}, nav));
}
buildNav();

/** Calls the API; returns parsed JSON (null for 204); throws an Error with .problem on failure. */
export async function api(method, path, body) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const key = document.getElementById('api-key')?.value.trim() || apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  let res;
  try {
    res = await fetch(path, {method, headers, body: payload});
  } catch (e) {
    throw problemError({title: 'Network error', status: 0, detail: `The service could not be reached (${e.message}).`});
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (res.ok) return data;
  const problem = data && typeof data === 'object' ? data
    : {title: res.statusText || 'Request failed', status: res.status, detail: text.slice(0, 300)};
  problem.status ??= res.status;
  if (res.status === 401 || res.status === 403) {
    problem.detail = `${problem.detail ? problem.detail + ' ' : ''}`
      + 'This needs the admin key: paste the contents of data/api-key into the "API key" box at the top right.';
  }
  throw problemError(problem);
}

function problemError(problem) {
  const err = new Error(problem.detail || problem.title || 'Request failed');
  err.problem = problem;
  return err;
}

/** Clears a problem box and the field messages of a form. */
export function clearProblem(box, form) {
  if (box) { box.replaceChildren(); box.hidden = true; }
  if (form) {
    form.querySelectorAll('.field-error').forEach(n => n.remove());
    form.querySelectorAll('[aria-invalid]').forEach(n => {
      n.removeAttribute('aria-invalid');
      const ids = (n.getAttribute('aria-describedby') || '').split(' ').filter(id => id && !id.startsWith('err-'));
      if (ids.length) n.setAttribute('aria-describedby', ids.join(' ')); else n.removeAttribute('aria-describedby');
    });
  }
}

/** Shows an error (with .problem, RFC 9457) in a role=alert box; field errors go beside the form's fields. */
export function showProblem(box, err, form) {
  clearProblem(box, form);
  const p = err?.problem || {title: 'Error', detail: String(err?.message || err)};
  const unplaced = [];
  for (const fe of p.errors || []) {
    const control = form && [...form.elements].find(c => c.name === fe.field);
    if (!control) { unplaced.push(fe); continue; }
    const id = `err-${fe.field.replace(/[^\w-]/g, '-')}`;
    const existing = document.getElementById(id);
    if (existing) { existing.textContent += `; ${fe.message}`; continue; }
    control.insertAdjacentElement('afterend', el('span', {class: 'field-error', id}, fe.message));
    control.setAttribute('aria-invalid', 'true');
    const described = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
  }
  box.append(el('strong', {}, `${p.title || 'Error'}${p.status ? ` (${p.status})` : ''}`));
  if (p.detail) box.append(el('p', {}, p.detail));
  if (unplaced.length) box.append(el('ul', {}, unplaced.map(fe => el('li', {}, `${fe.field}: ${fe.message}`))));
  box.hidden = false;
}

// ---- formatting ----
export const dash = '—';
export function pct(fraction, digits = 2) {
  return fraction == null || Number.isNaN(fraction) ? dash : `${(fraction * 100).toFixed(digits)} %`;
}
export function num(x, digits = 0) {
  return x == null ? dash : Number(x).toLocaleString(undefined, {maximumFractionDigits: digits, minimumFractionDigits: digits});
}
export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return dash;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor(s % 3600 / 60)).padStart(2, '0')} min`;
}
export function time(iso) {
  if (!iso) return dash;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
}
export function badge(state) {
  return el('span', {class: `badge state-${String(state).toLowerCase()}`}, state);
}
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}
export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
