/*
 * Elves admin page: reads the Supervisor's admin API and offers a few actions. Every call is
 * signed here with HMAC-SHA256 (WebCrypto); the secret is held in this script's memory only:
 * never sent, never stored. Plain script, no build step; the signing functions are exported for
 * Node (routes/src/test/js/admin-sign.test.mjs) as module.exports and in the browser as
 * globalThis.ElvesAdmin.
 */
'use strict';
(function (root) {
  const SIGN_TYPE = 'hmac-sha256';
  /** The parameter naming the key an action is about: auth_id is the caller's own signing parameter. */
  const KEY_ID = 'key_id';
  const encoder = new TextEncoder();

  /** Byte order of the UTF-8 forms, as the server sorts parameter names. */
  function compareBytes(a, b) {
    const x = encoder.encode(a);
    const y = encoder.encode(b);
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (x[i] !== y[i]) {
        return x[i] - y[i];
      }
    }
    return x.length - y.length;
  }

  /**
   * METHOD "\n" path "\n" pairs: every parameter but sign, decoded, empty ones included, sorted
   * by name (byte order), as name=value joined by "&".
   */
  function canonicalString(method, path, params) {
    const pairs = Object.keys(params)
      .filter((name) => name !== 'sign')
      .sort(compareBytes)
      .map((name) => name + '=' + (params[name] == null ? '' : String(params[name])))
      .join('&');
    return method.toUpperCase() + '\n' + path + '\n' + pairs;
  }

  function hex(bytes) {
    return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Lower-case hex HMAC-SHA256 of the text with the secret. */
  async function hmacHex(secret, text) {
    const key = await root.crypto.subtle.importKey('raw', encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return hex(await root.crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  }

  /** 32 random hex digits. */
  function randomNonce() {
    const bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return hex(bytes);
  }

  /**
   * The request's parameters with sign_type, auth_id, timestamp, nonce and sign added.
   * timestamp (seconds) and nonce may be given for tests.
   */
  async function signParams(method, path, params, authId, secret, timestamp, nonce) {
    const all = Object.assign({}, params, {
      sign_type: SIGN_TYPE,
      auth_id: authId,
      timestamp: String(timestamp == null ? Math.floor(Date.now() / 1000) : timestamp),
      nonce: nonce == null ? randomNonce() : nonce,
    });
    all.sign = await hmacHex(secret, canonicalString(method, path, all));
    return all;
  }

  /** name=value&... with %20 for spaces (a server decoding the query as a URI would keep a '+'). */
  function query(params) {
    return Object.keys(params)
      .map((n) => encodeURIComponent(n) + '=' + encodeURIComponent(params[n] == null ? '' : String(params[n])))
      .join('&');
  }

  /** Where the API is: the page is served at PREFIX/admin/, the API at PREFIX/api/v2/... */
  function apiPrefix(pathname) {
    const at = pathname.lastIndexOf('/admin');
    return at < 0 ? '' : pathname.slice(0, at);
  }

  /** {authId, key} from a fragment "#auth_id=...&key=...", or null. */
  function parseFragment(hash) {
    const p = new URLSearchParams((hash || '').replace(/^#/, ''));
    const authId = p.get('auth_id');
    const key = p.get('key');
    return authId && key ? { authId, key } : null;
  }

  const api = { SIGN_TYPE, KEY_ID, compareBytes, canonicalString, hmacHex, randomNonce, signParams, query,
    apiPrefix, parseFragment };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }
  root.ElvesAdmin = api;
  if (typeof document === 'undefined') {
    return;
  }

  // ---------------------------------------------------------------- the page
  let login = null; // {authId, key}: memory only
  const prefix = apiPrefix(root.location.pathname);
  const $ = (id) => document.getElementById(id);

  /** A DOM element; children are nodes or text (never parsed as HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith('on')) {
        el.addEventListener(k.slice(2), v);
      } else if (v !== false && v != null) {
        el.setAttribute(k, v === true ? '' : v);
      }
    }
    for (const c of children.flat()) {
      if (c != null) {
        el.append(c instanceof Node ? c : String(c));
      }
    }
    return el;
  }

  /** A form's field by name (form.name would be the form's own name attribute). */
  function field(form, name) {
    return form.elements.namedItem(name);
  }

  function dash(v) {
    return v == null || v === '' ? '-' : String(v);
  }

  function table(headers, rows) {
    return h('table', {}, h('thead', {}, h('tr', {}, headers.map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
  }

  function showError(text) {
    $('errors').append(h('div', { class: 'error-banner' }, text,
      ' ', h('button', { type: 'button', onclick: (e) => e.target.parentElement.remove() }, 'dismiss')));
  }

  function showNotice(...content) {
    $('notices').append(h('div', { class: 'notice' }, ...content,
      ' ', h('button', { type: 'button', onclick: (e) => e.target.parentElement.remove() }, 'dismiss')));
  }

  /** One signed call; the envelope's result, or an Error with the API's text ("[code]Text"). */
  async function call(path, params) {
    const fullPath = prefix + path;
    const signed = await signParams('GET', fullPath, params || {}, login.authId, login.key);
    let response;
    try {
      response = await fetch(fullPath + '?' + query(signed), { headers: { Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new Error(path + ': no answer (' + e.message + ')');
    }
    const body = await response.text();
    let doc = null;
    try {
      doc = JSON.parse(body);
    } catch (e) {
      // handled below
    }
    if (!doc || typeof doc !== 'object' || !('flag' in doc)) {
      throw new Error(path + ': HTTP ' + response.status + ', not an Elves API answer: ' + body.slice(0, 200));
    }
    if (String(doc.flag) !== 'true') {
      throw new Error(path + ': ' + (doc.error || 'HTTP ' + response.status));
    }
    return doc.result;
  }

  /** Runs an action, shows its error, and reloads the views when it worked. */
  async function act(fn) {
    try {
      await fn();
      await refresh();
    } catch (e) {
      showError(e.message);
    }
  }

  function secretNotice(what, result) {
    showNotice(what + ': auth_id ', h('code', {}, result.auth_id), ', secret ', h('code', {}, result.key),
      ' (shown only now: keep it)');
  }

  // apps ------------------------------------------------------------------
  function stateCell(state) {
    return h('span', { class: state ? 'state-' + state : 'muted' }, dash(state));
  }

  async function renderApps() {
    const apps = await call('/api/v2/admin/app/list');
    const statuses = await Promise.all(apps.map((a) => call('/api/v2/admin/app/status', { app: a.app })
      .then((s) => ({ ok: true, s }), (e) => ({ ok: false, e }))));
    const box = $('apps');
    box.replaceChildren();
    if (apps.length === 0) {
      box.append(h('p', { class: 'muted' }, 'No apps yet.'));
    }
    apps.forEach((a, i) => {
      const versions = a.versions || [];
      const agents = a.agents || [];
      const onlineSelect = h('select', { name: 'version' },
        versions.map((v) => h('option', { value: v.version, selected: v.version === a.online_version }, v.version)));
      const agentsInput = h('input', { name: 'agents', placeholder: "IPs a,b or *", value: agents.join(',') });
      const status = statuses[i];
      box.append(h('div', { class: 'app-card', 'data-app': a.app },
        h('h3', {}, a.app, ' ', h('span', { class: 'muted' }, a.name ? '(' + a.name + ')' : '')),
        h('p', {}, 'online version ', h('strong', {}, dash(a.online_version)),
          ' · processor ', dash(a.processor), ' · agents ', agents.length ? agents.join(', ') : 'none',
          ' · created ', dash(a.create_time), ' · updated ', dash(a.update_time)),
        versions.length === 0 ? h('p', { class: 'muted' }, 'No version uploaded (elves app upload).')
          : table(['version', 'sha256', 'size', 'uploaded'], versions.map((v) => [
            v.version === a.online_version ? h('strong', {}, v.version + ' (online)') : v.version,
            h('code', { class: 'sha' }, dash(v.sha256)), dash(v.size), dash(v.upload_time)])),
        h('div', { class: 'actions' },
          versions.length ? [onlineSelect, h('button', { type: 'button', onclick: () => act(() =>
            call('/api/v2/admin/app/online', { app: a.app, version: onlineSelect.value })) }, 'Set online version')] : null,
          agentsInput, h('button', { type: 'button', onclick: () => act(() =>
            call('/api/v2/admin/app/deploy', { app: a.app, agents: agentsInput.value.trim() })) }, 'Deploy to agents')),
        h('h4', {}, 'Agent status'),
        !status.ok ? h('p', { class: 'muted' }, 'status unavailable: ' + status.e.message)
          : status.s.length === 0 ? h('p', { class: 'muted' }, 'No agents.')
            : table(['agent', 'wanted', 'installed', 'state', 'last heartbeat', 'error'], status.s.map((s) => [
              s.ip, dash(s.wanted), dash(s.installed), stateCell(s.state), dash(s.last_hb_time), s.error || ''])),
      ));
      if (!status.ok) {
        showError(status.e.message);
      }
    });
  }

  // keys ------------------------------------------------------------------
  function grantsCell(k) {
    const grants = k.grants || {};
    const apps = Object.keys(grants);
    if (apps.length === 0) {
      return h('span', { class: 'muted' }, 'none');
    }
    return h('div', {}, apps.map((app) => h('div', {}, h('strong', {}, app), ': ',
      (grants[app] || []).join(', ') || '-', ' ',
      h('button', { type: 'button', title: 'revoke this grant', onclick: () => act(() =>
        call('/api/v2/admin/key/revoke', { [KEY_ID]: k.auth_id, app })) }, '×'))));
  }

  async function renderKeys() {
    const keys = await call('/api/v2/admin/key/list');
    const box = $('keys');
    box.replaceChildren();
    if (keys.length === 0) {
      box.append(h('p', { class: 'muted' }, 'No keys.'));
      return;
    }
    box.append(table(['auth_id', 'name', 'admin', 'strong only', 'grants', 'created', 'rotated', ''], keys.map((k) => {
      const app = h('input', { placeholder: 'app', size: 10 });
      const agents = h('input', { placeholder: 'IPs or *', size: 14 });
      return [h('code', {}, k.auth_id), dash(k.name), k.admin ? 'yes' : 'no', k.strong_only ? 'yes' : 'no',
        grantsCell(k), dash(k.create_time), dash(k.rotate_time),
        h('div', { class: 'actions' }, app, agents,
          h('button', { type: 'button', onclick: () => act(() => call('/api/v2/admin/key/grant',
            { [KEY_ID]: k.auth_id, app: app.value.trim(), agents: agents.value.trim() })) }, 'Grant'),
          h('button', { type: 'button', onclick: () => act(async () => secretNotice('Rotated ' + k.auth_id,
            await call('/api/v2/admin/key/rotate', { [KEY_ID]: k.auth_id }))) }, 'Rotate'),
          h('button', { type: 'button', onclick: () => root.confirm('Delete key ' + k.auth_id + '?')
            && act(() => call('/api/v2/admin/key/revoke', { [KEY_ID]: k.auth_id })) }, 'Delete'))];
    })));
  }

  // audit -----------------------------------------------------------------
  async function renderAudit() {
    const entries = await call('/api/v2/admin/audit', { limit: '100' });
    const box = $('audit');
    box.replaceChildren(entries.length === 0 ? h('p', { class: 'muted' }, 'Nothing yet.')
      : table(['time', 'actor', 'action', 'target', 'detail'], entries.map((e) =>
        [dash(e.time), dash(e.actor), dash(e.action), dash(e.target), typeof e.detail === 'string' ? e.detail
          : JSON.stringify(e.detail)])));
  }

  async function refresh() {
    $('errors').replaceChildren();
    const views = [['apps', renderApps], ['keys', renderKeys], ['audit', renderAudit]];
    const done = await Promise.allSettled(views.map(([, render]) => render()));
    done.forEach((d, i) => {
      if (d.status === 'rejected') {
        $(views[i][0]).replaceChildren(h('p', { class: 'muted' }, 'unavailable'));
        showError(d.reason.message);
      }
    });
    document.body.setAttribute('data-loaded', 'true');
  }

  function enter(credentials) {
    login = credentials;
    $('login').hidden = true;
    $('main').hidden = false;
    $('refresh').hidden = false;
    $('logout').hidden = false;
    $('who').textContent = 'signed in as ' + credentials.authId;
    return refresh();
  }

  function start() {
    const fromFragment = parseFragment(root.location.hash);
    if (fromFragment) {
      // the secret must not stay in the address bar or the history
      root.history.replaceState(null, '', root.location.pathname + root.location.search);
      enter(fromFragment);
    }
    $('login').addEventListener('submit', (e) => {
      e.preventDefault();
      const form = e.target;
      const credentials = { authId: field(form, 'auth_id').value.trim(), key: field(form, 'key').value };
      form.reset();
      enter(credentials);
    });
    $('logout').addEventListener('click', () => {
      login = null;
      root.location.reload();
    });
    $('refresh').addEventListener('click', () => refresh());
    $('create-app').addEventListener('submit', (e) => {
      e.preventDefault();
      const f = e.target;
      const params = { app: field(f, 'app').value.trim(), name: field(f, 'name').value.trim() };
      if (field(f, 'processor').value.trim()) {
        params.processor = field(f, 'processor').value.trim();
      }
      act(async () => {
        await call('/api/v2/admin/app/create', params);
        f.reset();
      });
    });
    $('create-key').addEventListener('submit', (e) => {
      e.preventDefault();
      const f = e.target;
      act(async () => {
        secretNotice('New key', await call('/api/v2/admin/key/create', { name: field(f, 'name').value.trim(),
          strong_only: String(field(f, 'strong_only').checked), admin: String(field(f, 'admin').checked) }));
        f.reset();
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})(globalThis);
