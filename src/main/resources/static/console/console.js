// Yingyan console: plain JavaScript, no build step, no third-party code. Every figure comes from the
// hub's JSON API with the signed-in person's HTTP Basic credential, kept in sessionStorage (this tab
// only). Data is only ever put into the page as text (textContent), never as HTML: quarantined payloads
// and error messages come from departments' systems.
'use strict';
(() => {
  const I18N = window.YINGYAN_I18N;
  const REFRESH_MS = 5000;
  const CHART_EVERY = 6; // charts are re-read every 6th board refresh (30 s)
  const $ = (id) => document.getElementById(id);

  let lang = localStorage.getItem('yingyan.lang')
    || ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en');
  let session = readSession();
  let view = null;
  let board = null;
  const charts = {};
  let refreshes = 0;
  let timer = null;
  let quarantineNext = null;
  let quarantineSeq = 0;
  let auditNext = null;
  let openItem = null;
  let lastHistory = null;
  let alertsNext = null;
  let alertsSeq = 0;
  let openAlertId = null;
  let highlightSeq = null;

  // ---------- text ----------

  function t(key, args) {
    let s = (I18N[lang] && I18N[lang][key]) || I18N.en[key] || key;
    if (args) {
      for (const [k, v] of Object.entries(args)) {
        s = s.split('{' + k + '}').join(String(v));
      }
    }
    return s;
  }

  function applyLang() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
    document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
    $('lang-zh').classList.toggle('active', lang === 'zh');
    $('lang-en').classList.toggle('active', lang === 'en');
    if (session) {
      showWho();
    }
    if (board) {
      renderBoard();
    }
    if (lastHistory) {
      renderHistory(lastHistory);
    }
  }

  function setLang(l) {
    lang = l;
    localStorage.setItem('yingyan.lang', l);
    applyLang();
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) {
        continue;
      }
      if (k === 'text') {
        e.textContent = v;
      } else if (k === 'class') {
        e.className = v;
      } else if (k.startsWith('on')) {
        e.addEventListener(k.substring(2), v);
      } else {
        e.setAttribute(k, v === true ? '' : v);
      }
    }
    for (const c of children) {
      if (c !== null && c !== undefined) {
        e.append(c instanceof Node ? c : document.createTextNode(String(c)));
      }
    }
    return e;
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  // Every time on the console is Beijing time (Asia/Shanghai), the hub's users' zone, whatever the browser's.
  const BEIJING = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });

  function fmtTime(iso) {
    if (!iso) {
      return '—';
    }
    const d = new Date(iso);
    if (isNaN(d)) {
      return String(iso);
    }
    const p = Object.fromEntries(BEIJING.formatToParts(d).map((x) => [x.type, x.value]));
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second;
  }

  function fmtDur(seconds) {
    if (seconds === null || seconds === undefined) {
      return '—';
    }
    const s = Math.round(seconds);
    if (s < 60) {
      return t('unit.s', { n: s });
    }
    if (s < 3600) {
      return t('unit.min', { n: Math.floor(s / 60) });
    }
    if (s < 86400) {
      return t('unit.h', { n: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
    }
    return t('unit.d', { n: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
  }

  function fmtNum(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');
  }

  function flash(text) {
    const f = $('flash');
    f.textContent = text;
    f.hidden = !text;
  }

  // ---------- session and API ----------

  function readSession() {
    try {
      return JSON.parse(sessionStorage.getItem('yingyan.session') || 'null');
    } catch (e) {
      return null;
    }
  }

  function isOperator() {
    return !!session && session.roles.includes('OPERATOR');
  }

  function isSupervisor() {
    return !!session && session.roles.includes('SUPERVISOR');
  }

  /** Reads the hub's records, quarantine, board...: VIEWER or OPERATOR. A supervisor alone reads alerts only. */
  function canRead() {
    return !!session && (session.roles.includes('VIEWER') || session.roles.includes('OPERATOR'));
  }

  function basic(user, password) {
    const bytes = new TextEncoder().encode(user + ':' + password);
    let bin = '';
    bytes.forEach((b) => { bin += String.fromCharCode(b); });
    return btoa(bin);
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || ('HTTP ' + status));
      this.status = status;
      this.body = body;
    }
  }

  // X-Requested-With makes the hub answer 401 without a WWW-Authenticate challenge, so the browser never
  // pops up its own password dialog; credentials: 'omit' keeps any browser-held credential out.
  // form: fields sent as application/x-www-form-urlencoded (the hub parses no JSON request body).
  async function api(method, path, auth, form) {
    const headers = {
      Authorization: 'Basic ' + (auth || (session && session.auth)),
      'X-Requested-With': 'XMLHttpRequest',
      Accept: 'application/json'
    };
    const init = { method, headers, credentials: 'omit', cache: 'no-store' };
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(form).toString();
    }
    const res = await fetch(path, init);
    let body = null;
    const text = await res.text();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        body = { detail: text };
      }
    }
    if (res.status === 401 && !auth) {
      signOut(t('login.expired'));
    }
    return { status: res.status, ok: res.ok, body };
  }

  async function get(path) {
    const r = await api('GET', path);
    if (!r.ok) {
      throw new ApiError(r.status, r.body);
    }
    return r.body;
  }

  /** get(), but a failure is shown in the flash line and answered with undefined. */
  async function getOrFlash(path) {
    try {
      return await get(path);
    } catch (e) {
      flash(t('common.error', { msg: e.message }));
      return undefined;
    }
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== null && v !== undefined && v !== '') {
        q.set(k, v);
      }
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  async function signIn(ev) {
    ev.preventDefault();
    const user = $('login-user').value.trim();
    const auth = basic(user, $('login-password').value);
    const err = $('login-error');
    err.hidden = true;
    let r;
    try {
      r = await api('GET', '/api/v1/me', auth);
    } catch (e) {
      err.textContent = t('common.error', { msg: e.message });
      err.hidden = false;
      return;
    }
    if (!r.ok) {
      err.textContent = r.status === 401 ? t('login.failed') : t('common.error', { msg: 'HTTP ' + r.status });
      err.hidden = false;
      return;
    }
    const roles = r.body.roles || [];
    if (!roles.includes('VIEWER') && !roles.includes('OPERATOR') && !roles.includes('SUPERVISOR')) {
      err.textContent = t('login.noRole');
      err.hidden = false;
      return;
    }
    // hubWide false: region or department grants; the hub-wide tabs are hidden (the hub answers them 403).
    session = { name: r.body.name, roles, auth, hubWide: r.body.hubWide !== false };
    sessionStorage.setItem('yingyan.session', JSON.stringify(session));
    $('login-password').value = '';
    start();
  }

  function signOut(message) {
    session = null;
    board = null;
    sessionStorage.removeItem('yingyan.session');
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
    $('app').hidden = true;
    $('who').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    const err = $('login-error');
    err.textContent = message || '';
    err.hidden = !message;
  }

  function showWho() {
    const roles = session.roles.filter((r) => r === 'OPERATOR' || r === 'VIEWER' || r === 'SUPERVISOR')
      .map((r) => t('role.' + r));
    $('who').textContent = session.name + ' (' + roles.join(', ') + ')';
  }

  function start() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('logout').hidden = false;
    document.body.classList.toggle('is-operator', isOperator());
    // Viewers get no action controls at all; the hub refuses the actions to them in any case (403).
    document.querySelectorAll('.operator-only').forEach((e) => {
      e.hidden = !isOperator();
      e.querySelectorAll('button, input').forEach((b) => { b.disabled = !isOperator(); });
      if (e.matches('button, input')) {
        e.disabled = !isOperator();
      }
    });
    // Only a supervisor acknowledges alerts (the hub answers anyone else 403).
    document.querySelectorAll('.supervisor-only').forEach((e) => {
      e.hidden = !isSupervisor();
      e.querySelectorAll('button, textarea').forEach((b) => { b.disabled = !isSupervisor(); });
    });
    // A person limited to some regions or departments sees no hub-wide view.
    document.querySelectorAll('.hub-wide').forEach((e) => { e.hidden = !hubWide(); });
    // A supervisor who is not also a viewer reads alerts and nothing else.
    document.querySelectorAll('.tabs button').forEach((b) => {
      b.hidden = (!canRead() && b.dataset.view !== 'alerts') || (!hubWide() && b.classList.contains('hub-wide'));
    });
    showWho();
    show((location.hash || (!canRead() ? '#alerts' : (hubWide() ? '#board' : '#records'))).substring(1));
    if (!canRead() || !hubWide()) {
      return;
    }
    refreshBoard();
    if (!timer) {
      timer = setInterval(() => {
        if (session) {
          refreshBoard();
        }
      }, REFRESH_MS);
    }
  }

  // ---------- views ----------

  function hubWide() {
    return !session || session.hubWide !== false;
  }

  function show(name) {
    if (!['board', 'alerts', 'quarantine', 'records', 'province', 'deadletters', 'audit', 'quality'].includes(name)) {
      name = 'board';
    }
    if (!canRead()) {
      name = 'alerts';
    } else if (!hubWide() && document.querySelector('#tab-' + name + '.hub-wide')) {
      name = 'records';
    }
    view = name;
    if (location.hash !== '#' + name) {
      history.replaceState(null, '', '#' + name);
    }
    document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== 'view-' + name; });
    document.querySelectorAll('.tabs button').forEach((b) => {
      b.classList.toggle('active', b.dataset.view === name);
      b.setAttribute('aria-selected', b.dataset.view === name ? 'true' : 'false');
    });
    flash('');
    if (name === 'alerts') {
      loadAlerts(false);
    } else if (name === 'quarantine') {
      loadQuarantine(false);
    } else if (name === 'province') {
      loadBatches();
    } else if (name === 'deadletters') {
      loadDeadLetters();
    } else if (name === 'audit') {
      loadAudit(false);
    } else if (name === 'quality') {
      loadQuality();
    }
  }

  // ---------- flow board ----------

  async function refreshBoard() {
    try {
      board = await get('/api/v1/adapters');
    } catch (e) {
      if (e.status !== 401) {
        flash(t('common.error', { msg: e.message }));
      }
      return;
    }
    if (refreshes++ % CHART_EVERY === 0) {
      await Promise.all(board.items.map(async (a) => {
        try {
          charts[a.adapter] = await get('/api/v1/adapters/' + encodeURIComponent(a.adapter) + '/flow');
        } catch (e) {
          delete charts[a.adapter];
        }
      }));
    }
    fillAdapterSelects();
    renderBoard();
    refreshCluster();
  }

  /** The cluster's nodes (GET /api/v1/cluster): name (★ this node), host, last seen, UP or LOST, jobs led. */
  async function refreshCluster() {
    let c;
    try {
      c = await get('/api/v1/cluster');
    } catch (e) {
      return;
    }
    $('cluster-rows').replaceChildren(...c.nodes.map((n) => el('tr', { 'data-node': n.name, 'data-state': n.state },
      el('td', {}, el('code', { text: n.name }),
        n.name === c.node ? el('span', { class: 'sub this-node', text: '★ ' + t('cluster.thisNode') }) : null),
      el('td', { text: n.host }),
      el('td', { text: fmtTime(n.lastSeen) }),
      el('td', {}, el('span', { class: 'state state-' + (n.state === 'UP' ? 'RUNNING' : 'FAILING'), text: n.state })),
      el('td', { class: 'jobs', text: n.jobs.length ? n.jobs.join(', ') : '—' }))));
  }

  function stateBadge(state, reason) {
    const wrap = el('span', { class: 'state-cell' },
      el('span', { class: 'state state-' + state, 'data-state': state, text: t('state.' + state) }));
    if (reason) {
      wrap.append(el('span', { class: 'state-why' + (state === 'STOPPED' ? ' stopped' : ''), text: reason }));
    }
    return wrap;
  }

  function renderBoard() {
    const rows = $('board-rows');
    rows.replaceChildren(...board.items.map(boardRow));
    $('board-updated').textContent = fmtTime(new Date().toISOString());
    renderProvince(board.province, 'province-row', t('board.provinceRecords'));
    if (board.province.alerts) {
      renderProvince(board.province.alerts, 'province-alert-row', t('board.provinceAlerts'));
    }
  }

  function boardRow(a) {
    const tr = el('tr', { 'data-adapter': a.adapter, 'data-state': a.state });
    tr.append(
      el('td', { class: 'adapter' }, el('code', { text: a.adapter })),
      el('td', { class: 'state-col' }, stateBadge(a.state, stateReason(a))),
      el('td', { class: 'num last-minute', text: fmtNum(a.lastMinute) }),
      el('td', { class: 'num last-hour' }, fmtNum(a.lastHour),
        el('span', { class: 'sub', text: t('board.dupStale', { d: fmtNum(a.duplicatesLastHour), s: fmtNum(a.staleLastHour) }) })),
      el('td', { class: 'chart' }, sparkline(charts[a.adapter])),
      el('td', { class: 'last-success' }, fmtTime(a.lastSuccessAt), a.poll ? el('span', {
        class: 'sub poll', text: t('board.polling', {
          since: fmtTime(a.poll.startedAt), read: fmtNum(a.poll.read), queued: fmtNum(a.poll.queued),
          at: a.poll.position || '—', rate: fmtNum(a.poll.perSecond)
        })
      }) : null, reconciliationLine(a.reconciliation)),
      el('td', { class: 'err last-error' }, a.lastError ? el('span', { class: 'sub', text: fmtTime(a.lastErrorAt) }) : '—',
        a.lastError ? a.lastError : null,
        a.state === 'FAILING' && a.nextAttemptAt
          ? el('span', { class: 'sub', text: t('board.failures', { n: a.consecutiveFailures, at: fmtTime(a.nextAttemptAt) }) })
          : null),
      el('td', { class: 'num lag', text: fmtDur(a.lagSeconds) }),
      el('td', { class: 'num quarantined' }, el('button', {
        type: 'button', class: 'link', text: fmtNum(a.quarantineOpen),
        onclick: () => { $('q-adapter').value = a.adapter; $('q-state').value = 'OPEN'; show('quarantine'); }
      })),
      el('td', { class: 'ops' }, ...adapterActions(a)));
    return tr;
  }

  /** The adapter's last reconciliation with its source (housing-fund's nightly pass), when it runs one. */
  function reconciliationLine(r) {
    if (!r) {
      return null;
    }
    return el('span', { class: 'sub reconciliation' + (r.missing > 0 || r.error ? ' err' : ''),
      text: t('board.reconciled', { at: fmtTime(r.lastRunAt), c: fmtNum(r.checked), m: fmtNum(r.missing), r: fmtNum(r.reread) })
        + (r.error ? ' · ' + r.error : '') });
  }

  /** Why an adapter is not running, in the reader's language where the hub knows it; a source's own error as it is. */
  function stateReason(a) {
    if (a.state !== 'STOPPED') {
      return a.reason;
    }
    return a.stoppedBy ? t('board.stoppedBy', { by: a.stoppedBy.by, at: fmtTime(a.stoppedBy.at) }) : t('board.notStarted');
  }

  function adapterActions(a) {
    if (!isOperator() || !Object.keys(a.routes || {}).length) {
      return [];
    }
    const out = [];
    if (a.state === 'STOPPED') {
      out.push(actionButton('act-start', t('action.start'), () => adapterAction(a.adapter, 'start')));
    } else {
      out.push(actionButton('act-stop', t('action.stop'), () => {
        if (confirm(t('action.confirmStop', { id: a.adapter }))) {
          adapterAction(a.adapter, 'stop');
        }
      }));
      out.push(actionButton('act-poll', t('action.poll'), () => adapterAction(a.adapter, 'poll')));
    }
    return out;
  }

  function actionButton(cls, label, onclick) {
    return el('button', { type: 'button', class: 'action ' + cls, text: label, onclick });
  }

  async function adapterAction(id, what) {
    const r = await api('POST', '/api/v1/adapters/' + encodeURIComponent(id) + '/' + what);
    flash(id + ': ' + (r.body && r.body.detail ? r.body.detail : 'HTTP ' + r.status)
      + (r.ok ? '' : ' (HTTP ' + r.status + ')'));
    await refreshBoard();
  }

  // An empty chart W × H pixels in the board's small-chart style (the flow sparkline, the months' bars).
  function sparkSvg(W, H) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    return svg;
  }

  function sparkline(flow) {
    const W = 180;
    const H = 34;
    const svg = sparkSvg(W, H);
    const base = document.createElementNS(svg.namespaceURI, 'line');
    base.setAttribute('class', 'base');
    base.setAttribute('x1', 0);
    base.setAttribute('x2', W);
    base.setAttribute('y1', H - 1);
    base.setAttribute('y2', H - 1);
    svg.append(base);
    if (!flow || !flow.items.length) {
      return svg;
    }
    const values = flow.items.map((p) => p.applied);
    const max = Math.max(1, ...values);
    const step = values.length > 1 ? W / (values.length - 1) : W;
    const points = values.map((v, i) => (i * step).toFixed(1) + ',' + (H - 2 - (v / max) * (H - 4)).toFixed(1));
    const line = document.createElementNS(svg.namespaceURI, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.append(line);
    const title = document.createElementNS(svg.namespaceURI, 'title');
    title.textContent = t('board.chartTitle', { h: Math.round(flow.minutes / 60), max: Math.max(...values) });
    svg.append(title);
    svg.setAttribute('data-total', values.reduce((x, y) => x + y, 0));
    return svg;
  }

  // One row of the provincial push: the record batches', or the alert batches' (own ledger, breaker, backoff).
  function renderProvince(p, rowId, label) {
    const tr = $(rowId);
    tr.setAttribute('data-state', p.state);
    tr.replaceChildren(
      el('td', { class: 'state-col' }, stateBadge(p.state, p.reason), el('span', { class: 'sub', text: label })),
      el('td', { class: 'num pending', text: fmtNum(p.pending) }),
      el('td', { class: 'num oldest', text: fmtDur(p.oldestPendingAgeSeconds) }),
      el('td', { class: 'num', text: fmtNum(p.accepted) }),
      el('td', { class: 'num', text: fmtNum(p.rejected) }),
      el('td', { class: 'num' }, p.failedBatches > 0 ? batchLink(p.failedBatches, 'FAILED') : fmtNum(p.failedBatches)),
      el('td', { class: 'num' }, p.stuckBatches > 0 ? batchLink(p.stuckBatches, 'STUCK') : fmtNum(p.stuckBatches)),
      el('td', { text: fmtTime(p.lastSuccessAt) }),
      el('td', { class: 'err' }, p.lastError ? el('span', { class: 'sub', text: fmtTime(p.lastErrorAt) }) : '—',
        p.lastError || null));
  }

  function batchLink(n, state) {
    return el('button', {
      type: 'button', class: 'link', text: fmtNum(n),
      onclick: () => { $('p-state').value = state; show('province'); }
    });
  }

  function fillAdapterSelects() {
    for (const id of ['q-adapter', 'r-adapter']) {
      const s = $(id);
      const have = new Set([...s.options].map((o) => o.value));
      for (const a of board.items) {
        if (!have.has(a.adapter)) {
          s.append(el('option', { value: a.adapter, text: a.adapter }));
        }
      }
    }
  }

  // ---------- quarantine ----------

  function localToIso(v) {
    return v ? new Date(v).toISOString() : null;
  }

  async function loadQuarantine(more) {
    const params = {
      adapter: $('q-adapter').value, state: $('q-state').value, reason: $('q-reason').value.trim(),
      from: localToIso($('q-from').value), to: localToIso($('q-to').value), limit: 50,
      after: more ? quarantineNext : null
    };
    const seq = ++quarantineSeq;
    const q = query(params);
    const page = await getOrFlash('/api/v1/quarantine' + q);
    if (page === undefined) {
      return;
    }
    if (seq !== quarantineSeq) {
      return; // a newer search was started meanwhile: its answer is the one to show
    }
    $('q-table').dataset.query = q;
    quarantineNext = page.next;
    const rows = $('q-rows');
    if (!more) {
      rows.replaceChildren();
      $('q-all').checked = false;
    }
    for (const q of page.items) {
      rows.append(quarantineRow(q));
    }
    if (!rows.children.length) {
      rows.append(el('tr', {}, el('td', { colspan: 10, class: 'muted', text: t('quarantine.none') })));
    }
    $('q-more').hidden = !quarantineNext;
  }

  function quarantineRow(q) {
    const tr = el('tr', { 'data-id': q.id, 'data-state': q.state });
    if (isOperator()) {
      tr.append(el('td', {}, q.state === 'OPEN'
        ? el('input', { type: 'checkbox', class: 'q-pick', value: q.id, 'aria-label': '#' + q.id }) : null));
    }
    tr.append(
      el('td', { text: q.id }),
      el('td', {}, el('code', { text: q.adapter })),
      el('td', { text: q.sourceKey || '—' }),
      el('td', { text: q.field || '—' }),
      el('td', { class: 'reason', text: q.reason }),
      el('td', { text: fmtTime(q.receivedAt) }),
      el('td', { class: 'num', text: q.occurrences }),
      el('td', { text: q.state === 'OPEN' ? t('quarantine.open') : t('quarantine.released') }),
      el('td', {}, el('button', { type: 'button', class: 'link q-open', text: t('quarantine.view'), onclick: () => openQuarantine(q.id) })));
    return tr;
  }

  async function openQuarantine(id) {
    const q = await getOrFlash('/api/v1/quarantine/' + id);
    if (q === undefined) {
      return;
    }
    openItem = q;
    document.querySelectorAll('#q-rows tr').forEach((r) => r.classList.toggle('selected', r.dataset.id === String(id)));
    $('q-detail').hidden = false;
    $('q-detail-id').textContent = q.id;
    const dl = $('q-detail-fields');
    dl.replaceChildren();
    const fields = [['board.adapter', q.adapter], ['quarantine.sourceKey', q.sourceKey], ['quarantine.field', q.field],
      ['quarantine.reasonCol', q.reason], ['quarantine.origin', q.origin], ['quarantine.receivedAt', fmtTime(q.receivedAt)],
      ['quarantine.lastSeenAt', fmtTime(q.lastSeenAt)], ['quarantine.occurrences', q.occurrences],
      ['quarantine.state', q.state === 'OPEN' ? t('quarantine.open') : t('quarantine.released')],
      ['quarantine.releaseOutcome', q.releaseOutcome], ['quarantine.recordId', q.recordId]];
    for (const [k, v] of fields) {
      dl.append(el('dt', { text: t(k) }), el('dd', { text: v === null || v === undefined ? '—' : v }));
    }
    $('q-detail-raw').textContent = q.raw;
    const release = $('q-detail-release');
    release.disabled = !isOperator() || q.state !== 'OPEN';
  }

  async function release(ids) {
    const list = $('q-outcomes');
    list.replaceChildren();
    for (const id of ids) {
      let r;
      try {
        r = await api('POST', '/api/v1/quarantine/' + id + '/release');
      } catch (e) {
        r = { status: 0, ok: false, body: { detail: e.message } };
      }
      const b = r.body || {};
      const state = r.status === 403 ? 'FORBIDDEN' : (b.state || 'ERROR');
      const li = el('li', { class: r.ok ? 'ok' : 'bad', 'data-id': id, 'data-outcome': state },
        '#' + id + ': ' + t('outcome.' + state) + (b.detail ? ' — ' + b.detail : ''));
      if (b.recordId) {
        li.append(' ', el('button', { type: 'button', class: 'link show-record', text: b.recordId,
          onclick: () => { $('r-record-id').value = b.recordId; show('records'); lookupById(); } }));
      }
      list.append(li);
    }
    await loadQuarantine(false);
    if (openItem && ids.includes(openItem.id)) {
      await openQuarantine(openItem.id);
    }
  }


  // ---------- alerts ----------

  function alertFilter() {
    return {
      level: $('al-level').value, rule: $('al-rule').value.trim(), department: $('al-department').value.trim(),
      regionCode: $('al-region').value.trim()
    };
  }

  function levelBadge(level) {
    return el('span', { class: 'level level-' + level, 'data-level': level, text: t('level.' + level) });
  }

  function alertState(a) {
    return a.clearedAt ? 'CLEARED' : a.resolvedAt ? 'RESOLVED' : 'OPEN';
  }

  /** The list and the open counts, with the same filters (the counts are always of open alerts). */
  async function loadAlerts(more) {
    const f = alertFilter();
    const seq = ++alertsSeq;
    const q = query(Object.assign({}, f, { state: $('al-state').value, limit: 50, after: more ? alertsNext : null }));
    const [page, counts] = await Promise.all([getOrFlash('/api/v1/alerts' + q),
      more ? Promise.resolve(null) : getOrFlash('/api/v1/alerts/counts' + query(f))]);
    if (seq !== alertsSeq || page === undefined) {
      return; // a newer search is under way, or the hub refused (shown in the flash line)
    }
    if (counts) {
      renderCounts(counts);
    }
    alertsNext = page.next;
    const rows = $('al-rows');
    if (!more) {
      rows.replaceChildren();
    }
    for (const a of page.items) {
      rows.append(el('tr', { 'data-alert': a.alertId, 'data-level': a.level, 'data-rule': a.rule,
        class: a.alertId === openAlertId ? 'selected' : null },
      el('td', {}, levelBadge(a.level)),
      el('td', {}, el('code', { text: a.rule }), el('span', { class: 'sub', text: 'v' + a.ruleVersion })),
      el('td', { class: 'reason', text: a.recordIds.join(', ') }),
      el('td', { text: a.departmentCode || '—' }),
      el('td', { text: a.regionCode }),
      el('td', { text: fmtTime(a.raisedAt) }),
      el('td', { text: t('alertState.' + alertState(a)) }),
      el('td', { class: 'reason', text: a.message }),
      el('td', {}, el('button', { type: 'button', class: 'link al-open', text: t('quarantine.view'),
        onclick: () => openAlert(a.alertId) }))));
    }
    if (!rows.children.length) {
      rows.append(el('tr', {}, el('td', { colspan: 9, class: 'muted', text: t('alerts.none') })));
    }
    $('al-more').hidden = !alertsNext;
    $('al-table').dataset.query = q;
  }

  function renderCounts(counts) {
    const row = (c, field) => el('tr', { 'data-code': c.code || '' },
      el('td', {}, el('button', { type: 'button', class: 'link', text: c.code || '—', onclick: () => {
        $('al-department').value = field === 'department' ? (c.code || '') : '';
        $('al-region').value = field === 'region' ? c.code : '';
        $('al-state').value = 'open';
        loadAlerts(false);
      } })),
      el('td', { class: 'num yellow' + (c.yellow ? ' level-YELLOW' : ''), text: fmtNum(c.yellow) }),
      el('td', { class: 'num red' + (c.red ? ' level-RED' : ''), text: fmtNum(c.red) }));
    for (const [by, body] of [['department', 'al-department-rows'], ['region', 'al-region-rows']]) {
      const items = counts.items.filter((c) => c.by === by);
      $(body).replaceChildren(...items.map((c) => row(c, by)));
      if (!items.length) {
        $(body).append(el('tr', {}, el('td', { colspan: 3, class: 'muted', text: t('alerts.noCounts') })));
      }
    }
  }

  async function openAlert(alertId) {
    const [a, h] = await Promise.all([getOrFlash('/api/v1/alerts/' + encodeURIComponent(alertId)),
      getOrFlash('/api/v1/alerts/' + encodeURIComponent(alertId) + '/history')]);
    if (a === undefined || h === undefined) {
      return;
    }
    openAlertId = alertId;
    document.querySelectorAll('#al-rows tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.alert === alertId));
    $('al-detail').hidden = false;
    $('al-detail-id').textContent = a.alertId;
    const dl = $('al-detail-fields');
    dl.replaceChildren();
    const fields = [['alerts.rule', t('alerts.ruleVersion', { rule: a.rule, v: a.ruleVersion })],
      ['alerts.level', t('level.' + a.level)], ['quarantine.state', t('alertState.' + alertState(a))],
      ['alerts.raisedAt', fmtTime(a.raisedAt)], ['alerts.resolvedAt', fmtTime(a.resolvedAt)],
      ['alerts.clearedAt', fmtTime(a.clearedAt)], ['quality.department', a.departmentCode],
      ['alerts.region', a.regionCode], ['alerts.domain', a.domain],
      ['alerts.calendar', (a.calendarVersion || '—') + (a.calendarMissing ? ' · ' + t('alerts.calendarMissing') : '')],
      ['alerts.message', a.message]];
    for (const [k, v] of fields) {
      dl.append(el('dt', { text: t(k) }), el('dd', { 'data-field': k, text: v === null || v === undefined ? '—' : v }));
    }
    await renderInputs(a);
    $('al-events').replaceChildren(...h.events.map((e) => el('li', { 'data-event': e.event },
      fmtTime(e.at) + ' · ' + t('alertEvent.' + e.event) + ' · '
        + t('alerts.ruleVersion', { rule: e.alert.rule, v: e.alert.ruleVersion }))));
    renderAcks(h.acknowledgements);
    $('al-ack-error').hidden = true;
  }

  function renderAcks(acks) {
    $('al-acks').replaceChildren(...acks.map((k) => el('li', { class: 'ack-item' },
      el('strong', { text: k.actor }), ' ' + fmtTime(k.at) + ': ', el('span', { class: 'ack-note', text: k.note }))));
    if (!acks.length) {
      $('al-acks').append(el('li', { class: 'muted', text: t('alerts.noAcks') }));
    }
  }

  /** Each input version, found in its record's history (same source updatedAt and payload hash). */
  async function renderInputs(a) {
    const histories = {};
    if (canRead()) {
      await Promise.all([...new Set(a.inputs.map((i) => i.recordId))].map(async (id) => {
        const r = await api('GET', '/api/v1/records/' + encodeURIComponent(id) + '/history');
        histories[id] = r.ok ? r.body : null;
      }));
    }
    $('al-input-rows').replaceChildren(...a.inputs.map((i) => {
      const h = histories[i.recordId];
      const versions = h ? h.versions : [];
      const v = versions.find((x) => x.lineage.payloadSha256 === i.payloadSha256
        && new Date(x.lineage.updatedAt).getTime() === new Date(i.updatedAt).getTime());
      const current = v && versions[versions.length - 1].seq === v.seq;
      return el('tr', { 'data-record': i.recordId, 'data-seq': v ? v.seq : '' },
        el('td', {}, el('button', { type: 'button', class: 'link al-record', text: i.recordId, onclick: () => {
          highlightSeq = v ? v.seq : null;
          $('r-record-id').value = i.recordId;
          show('records');
          lookupById();
        } })),
        el('td', { text: fmtTime(i.updatedAt) }),
        el('td', {}, el('code', { title: i.payloadSha256, text: i.payloadSha256.substring(0, 12) + '…' })),
        el('td', { text: v ? v.seq : '—' }),
        el('td', { text: v ? v.lineage.adapter : '—' }),
        el('td', { text: v ? fmtTime(v.lineage.appliedAt) : '—' }),
        el('td', { class: 'current', text: !canRead() ? t('alerts.needViewer')
          : !v ? t('alerts.versionNotFound') : current ? t('records.yes') : t('alerts.superseded') }));
    }));
  }

  async function acknowledge(ev) {
    ev.preventDefault();
    const note = $('al-ack-note').value.trim();
    const err = $('al-ack-error');
    if (!openAlertId) {
      return;
    }
    if (!note) {
      err.textContent = t('alerts.noteRequired');
      err.hidden = false;
      return;
    }
    const r = await api('POST', '/api/v1/alerts/' + encodeURIComponent(openAlertId) + '/acknowledge', null, { note });
    if (!r.ok) {
      err.textContent = r.status === 403 ? t('alerts.notSupervisor')
        : t('common.error', { msg: (r.body && r.body.detail) || 'HTTP ' + r.status });
      err.hidden = false;
      return;
    }
    err.hidden = true;
    $('al-ack-note').value = '';
    const h = await getOrFlash('/api/v1/alerts/' + encodeURIComponent(openAlertId) + '/history');
    if (h !== undefined) {
      renderAcks(h.acknowledgements);
    }
  }

  // ---------- records ----------

  async function lookupById(ev) {
    if (ev) {
      ev.preventDefault();
    }
    const id = $('r-record-id').value.trim();
    if (id) {
      await loadHistory(id);
    }
  }

  async function lookupByKey(ev) {
    ev.preventDefault();
    const adapter = $('r-adapter').value;
    const key = $('r-source-key').value.trim();
    if (!adapter || !key) {
      return;
    }
    const page = await getOrFlash('/api/v1/records/lookup' + query({ adapter, sourceKey: key }));
    if (page === undefined) {
      return;
    }
    const msg = $('r-message');
    if (page.items.length === 0) {
      $('r-result').hidden = true;
      msg.textContent = t('records.notFound');
      return;
    }
    if (page.items.length > 1) {
      msg.replaceChildren(t('records.several'), ...page.items.map((i) => el('button', {
        type: 'button', class: 'link', text: ' ' + i.recordId, onclick: () => loadHistory(i.recordId)
      })));
    }
    await loadHistory(page.items[0].recordId, page.items.length > 1);
  }

  async function loadHistory(recordId, keepMessage) {
    const msg = $('r-message');
    if (!keepMessage) {
      msg.textContent = '';
    }
    const r = await api('GET', '/api/v1/records/' + encodeURIComponent(recordId) + '/history');
    if (r.status === 404) {
      $('r-result').hidden = true;
      lastHistory = null;
      msg.textContent = t('records.notFound') + ': ' + recordId;
      return;
    }
    if (!r.ok) {
      flash(t('common.error', { msg: (r.body && r.body.detail) || 'HTTP ' + r.status }));
      return;
    }
    lastHistory = r.body;
    renderHistory(r.body);
  }

  function delivery(d) {
    if (!d) {
      return t('delivery.none');
    }
    let s = t('delivery.' + d.state);
    if (d.state === 'ACCEPTED') {
      s += ' ' + fmtTime(d.acceptedAt);
    }
    if (d.batchId) {
      s += ' · ' + d.batchId;
    }
    if (d.state === 'REJECTED') {
      s += ' · ' + (d.rejectCode || '') + ' ' + (d.rejectReason || '');
    }
    return s;
  }

  function renderHistory(h) {
    $('r-result').hidden = false;
    $('r-result-id').textContent = h.recordId;
    $('r-version-rows').replaceChildren(...h.versions.map((v) => el('tr', {
      'data-seq': v.seq, class: highlightSeq !== null && v.seq === highlightSeq ? 'selected' : null },
      el('td', { text: v.seq }),
      el('td', { text: fmtTime(v.lineage.updatedAt) }),
      el('td', {}, el('code', { text: v.lineage.adapter })),
      el('td', { text: v.lineage.sourceKey }),
      el('td', {}, el('code', { title: v.lineage.payloadSha256, text: v.lineage.payloadSha256.substring(0, 12) + '…' })),
      el('td', { text: fmtTime(v.lineage.fetchedAt) }),
      el('td', { text: fmtTime(v.lineage.appliedAt) }),
      el('td', { text: v.conflict ? t('records.yes') : t('records.no') }),
      el('td', { class: 'delivery', 'data-delivery': v.delivery ? v.delivery.state : '', text: delivery(v.delivery) }))));
    const last = h.versions[h.versions.length - 1];
    $('r-current').textContent = JSON.stringify(last.record, null, 2);
  }

  // ---------- province ----------

  async function loadBatches(ev) {
    if (ev) {
      ev.preventDefault();
    }
    const page = await getOrFlash('/api/v1/province/batches' + query({ state: $('p-state').value, limit: 100 }));
    if (page === undefined) {
      return;
    }
    const rows = $('p-rows');
    rows.replaceChildren(...page.items.map((b) => {
      const tr = el('tr', { 'data-batch': b.batchId, 'data-state': b.state },
        el('td', {}, el('code', { text: b.batchId })),
        el('td', { text: b.state + (b.stuck ? ' (' + t('province.stuck') + ')' : '') }),
        el('td', { class: 'num', text: b.records }),
        el('td', { class: 'num', text: b.attempts }),
        el('td', { text: fmtTime(b.createdAt) }),
        el('td', { text: fmtTime(b.nextAttemptAt) }),
        el('td', { class: 'err', text: b.failureReason || b.lastError || '—' }));
      if (isOperator()) {
        tr.append(el('td', { class: 'ops' }, b.state === 'FAILED' || b.state === 'SENDING'
          ? actionButton('act-retry', t('action.retry'), () => retryBatch(b.batchId)) : null));
      }
      return tr;
    }));
    if (!page.items.length) {
      rows.append(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: t('province.none') })));
    }
  }

  async function retryBatch(batchId) {
    const r = await api('POST', '/api/v1/province/batches/' + encodeURIComponent(batchId) + '/retry');
    const b = r.body || {};
    $('p-outcomes').replaceChildren(el('li', { class: r.ok ? 'ok' : 'bad' },
      batchId + ': ' + (b.state || 'HTTP ' + r.status) + (b.detail ? ' — ' + b.detail : '')));
    await loadBatches();
  }

  async function retryFailed() {
    const r = await api('POST', '/api/v1/province/batches/retry-failed');
    const b = r.body || {};
    $('p-outcomes').replaceChildren(...(b.items || []).map((i) => el('li', { class: 'ok' }, i.batchId + ': ' + i.state)));
    if (!r.ok) {
      $('p-outcomes').append(el('li', { class: 'bad' }, 'HTTP ' + r.status + (b.detail ? ' — ' + b.detail : '')));
    }
    await loadBatches();
  }

  // ---------- dead letters ----------

  async function loadDeadLetters(ev) {
    if (ev) {
      ev.preventDefault();
    }
    const page = await getOrFlash('/api/v1/dead-letters' + query({ limit: 100 }));
    if (page === undefined) {
      return;
    }
    const rows = $('d-rows');
    rows.replaceChildren(...page.items.map((d) => {
      const tr = el('tr', { 'data-message': d.messageId },
        el('td', {}, el('code', { text: d.messageId })),
        el('td', { text: d.from || '—' }),
        el('td', { text: d.adapter || '—' }),
        el('td', { class: 'num', text: d.records == null ? '—' : d.records }),
        el('td', { class: 'num', text: fmtNum(d.bytes) }),
        el('td', { text: fmtTime(d.sentAt) }),
        el('td', { class: 'err', text: d.problem || '—' }));
      if (isOperator()) {
        tr.append(el('td', { class: 'ops' },
          actionButton('act-requeue', t('action.requeue'), () => requeueLetter(d.messageId))));
      }
      return tr;
    }));
    if (!page.items.length) {
      rows.append(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: t('dlq.none') })));
    }
  }

  async function requeueLetter(messageId) {
    if (!confirm(t('dlq.confirm', { id: messageId }))) {
      return;
    }
    const r = await api('POST', '/api/v1/dead-letters/' + encodeURIComponent(messageId) + '/requeue');
    const b = r.body || {};
    $('d-outcomes').replaceChildren(el('li', { class: r.ok ? 'ok' : 'bad' },
      messageId + ': ' + (b.state || 'HTTP ' + r.status) + (b.detail ? ' — ' + b.detail : '')));
    await loadDeadLetters();
  }

  // ---------- audit ----------

  async function loadAudit(more) {
    const page = await getOrFlash('/api/v1/audit' + query({
      actor: $('a-actor').value.trim(), action: $('a-action').value, limit: 50, after: more ? auditNext : null
    }));
    if (page === undefined) {
      return;
    }
    auditNext = page.next;
    const rows = $('a-rows');
    if (!more) {
      rows.replaceChildren();
    }
    for (const a of page.items) {
      rows.append(el('tr', { 'data-seq': a.seq },
        el('td', { text: fmtTime(a.at) }),
        el('td', { text: a.actor }),
        el('td', {}, el('code', { text: a.action })),
        el('td', { class: 'reason', text: a.target }),
        el('td', { class: 'reason', text: a.outcome })));
    }
    if (!rows.children.length) {
      rows.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: t('audit.none') })));
    }
    $('a-more').hidden = !auditNext;
  }

  // ---------- reporting quality ----------

  function pct(share) {
    return share === null || share === undefined ? '—' : (share * 100).toFixed(1) + '%';
  }

  async function loadQuality(ev) {
    if (ev) {
      ev.preventDefault();
    }
    const input = $('qa-month');
    if (!input.value) {
      const now = new Date(Date.now() + 8 * 3600 * 1000); // the Beijing month, as the API counts it
      input.value = now.getUTCFullYear() + '-' + pad(now.getUTCMonth() + 1);
    }
    const month = input.value;
    const [page, trend] = await Promise.all([getOrFlash('/api/v1/quality' + query({ month })),
      getOrFlash('/api/v1/quality/trend' + query({ month }))]);
    if (page === undefined || trend === undefined) {
      return;
    }
    const series = {};
    for (const d of trend.items) {
      series[d.sourceSystem + ' ' + d.departmentCode] = d.months;
    }
    $('qa-rows').replaceChildren(...page.items.map((d) => el('tr', { 'data-department': d.sourceSystem + ' ' + d.departmentCode },
      el('td', { text: d.sourceSystem }),
      el('td', {}, el('code', { text: d.departmentCode })),
      el('td', { class: 'num', text: fmtNum(d.versions) }),
      el('td', { class: 'num', text: fmtNum(d.records) }),
      el('td', { class: 'num', text: d.versionsPerRecord }),
      el('td', { class: 'num', text: fmtDur(d.timelinessP50Seconds) }),
      el('td', { class: 'num', text: fmtDur(d.timelinessP95Seconds) }),
      el('td', { class: 'num', text: fmtNum(d.incompleteRecords) + ' (' + pct(d.incompleteShare) + ')' }),
      el('td', { class: 'reason', text: Object.entries(d.missing).filter(([, n]) => n > 0)
        .map(([item, n]) => item + ' ' + n).join('; ') || '—' }),
      el('td', {}, monthChart(series[d.sourceSystem + ' ' + d.departmentCode] || [])))));
    if (!page.items.length) {
      $('qa-rows').append(el('tr', {}, el('td', { colspan: 10, class: 'muted', text: t('quality.none') })));
    }
    $('qa-acc-rows').replaceChildren(...page.accuracy.map((a) => el('tr', { 'data-adapter': a.adapter },
      el('td', { text: a.adapter }),
      el('td', { class: 'num', text: fmtNum(a.itemsRead) }),
      el('td', { class: 'num', text: fmtNum(a.quarantined) }),
      el('td', { class: 'num', text: pct(a.share) }),
      el('td', { class: 'reason', text: a.byReason.map((r) => r.reason + ' ' + r.quarantined).join('; ') || '—' }))));
    const pending = $('qa-pending');
    pending.hidden = !page.versionsNotYetCounted;
    pending.textContent = page.versionsNotYetCounted ? t('quality.pending', { n: page.versionsNotYetCounted }) : '';
  }

  // One bar per month (versions received), oldest first; each bar's title gives the month's figures.
  function monthChart(months) {
    const W = 144;
    const H = 30;
    const svg = sparkSvg(W, H);
    const max = Math.max(1, ...months.map((m) => m.versions));
    const bw = months.length ? W / months.length : W;
    months.forEach((m, i) => {
      const h = m.versions ? Math.max(1, (m.versions / max) * (H - 2)) : 0;
      const bar = document.createElementNS(svg.namespaceURI, 'rect');
      bar.setAttribute('x', (i * bw + 1).toFixed(1));
      bar.setAttribute('width', Math.max(1, bw - 2).toFixed(1));
      bar.setAttribute('y', (H - 1 - h).toFixed(1));
      bar.setAttribute('height', h.toFixed(1));
      bar.setAttribute('class', m.incompleteShare > 0 ? 'bar warn' : 'bar');
      const title = document.createElementNS(svg.namespaceURI, 'title');
      title.textContent = t('quality.chartTitle', { m: m.month, v: m.versions, i: pct(m.incompleteShare),
        p: fmtDur(m.timelinessP95Seconds) });
      bar.append(title);
      svg.append(bar);
    });
    svg.setAttribute('data-versions', months.map((m) => m.versions).join(','));
    return svg;
  }

  // ---------- wiring ----------

  document.addEventListener('DOMContentLoaded', () => {
    $('lang-zh').addEventListener('click', () => setLang('zh'));
    $('lang-en').addEventListener('click', () => setLang('en'));
    $('login-form').addEventListener('submit', signIn);
    $('logout').addEventListener('click', () => signOut(''));
    document.querySelectorAll('.tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
    $('q-filter').addEventListener('submit', (e) => { e.preventDefault(); loadQuarantine(false); });
    $('q-more').addEventListener('click', () => loadQuarantine(true));
    $('q-all').addEventListener('change', (e) => {
      document.querySelectorAll('.q-pick').forEach((c) => { c.checked = e.target.checked; });
    });
    $('q-release-selected').addEventListener('click', () => {
      const ids = [...document.querySelectorAll('.q-pick:checked')].map((c) => Number(c.value));
      if (!ids.length) {
        flash(t('quarantine.nothingSelected'));
        return;
      }
      release(ids);
    });
    $('q-detail-release').addEventListener('click', () => { if (openItem) { release([openItem.id]); } });
    $('al-filter').addEventListener('submit', (e) => { e.preventDefault(); loadAlerts(false); });
    $('al-more').addEventListener('click', () => loadAlerts(true));
    $('al-ack-form').addEventListener('submit', acknowledge);
    $('r-by-id').addEventListener('submit', (e) => { highlightSeq = null; lookupById(e); });
    $('r-by-key').addEventListener('submit', (e) => { highlightSeq = null; lookupByKey(e); });
    $('p-filter').addEventListener('submit', loadBatches);
    $('p-retry-failed').addEventListener('click', retryFailed);
    $('d-filter').addEventListener('submit', loadDeadLetters);
    $('a-filter').addEventListener('submit', (e) => { e.preventDefault(); loadAudit(false); });
    $('a-more').addEventListener('click', () => loadAudit(true));
    $('qa-filter').addEventListener('submit', loadQuality);
    window.addEventListener('hashchange', () => { if (session) { show(location.hash.substring(1)); } });
    applyLang();
    if (session) {
      start();
    } else {
      signOut('');
    }
  });
})();
