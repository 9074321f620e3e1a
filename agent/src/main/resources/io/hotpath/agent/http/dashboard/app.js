// hotpath live dashboard. Reads the page document (docs/http-api.md, schema hotpath.page/1) from api/page once a
// second and renders it: health, findings, alerts, tunables, audit, and only the probes the page shows (the busiest
// by rate and those a finding or an alert names), not the whole dump. Keeps a bounded ring of readings per busy probe
// in this tab for the charts. Every text that
// comes from the agent (probe names, messages) goes in through textContent, never as markup. No request leaves the
// agent's origin, and no inline script or style is used, so the page runs under a strict Content-Security-Policy.
(function () {
  'use strict';

  var POLL_MS = 1000;
  var RETRY_MAX_MS = 5000;
  var FETCH_TIMEOUT_MS = 3000;
  var HISTORY_SECONDS = 600; // ten minutes of readings per charted probe
  var BUSY_MAX = 12; // charts at most; the busiest probes by rate
  var TRACKED_MAX = 48; // probes with a history kept: the charted ones and recent runners-up
  var PROBE_ROWS_MAX = 40;
  var AUDIT_ROWS_MAX = 100;
  var OPTIMIZER_PER_FINDING = 5;
  var TOKEN_KEY = 'hotpath.token';

  var params = new URLSearchParams(window.location.search);
  var busyCount = clamp(parseInt(params.get('busy') || '8', 10), 1, BUSY_MAX);
  // The page asks for the probes it charts and their runners-up (whose history it keeps), no more.
  var PAGE_PATH = 'api/page?top=' + busyCount * 2;

  var lastDumpTime = null;
  var lastDump = null;
  var failures = 0;
  var history = new Map(); // probe name -> {t: [], rate: [], p99: [], depth: [], busyAt}
  var charts = new Map(); // probe name -> {figure, plot, caption}
  var acked = new Set(); // alert ids acknowledged from this tab, shown as such until the next reading says so too

  function clamp(v, lo, hi) {
    if (!isFinite(v)) {
      return lo;
    }
    return Math.max(lo, Math.min(hi, v));
  }

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== undefined && attrs[k] !== null) {
          e.setAttribute(k, attrs[k]);
        }
      });
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  // ---- number formatting -------------------------------------------------------------------------------------------

  function num(v) {
    if (v === null || v === undefined || !isFinite(v)) {
      return '-';
    }
    var a = Math.abs(v);
    if (a >= 1e9) {
      return (v / 1e9).toFixed(2) + 'G';
    }
    if (a >= 1e6) {
      return (v / 1e6).toFixed(2) + 'M';
    }
    if (a >= 1e4) {
      return (v / 1e3).toFixed(1) + 'k';
    }
    if (a >= 100 || v === Math.round(v)) {
      return String(Math.round(v));
    }
    return v.toFixed(2);
  }

  function nanos(ns) {
    if (ns === null || ns === undefined || !isFinite(ns)) {
      return '-';
    }
    if (ns >= 1e9) {
      return (ns / 1e9).toFixed(2) + ' s';
    }
    if (ns >= 1e6) {
      return (ns / 1e6).toFixed(1) + ' ms';
    }
    if (ns >= 1e3) {
      return (ns / 1e3).toFixed(0) + ' µs';
    }
    return Math.round(ns) + ' ns';
  }

  function percent(v) {
    return v === null || v === undefined || !isFinite(v) ? '-' : (v * 100).toFixed(0) + '%';
  }

  function clock(ms) {
    if (!ms) {
      return '-';
    }
    var d = new Date(ms);
    return d.toISOString().substring(11, 19) + 'Z';
  }

  function healthState(score) {
    if (score > 0.8) {
      return 'healthy';
    }
    return score > 0.5 ? 'degraded' : 'unhealthy';
  }

  // ---- what a probe shows (the same columns as the terminal summary) -----------------------------------------------

  function probeRate(p) {
    var r = p.rates || {};
    return (r['in'] || 0) + (r.out || 0) + (r.calls || 0);
  }

  function rateText(p) {
    var r = p.rates || {};
    if ('in' in r || 'out' in r) {
      if ((r['in'] || 0) + (r.out || 0) > 0 || !('calls' in r)) {
        return 'in ' + num(r['in']) + ' out ' + num(r.out);
      }
    }
    return num(r.calls || 0);
  }

  // p99 over the last interval: a queue's consumer wait when a consumer waited, else the blocked producers' time;
  // every other kind its latency. Null when nothing was timed.
  // The agent picks it (docs/http-api.md, /api/page): p99_ns.
  function probeP99(p) {
    return p.p99_ns === undefined ? null : p.p99_ns;
  }

  function refused(p) {
    var r = p.rates || {};
    var key = {queue: 'dropped', executor: 'rejected', broadcast: 'failed', ipc: 'back_pressured'}[p.kind];
    return key ? r[key] || 0 : null;
  }

  function depth(p) {
    return p.depth === undefined ? null : p.depth;
  }

  // ---- polling ------------------------------------------------------------------------------------------------------

  function fetchJson(path) {
    var ctrl = new AbortController();
    var timer = setTimeout(function () {
      ctrl.abort();
    }, FETCH_TIMEOUT_MS);
    return fetch(path, {cache: 'no-store', signal: ctrl.signal, credentials: 'same-origin'})
      .then(function (res) {
        if (!res.ok) {
          var err = new Error('HTTP ' + res.status);
          err.status = res.status;
          throw err;
        }
        return res.json();
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  function poll() {
    fetchJson(PAGE_PATH)
      .then(function (dump) {
        failures = 0;
        render(dump);
        setConnection('live', 'live · reading of ' + (dump.time || '?'));
      })
      .catch(function (err) {
        failures++;
        var wait = Math.min(RETRY_MAX_MS, POLL_MS * failures);
        var since = lastDump ? ' · showing the reading of ' + lastDump.time : '';
        setConnection('disconnected',
          'disconnected (' + (err && err.message ? err.message : 'no answer') + '), retrying in ' +
          Math.round(wait / 1000) + ' s' + since);
        document.body.classList.add('stale');
        return new Promise(function (resolve) {
          setTimeout(resolve, wait - POLL_MS);
        });
      })
      .then(function () {
        setTimeout(poll, POLL_MS);
      });
  }

  function setConnection(state, text) {
    var c = $('connection');
    c.setAttribute('data-state', state);
    c.textContent = text;
    if (state === 'live') {
      document.body.classList.remove('stale');
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  function render(dump) {
    if (!dump || typeof dump !== 'object') {
      return;
    }
    lastDump = dump;
    var meta = dump.meta || {};
    var parts = [];
    if (meta.host) {
      parts.push('host ' + meta.host);
    }
    if (meta.pid) {
      parts.push('pid ' + meta.pid);
    }
    if (meta.agent_version) {
      parts.push('agent ' + meta.agent_version);
    }
    parts.push('uptime ' + num(dump.uptime_s) + ' s');
    parts.push((dump.probe_count || 0) + ' probes');
    $('source').textContent = parts.join(' · ');

    var probes = Array.isArray(dump.probes) ? dump.probes : [];
    var byRate = probes.filter(function (p) {
      return p && p.name && p.id !== 0;
    }).sort(function (a, b) {
      return probeRate(b) - probeRate(a);
    });
    var busy = byRate.filter(function (p) {
      return probeRate(p) > 0;
    }).slice(0, busyCount);

    renderHealth(dump, byRate);
    renderFindings(dump);
    if (dump.time !== lastDumpTime) {
      lastDumpTime = dump.time;
      record(dump, byRate);
    }
    renderCharts(busy);
    renderAlerts(dump.alerts);
    renderOptimizer(dump.optimizer);
  }

  function renderHealth(dump, byRate) {
    var h = dump.health;
    var state = $('health-state');
    if (h) {
      state.textContent = h.state;
      state.setAttribute('data-state', h.state);
      $('health-score').textContent = 'score ' + Number(h.score).toFixed(2) + ' of 1';
    } else {
      state.textContent = 'unknown';
      state.setAttribute('data-state', 'unknown');
      $('health-score').textContent = '(the analyzer is off)';
    }
    var s = dump.self;
    $('self-cost').textContent = s
      ? 'Agent cost: ' + (s.background_cores * 100).toFixed(1) + '% of a core in the background, recording about ' +
        (s.recording_share * 100).toFixed(2) + '% of the application\'s CPU, ' + num(s.cpu_s) + ' s CPU since start.'
      : '';

    var scores = (h && h.probes) || {};
    var shown = [];
    var seen = new Set();
    Object.keys(scores).sort(function (a, b) {
      return scores[a] - scores[b];
    }).forEach(function (name) {
      var p = byRate.find(function (q) {
        return q.name === name;
      });
      shown.push({name: name, probe: p, score: scores[name]});
      seen.add(name);
    });
    byRate.forEach(function (p) {
      if (!seen.has(p.name) && probeRate(p) > 0 && shown.length < PROBE_ROWS_MAX) {
        shown.push({name: p.name, probe: p, score: 1});
      }
    });
    var body = document.querySelector('#probe-health tbody');
    clear(body);
    shown.slice(0, PROBE_ROWS_MAX).forEach(function (row) {
      var st = healthState(row.score);
      var tr = el('tr', {'data-probe': row.name, 'data-state': st});
      tr.appendChild(el('td', {'class': 'state', 'data-state': st}, st + ' ' + Number(row.score).toFixed(2)));
      tr.appendChild(el('td', {'class': 'name'}, row.name));
      var p = row.probe;
      tr.appendChild(el('td', null, p ? p.kind : row.name === 'jvm' ? 'jvm' : '-'));
      tr.appendChild(el('td', {'class': 'num'}, p ? rateText(p) : '-'));
      tr.appendChild(el('td', {'class': 'num'}, p ? nanos(probeP99(p)) : '-'));
      tr.appendChild(el('td', {'class': 'num'}, p ? num(depth(p)) : '-'));
      tr.appendChild(el('td', {'class': 'num'}, p ? num(refused(p)) : '-'));
      body.appendChild(tr);
    });
  }

  // Newest first: active findings by detection time, then resolved ones by resolution time.
  function renderFindings(dump) {
    var list = Array.isArray(dump.findings) ? dump.findings.slice() : [];
    list.sort(function (a, b) {
      var ra = a.resolved_ms ? 1 : 0;
      var rb = b.resolved_ms ? 1 : 0;
      if (ra !== rb) {
        return ra - rb;
      }
      return ra ? b.resolved_ms - a.resolved_ms : (b.detected_ms || 0) - (a.detected_ms || 0);
    });
    $('findings-none').hidden = list.length > 0;
    var audit = (dump.optimizer && dump.optimizer.audit) || [];
    var ol = $('finding-list');
    clear(ol);
    list.forEach(function (f) {
      ol.appendChild(findingItem(f, audit));
    });
  }

  function findingItem(f, audit) {
    var resolved = !!f.resolved_ms;
    var li = el('li', {
      'class': 'finding', 'data-key': f.key, 'data-kind': f.kind, 'data-probe': f.probe,
      'data-severity': f.severity, 'data-resolved': resolved ? 'true' : 'false'
    });
    var head = el('p', {'class': 'finding-head'});
    head.appendChild(el('span', {'class': 'severity', 'data-severity': f.severity},
      resolved ? 'resolved' : f.severity));
    head.appendChild(el('span', {'class': 'kind'}, f.kind));
    head.appendChild(el('span', {'class': 'probe'}, f.probe));
    li.appendChild(head);
    li.appendChild(el('p', {'class': 'message'}, f.message));

    var facts = el('dl', {'class': 'facts'});
    fact(facts, 'impact', percent(f.impact));
    fact(facts, 'confidence', percent(f.confidence));
    if (f.peak_severity && f.peak_severity !== f.severity) {
      fact(facts, 'peak', f.peak_severity);
    }
    fact(facts, 'detected', clock(f.detected_ms) + (f.first_seen_ms ? ' (first seen ' + clock(f.first_seen_ms) + ')' : ''));
    if (resolved) {
      fact(facts, 'resolved', clock(f.resolved_ms));
    }
    if (f.recurring) {
      fact(facts, 'recurring', 'yes');
    }
    // Incident grouping: a root cause and the findings it explains, when the analyzer links them.
    if (f.incident) {
      fact(facts, 'incident', typeof f.incident === 'object' ? JSON.stringify(f.incident) : f.incident);
    }
    if (f.root) {
      fact(facts, 'explained by', f.root);
    }
    if (Array.isArray(f.linked) && f.linked.length) {
      fact(facts, 'explains', f.linked.join(', '));
    }
    li.appendChild(facts);

    if (f.evidence && typeof f.evidence === 'object') {
      var ev = el('dl', {'class': 'evidence'});
      ev.appendChild(el('dt', {'class': 'evidence-title'}, 'evidence'));
      ev.appendChild(el('dd', {'class': 'evidence-title'}));
      Object.keys(f.evidence).forEach(function (k) {
        var v = f.evidence[k];
        fact(ev, k, /_ns$/.test(k) ? nanos(v) : typeof v === 'number' ? num(v) : String(v));
      });
      li.appendChild(ev);
    }
    if (f.recommendation) {
      li.appendChild(el('p', {'class': 'recommendation'}, 'Recommendation: ' + f.recommendation));
    }
    var acts = optimizerActions(f, audit);
    var op = el('div', {'class': 'optimizer-actions'});
    if (acts.length) {
      op.appendChild(el('p', null, 'What the optimizer did:'));
      var ul = el('ul');
      acts.forEach(function (a) {
        ul.appendChild(el('li', null, clock(a.time_ms) + ' ' + a.action + ' ' + a.tunable +
          (a.from !== null && a.from !== undefined || a.to !== null && a.to !== undefined
            ? ' ' + show(a.from) + ' → ' + show(a.to) : '') + (a.reason ? ': ' + a.reason : '')));
      });
      op.appendChild(ul);
    } else {
      op.appendChild(el('p', null, 'The optimizer has done nothing about it.'));
    }
    li.appendChild(op);
    return li;
  }

  function show(v) {
    return v === null || v === undefined ? '-' : String(v);
  }

  function fact(dl, name, value) {
    dl.appendChild(el('dt', null, name));
    dl.appendChild(el('dd', null, value));
  }

  // The audit entries that concern a finding: those whose tunable or reason names its probe or its key, since the
  // finding was first seen. Newest first, a few.
  function optimizerActions(f, audit) {
    var since = (f.first_seen_ms || 0) - 1000;
    var out = [];
    for (var i = audit.length - 1; i >= 0 && out.length < OPTIMIZER_PER_FINDING; i--) {
      var a = audit[i];
      if (!a || a.time_ms < since) {
        continue;
      }
      var tunable = String(a.tunable || '');
      var reason = String(a.reason || '');
      var tunableProbe = tunable.indexOf(':') >= 0 ? tunable.substring(tunable.indexOf(':') + 1) : null;
      if ((f.probe && f.probe !== 'jvm' && (tunableProbe === f.probe || reason.indexOf(f.probe) >= 0)) ||
          (f.key && reason.indexOf(f.key) >= 0)) {
        out.push(a);
      }
    }
    return out;
  }

  // ---- history and charts -------------------------------------------------------------------------------------------

  function record(dump, byRate) {
    var t = Date.parse(dump.time);
    t = isFinite(t) ? t / 1000 : Date.now() / 1000;
    var rank = 0;
    byRate.forEach(function (p) {
      var r = probeRate(p);
      var h = history.get(p.name);
      if (!h) {
        if (r <= 0 || rank >= busyCount * 2) {
          return;
        }
        h = {t: [], rate: [], p99: [], depth: [], busyAt: t};
        history.set(p.name, h);
      }
      if (r > 0 && rank < busyCount * 2) {
        h.busyAt = t;
      }
      rank++;
      h.t.push(t);
      h.rate.push(r);
      var p99 = probeP99(p);
      h.p99.push(p99 === null ? null : p99 / 1e6);
      h.depth.push(depth(p));
      while (h.t.length && h.t[0] < t - HISTORY_SECONDS) {
        h.t.shift();
        h.rate.shift();
        h.p99.shift();
        h.depth.shift();
      }
    });
    // Bound the number of histories: drop those idle longest.
    if (history.size > TRACKED_MAX) {
      var names = Array.from(history.keys()).sort(function (a, b) {
        return history.get(a).busyAt - history.get(b).busyAt;
      });
      for (var i = 0; history.size > TRACKED_MAX && i < names.length; i++) {
        history.delete(names[i]);
      }
    }
  }

  function renderCharts(busy) {
    var grid = $('chart-grid');
    var wanted = new Set(busy.map(function (p) {
      return p.name;
    }));
    charts.forEach(function (c, name) {
      if (!wanted.has(name)) {
        if (c.plot) {
          c.plot.destroy();
        }
        c.figure.remove();
        charts.delete(name);
      }
    });
    busy.forEach(function (p, i) {
      var c = charts.get(p.name);
      if (!c) {
        c = makeChart(p);
        charts.set(p.name, c);
      }
      if (grid.children[i] !== c.figure) {
        grid.insertBefore(c.figure, grid.children[i] || null);
      }
      var h = history.get(p.name);
      c.caption.textContent = p.name + ' (' + p.kind + '): rate ' + rateText(p) + '/s, p99 ' + nanos(probeP99(p)) +
        ', depth ' + num(depth(p));
      if (c.plot && h) {
        c.plot.setData([h.t, h.rate, h.depth, h.p99]);
      }
    });
  }

  function makeChart(p) {
    var figure = el('figure', {'class': 'chart', 'data-probe': p.name});
    var caption = el('figcaption');
    var box = el('div', {'class': 'plot', 'role': 'img', 'aria-label': 'rate, depth and p99 of ' + p.name});
    figure.appendChild(caption);
    figure.appendChild(box);
    var plot = null;
    if (window.uPlot) {
      var width = Math.max(280, Math.min(560, (document.documentElement.clientWidth || 800) - 60));
      plot = new window.uPlot({
        width: width,
        height: 170,
        legend: {live: false},
        // At least a minute on the time axis, so the first readings do not stretch over it.
        scales: {x: {time: true, range: function (u, min, max) {
          return [Math.min(min, max - 60), max];
        }}, n: {auto: true}, ms: {auto: true}},
        axes: [
          {},
          {scale: 'n', values: function (u, vals) {
            return vals.map(num);
          }},
          {scale: 'ms', side: 1, size: 64, grid: {show: false}, values: function (u, vals) {
            return vals.map(function (v) {
              return v + ' ms';
            });
          }}
        ],
        series: [
          {},
          {label: 'rate/s', scale: 'n', stroke: '#1f5fbf', width: 2, value: function (u, v) {
            return num(v);
          }},
          {label: 'depth', scale: 'n', stroke: '#8a4b00', width: 2, dash: [8, 4], value: function (u, v) {
            return num(v);
          }},
          {label: 'p99 ms', scale: 'ms', stroke: '#a01d5c', width: 2, dash: [2, 3], spanGaps: false,
            value: function (u, v) {
              return v === null || v === undefined ? '-' : v.toFixed(2);
            }}
        ]
      }, [[], [], [], []], box);
    } else {
      box.textContent = 'Chart library not loaded: figures above.';
    }
    return {figure: figure, plot: plot, caption: caption};
  }

  // ---- alerts -------------------------------------------------------------------------------------------------------

  function renderAlerts(alerts) {
    var body = document.querySelector('#alert-table tbody');
    clear(body);
    if (!alerts) {
      $('alert-counts').textContent = 'Alerts are off.';
      return;
    }
    $('alert-counts').textContent = alerts.sent + ' sent, ' + alerts.suppressed_cooldown + ' held back by the cooldown, ' +
      alerts.suppressed_rate_limit + ' by the rate limit, ' + alerts.failed + ' undelivered.';
    var hasToken = !!token();
    (alerts.recent || []).forEach(function (a) {
      var tr = el('tr', {'data-key': a.key, 'data-severity': a.severity});
      tr.appendChild(el('td', null, clock(a.time_ms)));
      tr.appendChild(el('td', {'class': 'severity', 'data-severity': a.severity}, a.severity));
      tr.appendChild(el('td', null, a.type));
      tr.appendChild(el('td', {'class': 'name'}, a.probe));
      tr.appendChild(el('td', null, a.message));
      var td = el('td', {'class': 'ack'});
      if (a.acknowledged) {
        td.textContent = 'yes' + (a.acknowledged_by ? ' by ' + a.acknowledged_by : '') +
          (a.acknowledged_ms ? ' at ' + clock(a.acknowledged_ms) : '');
      } else if (a.id && acked.has(a.id)) {
        td.textContent = 'yes';
      } else if (a.type === 'recovery') {
        td.textContent = 'n/a';
      } else if (!a.id) {
        // An agent that keeps no acknowledgement state gives alerts no id.
        td.textContent = 'no';
      } else {
        td.appendChild(el('span', null, 'no '));
        var b = el('button', {type: 'button', 'class': 'ack-button', 'data-id': a.id}, 'Acknowledge');
        if (!hasToken) {
          b.disabled = true;
          b.title = 'Paste the write token above first';
        }
        b.addEventListener('click', function () {
          acknowledge(a, b);
        });
        td.appendChild(b);
      }
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  function token() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  // POST api/alerts/<id>/ack with the token as a bearer credential and no body.
  function acknowledge(alert, button) {
    var t = token();
    if (!t) {
      $('alert-error').textContent = 'Paste the write token first: the agent refuses writes without it.';
      return;
    }
    button.disabled = true;
    $('alert-error').textContent = '';
    fetch('api/alerts/' + encodeURIComponent(alert.id) + '/ack', {
      method: 'POST',
      cache: 'no-store',
      credentials: 'same-origin',
      headers: {'Authorization': 'Bearer ' + t}
    }).then(function (res) {
      if (res.ok) {
        acked.add(alert.id);
        if (lastDump) {
          renderAlerts(lastDump.alerts);
        }
        return null;
      }
      return res.text().then(function (text) {
        var msg = text;
        try {
          msg = JSON.parse(text).error || text;
        } catch (e) {
          // not JSON: show the text as it came
        }
        throw new Error('HTTP ' + res.status + (msg ? ': ' + msg : ''));
      });
    }).catch(function (err) {
      button.disabled = false;
      $('alert-error').textContent = 'Acknowledging ' + alert.key + ' failed: ' + err.message;
    });
  }

  function setupToken() {
    var state = $('token-state');
    function showState() {
      state.textContent = token() ? 'a token is set for this tab' : 'no token: read only';
    }
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var v = $('token-input').value.trim();
      $('token-input').value = '';
      try {
        if (v) {
          window.sessionStorage.setItem(TOKEN_KEY, v);
        }
      } catch (err) {
        state.textContent = 'this browser keeps no session storage: ' + err.message;
        return;
      }
      showState();
      if (lastDump) {
        renderAlerts(lastDump.alerts);
      }
    });
    $('token-forget').addEventListener('click', function () {
      try {
        window.sessionStorage.removeItem(TOKEN_KEY);
      } catch (err) {
        // nothing kept
      }
      showState();
      if (lastDump) {
        renderAlerts(lastDump.alerts);
      }
    });
    showState();
  }

  // ---- optimizer ----------------------------------------------------------------------------------------------------

  function renderOptimizer(o) {
    var tb = document.querySelector('#tunables tbody');
    var ab = document.querySelector('#audit tbody');
    clear(tb);
    clear(ab);
    if (!o) {
      $('optimizer-mode').textContent = 'The optimizer is off: no tunables.';
      return;
    }
    $('optimizer-mode').textContent = 'Mode ' + o.mode + ' · ' + (o.tunables || []).length + ' tunables · ' +
      o.audit_total + ' audit entries since start' +
      (o.audit && o.audit.length > AUDIT_ROWS_MAX ? ' (newest ' + AUDIT_ROWS_MAX + ' shown)' : '');
    (o.tunables || []).forEach(function (t) {
      var tr = el('tr', {'data-tunable': t.name});
      tr.appendChild(el('td', {'class': 'name'}, t.name));
      tr.appendChild(el('td', null, t.role));
      tr.appendChild(el('td', null, t.owner));
      tr.appendChild(el('td', {'class': 'num'}, show(t.current)));
      tr.appendChild(el('td', {'class': 'num'}, show(t.original)));
      tr.appendChild(el('td', {'class': 'num'}, show(t.min) + ' – ' + show(t.max)));
      tr.appendChild(el('td', null, t.value_from));
      tb.appendChild(tr);
    });
    var audit = o.audit || [];
    for (var i = audit.length - 1; i >= 0 && audit.length - i <= AUDIT_ROWS_MAX; i--) {
      var a = audit[i];
      var tr = el('tr', {'data-action': a.action});
      tr.appendChild(el('td', null, clock(a.time_ms)));
      tr.appendChild(el('td', null, a.action));
      tr.appendChild(el('td', {'class': 'name'}, a.tunable));
      tr.appendChild(el('td', {'class': 'num'}, show(a.from)));
      tr.appendChild(el('td', {'class': 'num'}, show(a.to)));
      tr.appendChild(el('td', null, a.mode));
      tr.appendChild(el('td', null, a.reason));
      ab.appendChild(tr);
    }
  }

  setupToken();
  $('chart-window').textContent = HISTORY_SECONDS / 60 + ' minutes';
  poll();
})();
