// The webinfra dashboard: polls the controller's JSON every few seconds and redraws.
'use strict';

const REFRESH_MS = 3000;
const MINUTES = 5;
const charts = new Map();

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fill(list, items) {
  list.replaceChildren(...items);
}

async function getJson(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(url + ': ' + r.status + ' ' + (await r.text()));
  return r.json();
}

async function refreshStatus() {
  const s = await getJson('/api/status');
  document.getElementById('lab').textContent = s.lab;
  document.getElementById('site').textContent = s.site || '';
  document.getElementById('vip').textContent = s.vipHolder ? 'held by ' + s.vipHolder : 'held by no load balancer';
  document.getElementById('primaries').textContent = s.dbPrimaries.length ? s.dbPrimaries.join(', ') : 'none';
  fill(document.getElementById('replicas'), s.replicas.map(r =>
    el('li', r.state && r.state.startsWith('unknown')
      ? r.host + ': ' + r.state
      : r.host + ' ← ' + (r.source || 'no source') + ': IO ' + (r.io || '?') + ', SQL ' + (r.sql || '?') + ', '
        + (r.lagSeconds === null ? 'lag unknown' : r.lagSeconds + ' s behind')
        + (r.state && r.state !== 'following' ? ' (' + r.state + ')' : ''))));
  // One row per incident (an Alertmanager group), not one per alert: a power cut is one row.
  const open = s.incidents.filter(i => i.resolved === null);
  const resolved = s.incidents.filter(i => i.resolved !== null);
  fill(document.getElementById('incidents'), open.map(i => incident(i, 'since ' + clock(i.since)
    + ', ' + i.alerts + (i.alerts === 1 ? ' alert' : ' alerts'))));
  fill(document.getElementById('resolved'), resolved.map(i => incident(i, clock(i.since) + ' to ' + clock(i.resolved))));
  document.getElementById('resolved-box').hidden = resolved.length === 0;
  document.getElementById('incident-count').textContent = open.length ? '(' + open.length + ')' : '';
  document.getElementById('incidents-card').classList.toggle('quiet', open.length === 0);
  fill(document.getElementById('hosts'), s.hosts.map(h => {
    const li = el('li', h.name);
    li.dataset.host = h.name;
    li.append(el('span', h.state, 'state ' + h.state));
    const down = Object.entries(h.daemons).filter(([, st]) => st !== 'up').map(([d, st]) => d + ' ' + st);
    if (down.length) li.append(el('small', ' ' + down.join(', ')));
    return li;
  }));
}

// An ISO-8601 instant as the time of day in UTC, as the event log and status print it.
function clock(iso) {
  return iso ? iso.substring(11, 19) + 'Z' : '?';
}

function incident(i, detail) {
  const li = el('li', i.title);
  li.dataset.incident = i.title;
  li.append(el('small', ' ' + detail));
  return li;
}

async function refreshDiagram() {
  const r = await fetch('/api/diagram.svg', { cache: 'no-store' });
  if (!r.ok) throw new Error('diagram: ' + r.status);
  // Our own Graphviz output; an SVG inserted this way runs no script.
  document.getElementById('diagram').innerHTML = await r.text();
}

async function setUpCharts() {
  const panels = await getJson('/api/panels');
  const box = document.getElementById('charts');
  for (const p of panels) {
    const div = el('div', undefined, 'chart');
    div.id = 'chart-' + p.id;
    box.append(div);
    // SVG rendering keeps the drawn lines in the DOM, where the browser test can find them.
    charts.set(p.id, echarts.init(div, null, { renderer: 'svg' }));
  }
}

async function refreshCharts() {
  let drawn = 0;
  await Promise.all([...charts.entries()].map(async ([id, chart]) => {
    const g = await getJson('/api/graph?id=' + encodeURIComponent(id) + '&minutes=' + MINUTES);
    const hasData = g.series.some(s => s.points.length > 1);
    if (hasData) drawn++;
    chart.setOption({
      animation: false,
      title: { text: g.title + ' (' + g.unit + ')' + (hasData ? '' : ', no data yet'), left: 8, top: 4, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 24, left: 8, right: 8 },
      grid: { left: 56, right: 16, top: 58, bottom: 26 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true },
      series: g.series.map(s => ({ name: s.name, type: 'line', showSymbol: false, data: s.points })),
    }, true);
  }));
  document.getElementById('charts').dataset.drawn = String(drawn);
}

async function tick() {
  const updated = document.getElementById('updated');
  try {
    await Promise.all([refreshStatus(), refreshDiagram(), refreshCharts()]);
    updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    updated.classList.remove('stale');
  } catch (e) {
    updated.textContent = 'not updated: ' + e.message;
    updated.classList.add('stale');
  }
}

window.addEventListener('resize', () => charts.forEach(c => c.resize()));
setUpCharts().then(tick).finally(() => setInterval(tick, REFRESH_MS));
