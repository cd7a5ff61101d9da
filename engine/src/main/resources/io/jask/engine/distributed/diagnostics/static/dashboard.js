/* Jask dashboard: hand-written canvas and SVG views over the scheduler's JSON API (no libraries). */
(function () {
  'use strict';
  var page = document.body.getAttribute('data-page');
  var main = document.getElementById('main');
  var conn = document.getElementById('conn');
  var SVGNS = 'http://www.w3.org/2000/svg';
  var MAX_EVENTS = 20000;

  document.querySelectorAll('nav a[data-nav]').forEach(function (a) {
    if (a.getAttribute('data-nav') === page || (page === 'worker' && a.getAttribute('data-nav') === 'workers')) a.className = 'active';
  });

  // same hash as io.jask.engine.diagnostics.Palette
  function hue(prefix) {
    var h = 0x811c9dc5 | 0;
    for (var i = 0; i < prefix.length; i++) { h ^= prefix.charCodeAt(i); h = Math.imul(h, 16777619); }
    return ((h % 360) + 360) % 360;
  }
  function color(prefix, light) { return 'hsl(' + hue(prefix) + ',65%,' + (light ? '80%' : '55%') + ')'; }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function bytes(n) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
  }
  function el(tag, attrs, parent) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function panel(id, title, cls) {
    var d = document.createElement('section');
    d.className = 'panel' + (cls ? ' ' + cls : '');
    d.innerHTML = '<h2>' + esc(title) + '</h2><div id="' + id + '"></div>';
    main.appendChild(d);
    return document.getElementById(id);
  }
  function getJson(url, cb) {
    fetch(url, { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) { conn.textContent = 'updated ' + new Date().toLocaleTimeString(); conn.className = 'conn live'; cb(j); })
      .catch(function (e) { conn.textContent = 'offline (' + e + ')'; conn.className = 'conn'; });
  }
  function live(cb) {
    if (!window.EventSource) { setInterval(function () { getJson('/api/status', cb); }, 1000); return; }
    var es = new EventSource('/events');
    es.onmessage = function (m) { conn.textContent = 'live'; conn.className = 'conn live'; cb(JSON.parse(m.data)); };
    es.onerror = function () { conn.textContent = 'reconnecting…'; conn.className = 'conn'; };
  }

  // ---------------------------------------------------------------- task stream (canvas)
  function TaskStream(container, height) {
    var canvas = document.createElement('canvas');
    container.appendChild(canvas);
    var tip = document.createElement('div');
    tip.className = 'muted';
    tip.textContent = 'hover a bar for its key';
    container.appendChild(tip);
    var events = [];
    var threads = {};
    var rects = [];
    this.add = function (list, workers) {
      (workers || []).forEach(function (w) { threads[w.address] = { n: w.nthreads, name: w.name }; });
      for (var i = 0; i < list.length; i++) events.push(list[i]);
      if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
      draw();
    };
    this.set = function (list, workers) {
      threads = {};
      events = [];
      this.add(list, workers);
    };
    function rows() {
      var r = [], seen = {};
      Object.keys(threads).sort().forEach(function (a) {
        for (var t = 0; t < threads[a].n; t++) { r.push(a + '#' + t); seen[a + '#' + t] = true; }
      });
      events.forEach(function (e) { var k = e[2] + '#' + e[3]; if (!seen[k]) { seen[k] = true; r.push(k); } });
      return r;
    }
    function draw() {
      var rs = rows();
      var rowH = Math.max(6, Math.min(18, Math.floor((height - 20) / Math.max(1, rs.length))));
      var w = container.clientWidth || 800;
      var h = rs.length * rowH + 20;
      var dpr = window.devicePixelRatio || 1;
      canvas.width = w * dpr; canvas.height = h * dpr; canvas.style.height = h + 'px';
      var g = canvas.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = '#fafbfc'; g.fillRect(0, 0, w, h);
      var index = {};
      rs.forEach(function (k, i) { index[k] = i; if (i % 2) { g.fillStyle = '#f1f3f6'; g.fillRect(0, i * rowH, w, rowH); } });
      if (!events.length) { g.fillStyle = '#8a96a3'; g.fillText('no tasks yet', 8, 14); return; }
      var t1 = Math.max(Date.now(), events[events.length - 1][5]);
      var t0 = events[0][4];
      for (var i = 0; i < events.length; i++) t0 = Math.min(t0, events[i][4]);
      var span = Math.max(1, t1 - t0);
      rects = [];
      for (var j = 0; j < events.length; j++) {
        var e = events[j];
        var x = (e[4] - t0) / span * w, bw = (e[5] - e[4]) / span * w;
        bw = bw > 3 ? bw - 1 : Math.max(1, bw); // a hairline gap between back-to-back tasks
        var y = index[e[2] + '#' + e[3]] * rowH + 1;
        g.fillStyle = e[6] ? '#000' : color(e[1]);
        g.fillRect(x, y, bw, rowH - 2);
        rects.push([x, y, bw, rowH - 2, e]);
      }
      g.fillStyle = '#44505c';
      g.fillText('0 s', 2, h - 6);
      var label = (span / 1000).toFixed(1) + ' s';
      g.fillText(label, w - g.measureText(label).width - 2, h - 6);
    }
    canvas.addEventListener('mousemove', function (ev) {
      var b = canvas.getBoundingClientRect(), x = ev.clientX - b.left, y = ev.clientY - b.top;
      for (var i = rects.length - 1; i >= 0; i--) {
        var r = rects[i];
        if (x >= r[0] && x <= r[0] + r[2] + 1 && y >= r[1] && y <= r[1] + r[3]) {
          var e = r[4];
          tip.textContent = e[0] + ' — ' + (e[5] - e[4]).toFixed(1) + ' ms on ' + e[2] + ' thread ' + e[3] + (e[6] ? ' (failed)' : '');
          return;
        }
      }
    });
    window.addEventListener('resize', draw);
  }

  // ---------------------------------------------------------------- SVG bars
  function progressView(container, progress) {
    var rowH = 22, w = container.clientWidth || 400, labelW = 110, textW = 90;
    var svg = el('svg', { width: w, height: Math.max(1, progress.length) * rowH + 4, id: 'progress-svg' });
    var barW = Math.max(40, w - labelW - textW);
    progress.forEach(function (p, i) {
      var y = i * rowH + 2, total = Math.max(1, p.total);
      var g = el('g', { 'class': 'progress-row', 'data-prefix': p.prefix }, svg);
      el('text', { x: 0, y: y + 14 }, g).textContent = p.prefix;
      el('rect', { x: labelW, y: y, width: barW, height: rowH - 6, fill: '#eceff2' }, g);
      var x = labelW;
      [[p.finished, color(p.prefix)], [p.processing, color(p.prefix, true)], [p.erred, '#000']].forEach(function (part) {
        var pw = part[0] / total * barW;
        if (pw > 0) { el('rect', { x: x, y: y, width: pw, height: rowH - 6, fill: part[1] }, g); x += pw; }
      });
      el('text', { x: labelW + barW + 6, y: y + 14, 'class': 'progress-text' }, g).textContent = p.finished + ' / ' + p.total + (p.erred ? ' (' + p.erred + ' err)' : '');
    });
    container.innerHTML = '';
    container.appendChild(svg);
  }

  function memoryView(container, workers) {
    var rowH = 22, w = container.clientWidth || 400, labelW = 110, textW = 150;
    var svg = el('svg', { width: w, height: Math.max(1, workers.length) * rowH + 4 });
    var barW = Math.max(40, w - labelW - textW);
    var max = 1;
    workers.forEach(function (k) { max = Math.max(max, k.memoryLimit || 0, k.managed + k.unmanaged + k.spilled); });
    workers.forEach(function (k, i) {
      var y = i * rowH + 2, x = labelW;
      el('text', { x: 0, y: y + 14 }, svg).textContent = k.name;
      el('rect', { x: labelW, y: y, width: barW, height: rowH - 6, fill: '#eceff2' }, svg);
      [[k.managed, '#3b7dd8'], [k.unmanaged, '#a9c8f0'], [k.spilled, '#9aa3ad']].forEach(function (part) {
        var pw = part[0] / max * barW;
        if (pw > 0) { el('rect', { x: x, y: y, width: pw, height: rowH - 6, fill: part[1] }, svg); x += pw; }
      });
      if (k.memoryLimit > 0) {
        var lx = labelW + k.memoryLimit / max * barW;
        el('line', { x1: lx, x2: lx, y1: y - 1, y2: y + rowH - 5, stroke: '#d33', 'stroke-width': 2 }, svg);
      }
      el('text', { x: labelW + barW + 6, y: y + 14 }, svg).textContent = bytes(k.managed) + ' + ' + bytes(k.unmanaged) + (k.spilled ? ' + ' + bytes(k.spilled) + ' spilled' : '');
    });
    container.innerHTML = '<div class="legend"><span><i class="sw" style="background:#3b7dd8"></i>managed</span><span><i class="sw" style="background:#a9c8f0"></i>unmanaged</span><span><i class="sw" style="background:#9aa3ad"></i>spilled</span><span><i class="sw" style="background:#d33"></i>limit</span></div>';
    container.appendChild(svg);
  }

  function cpuView(container, workers) {
    var rowH = 22, w = container.clientWidth || 400, labelW = 110, textW = 60;
    var svg = el('svg', { width: w, height: Math.max(1, workers.length) * rowH + 4 });
    var barW = Math.max(40, w - labelW - textW);
    workers.forEach(function (k, i) {
      var y = i * rowH + 2, full = 100 * Math.max(1, k.nthreads);
      el('text', { x: 0, y: y + 14 }, svg).textContent = k.name;
      el('rect', { x: labelW, y: y, width: barW, height: rowH - 6, fill: '#eceff2' }, svg);
      el('rect', { x: labelW, y: y, width: Math.min(1, k.cpu / full) * barW, height: rowH - 6, fill: '#e39b2d' }, svg);
      el('text', { x: labelW + barW + 6, y: y + 14 }, svg).textContent = Math.round(k.cpu) + ' %';
    });
    container.innerHTML = '';
    container.appendChild(svg);
  }

  function workersTable(container, workers) {
    var h = '<table id="workers-table"><tr><th class="l">name</th><th class="l">address</th><th>threads</th><th>cpu</th>' +
      '<th>managed</th><th>unmanaged</th><th>spilled</th><th>limit</th><th>processing</th><th>held keys</th><th>finished</th><th class="l">metrics</th></tr>';
    workers.forEach(function (k) {
      h += '<tr class="worker-row"><td><a href="/worker?address=' + encodeURIComponent(k.address) + '">' + esc(k.name) + '</a></td><td class="l">' +
        esc(k.address) + '</td><td>' + k.nthreads + '</td><td>' + Math.round(k.cpu) + ' %</td><td>' + bytes(k.managed) + '</td><td>' +
        bytes(k.unmanaged) + '</td><td>' + bytes(k.spilled) + '</td><td>' + (k.memoryLimit ? bytes(k.memoryLimit) : '—') + '</td><td>' +
        k.processing + '</td><td>' + k.held + '</td><td>' + k.finished + '</td><td class="l">' +
        (k.metrics ? '<a href="' + esc(k.metrics) + '">/metrics</a>' : '—') + '</td></tr>';
    });
    container.innerHTML = h + '</table>';
  }

  function stats(container, s) {
    var c = s.counts || {};
    var items = [['n-workers', s.workers.length, 'workers'], ['tasks-done', s.finishedTotal, 'tasks finished'],
      ['tasks-processing', c.processing || 0, 'processing'], ['tasks-waiting', (c.waiting || 0) + (c.queued || 0) + (c['no_worker'] || 0), 'waiting'],
      ['tasks-memory', c.memory || 0, 'in memory'], ['tasks-erred', s.erredTotal, 'failed']];
    container.innerHTML = '<div class="stats">' + items.map(function (i) {
      return '<div class="stat"><b id="' + i[0] + '">' + i[1] + '</b><span>' + i[2] + '</span></div>';
    }).join('') + '</div>';
  }

  // ---------------------------------------------------------------- pages
  function statusPage() {
    var st = panel('summary', 'Cluster', 'wide');
    var ts = new TaskStream(panel('task-stream', 'Task stream', 'wide'), 260);
    var pr = panel('progress', 'Progress');
    var wl = panel('worker-list', 'Workers');
    var mem = panel('memory', 'Memory per worker');
    var cpu = panel('cpu', 'CPU per worker');
    live(function (s) {
      stats(st, s);
      ts.add(s.tasks.events, s.workers);
      progressView(pr, s.progress);
      wl.innerHTML = '<ul class="plain">' + s.workers.map(function (k) {
        return '<li class="worker-item"><a href="/worker?address=' + encodeURIComponent(k.address) + '">' + esc(k.name) + '</a> <span class="muted">' +
          esc(k.address) + ' · ' + k.nthreads + ' threads · ' + k.processing + ' processing</span></li>';
      }).join('') + '</ul>';
      memoryView(mem, s.workers);
      cpuView(cpu, s.workers);
    });
  }

  function workersPage() {
    main.className = 'single';
    var t = panel('workers', 'Workers');
    var mem = panel('memory', 'Memory per worker');
    live(function (s) { workersTable(t, s.workers); memoryView(mem, s.workers); });
  }

  function graphPage() {
    main.className = 'single';
    var box = panel('graph', 'Task graph');
    var colors = { released: '#c9ced6', waiting: '#9aa3ad', queued: '#b39ddb', no_worker: '#e57373', processing: '#64b5f6',
      memory: '#66bb6a', erred: '#000000' };
    function draw(g) {
      if (g.tooLarge) { box.innerHTML = '<p class="muted">' + g.size + ' tasks: the graph view draws up to ' + g.limit + '.</p>'; return; }
      if (!g.nodes.length) { box.innerHTML = '<p class="muted">No tasks.</p>'; return; }
      var byKey = {}, depth = {};
      g.nodes.forEach(function (n) { byKey[n.key] = n; });
      function d(k, seen) {
        if (depth[k] !== undefined) return depth[k];
        if (seen[k]) return 0;
        seen[k] = true;
        var m = 0;
        byKey[k].deps.forEach(function (x) { if (byKey[x]) m = Math.max(m, d(x, seen) + 1); });
        return (depth[k] = m);
      }
      g.nodes.forEach(function (n) { d(n.key, {}); });
      var cols = [];
      g.nodes.forEach(function (n) { (cols[depth[n.key]] = cols[depth[n.key]] || []).push(n); });
      var colW = 140, rowH = 22, maxRows = 0;
      cols.forEach(function (c) { c.sort(function (a, b) { return a.key < b.key ? -1 : 1; }); maxRows = Math.max(maxRows, c.length); });
      var svg = el('svg', { width: cols.length * colW + 20, height: maxRows * rowH + 20, id: 'graph-svg' });
      var pos = {};
      cols.forEach(function (c, i) { c.forEach(function (n, j) { pos[n.key] = [20 + i * colW, 14 + j * rowH]; }); });
      g.nodes.forEach(function (n) {
        n.deps.forEach(function (x) {
          if (pos[x]) el('line', { x1: pos[x][0], y1: pos[x][1], x2: pos[n.key][0], y2: pos[n.key][1], stroke: '#c3c9d0' }, svg);
        });
      });
      g.nodes.forEach(function (n) {
        var p = pos[n.key];
        var c = el('circle', { cx: p[0], cy: p[1], r: 6, fill: colors[n.state] || '#999', stroke: color(n.prefix), 'stroke-width': 2, 'class': 'node' }, svg);
        el('title', {}, c).textContent = n.key + ' — ' + n.state + (n.worker ? ' on ' + n.worker : '');
      });
      box.innerHTML = '<div class="legend">' + Object.keys(colors).map(function (k) {
        return '<span><i class="sw" style="background:' + colors[k] + '"></i>' + k + '</span>';
      }).join('') + ' <span class="muted">' + g.nodes.length + ' tasks; outline colour = prefix</span></div>';
      box.appendChild(svg);
    }
    function tick() { getJson('/api/graph', draw); }
    tick();
    setInterval(tick, 1000);
  }

  function workerPage() {
    var address = new URLSearchParams(location.search).get('address') || '';
    var info = panel('worker-info', 'Worker ' + address, 'wide');
    var ts = new TaskStream(panel('worker-stream', 'Task stream (recent tasks of this worker)', 'wide'), 120);
    var hist = panel('worker-memory', 'Memory over time');
    var keys = panel('worker-keys', 'Processing');
    function draw(j) {
      var k = j.worker;
      info.innerHTML = '<table id="worker-table"><tr><th class="l">name</th><th class="l">address</th><th>pid</th><th>threads</th><th>cpu</th>' +
        '<th>managed</th><th>unmanaged</th><th>spilled</th><th>limit</th><th>processing</th><th>held keys</th><th>finished</th><th>failed</th><th class="l">metrics</th></tr>' +
        '<tr><td>' + esc(k.name) + '</td><td class="l">' + esc(k.address) + '</td><td>' + k.pid + '</td><td>' + k.nthreads + '</td><td>' +
        Math.round(k.cpu) + ' %</td><td>' + bytes(k.managed) + '</td><td>' + bytes(k.unmanaged) + '</td><td>' + bytes(k.spilled) + '</td><td>' +
        (k.memoryLimit ? bytes(k.memoryLimit) : '—') + '</td><td>' + k.processing + '</td><td>' + k.held + '</td><td>' + k.finished + '</td><td>' +
        k.erred + '</td><td class="l">' + (k.metrics ? '<a href="' + esc(k.metrics) + '">' + esc(k.metrics) + '</a>' : '—') + '</td></tr></table>';
      ts.set(j.tasks.events, [k]);
      var h = j.history, w = hist.clientWidth || 400, ht = 120;
      var svg = el('svg', { width: w, height: ht });
      var max = 1;
      h.forEach(function (p) { max = Math.max(max, p[1] + p[2] + p[3]); });
      function line(f, stroke) {
        var pts = h.map(function (p, i) { return (i / Math.max(1, h.length - 1) * w).toFixed(1) + ',' + (ht - f(p) / max * (ht - 4)).toFixed(1); });
        if (pts.length) el('polyline', { points: pts.join(' '), fill: 'none', stroke: stroke, 'stroke-width': 2 }, svg);
      }
      line(function (p) { return p[1] + p[2] + p[3]; }, '#a9c8f0');
      line(function (p) { return p[1]; }, '#3b7dd8');
      hist.innerHTML = '<div class="legend"><span><i class="sw" style="background:#3b7dd8"></i>managed</span><span><i class="sw" style="background:#a9c8f0"></i>total</span> <span class="muted">max ' + bytes(max) + '</span></div>';
      hist.appendChild(svg);
      keys.innerHTML = '<div class="keys">' + (j.processingKeys.length ? j.processingKeys.map(esc).join('<br>') : '<span class="muted">idle</span>') + '</div>';
    }
    function tick() {
      getJson('/api/worker?address=' + encodeURIComponent(address), draw);
    }
    tick();
    setInterval(tick, 1000);
  }

  ({ status: statusPage, workers: workersPage, graph: graphPage, worker: workerPage }[page] || statusPage)();
})();
