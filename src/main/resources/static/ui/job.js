import {api, el, badge, num, duration, time, param, showProblem, clearProblem, FINAL_STATES, ACTIVE_STATES, dash} from './app.js';
import {tutorialFor} from './tutorial.js';

const id = param('id');
const $ = s => document.getElementById(s);
const problemBox = $('problem');
const COLORS = ['#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#999933', '#882255', '#44AA99', '#999999'];
const CHARTS = [
  {id: 'chart-test', metric: 'testAccuracy', percent: true, tutorial: true},
  {id: 'chart-train', metric: 'trainAccuracy', percent: true},
  {id: 'chart-loss', metric: 'loss', percent: false},
];
let job = null;
let history = [];
let source = null;
let pollTimer;

// ---------- rendering ----------
function render() {
  document.title = `${job.name || 'Job'} · CNN Ensemble Service`;
  $('title').replaceChildren(job.name || `Job ${job.id.slice(0, 8)}`, badge(job.state));
  renderProgress();
  const active = ACTIVE_STATES.has(job.state);
  $('cancel').disabled = !active || job.stopRequested;
  $('resume').disabled = !(job.state === 'FAILED' || job.state === 'CANCELLED');
  $('delete').disabled = !FINAL_STATES.has(job.state);
  $('error').hidden = !job.error;
  $('error').textContent = job.error ? `Error: ${job.error}` : '';
  renderMembers();
  renderConfig();
  renderCheckpoints();
  drawCharts();
}

function renderProgress() {
  const p = job.progress || {};
  const percent = job.state === 'SUCCEEDED' ? 100 : (p.percent ?? 0);
  $('progress').value = percent;
  const parts = [`${percent.toFixed(1)} %`];
  if (p.epochs != null) parts.push(`epoch ${p.epoch ?? dash}/${p.epochs}`);
  if (p.stepsPerEpoch != null) parts.push(`step ${p.step ?? dash}/${p.stepsPerEpoch}`);
  if (p.samplesPerSecond != null) parts.push(`${num(p.samplesPerSecond)} img/s`);
  if (ACTIVE_STATES.has(job.state)) {
    parts.push(`ETA ${duration(p.etaSeconds)}`);
    if (p.ensembleSize != null) parts.push(`${p.runningMembers ?? 0} of ${p.ensembleSize} members running`);
  }
  if (job.stopRequested && ACTIVE_STATES.has(job.state)) parts.push('stopping…');
  $('progress-text').textContent = parts.join(' · ');
}

function renderMembers() {
  const rows = (job.members || []).map(m => el('tr', {'data-member': m.member},
    el('td', {}, m.member + 1), el('td', {}, badge(m.state)), el('td', {}, m.worker || dash),
    el('td', {class: 'num'}, m.attempt ?? dash), el('td', {class: 'num'}, m.epoch ?? dash), el('td', {class: 'num'}, m.step ?? dash),
    el('td', {class: 'progress-cell'}, el('progress', {max: 100, value: m.percent ?? 0, 'aria-label': `member ${m.member + 1} progress`}),
      ` ${Math.round(m.percent ?? 0)} %`),
    el('td', {class: 'num'}, num(m.samplesPerSecond)), el('td', {}, m.error || '')));
  $('members').tBodies[0].replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', {colspan: 9, class: 'empty'}, 'No members yet.'))]));
}

const show = v => v == null ? dash : typeof v === 'object'
  ? Object.entries(v).map(([k, x]) => `${k} ${x ?? dash}`).join(', ') : String(v);

function renderConfig() {
  const c = {...job.config, createdAt: time(job.createdAt), startedAt: time(job.startedAt), finishedAt: time(job.finishedAt),
    attempts: job.attempts};
  $('config').replaceChildren(...Object.entries(c).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, show(v))]));
}

function renderCheckpoints() {
  const list = job.checkpoints || [];
  const table = $('checkpoints');
  if (!list.length) {
    table.replaceChildren(el('tbody', {}, el('tr', {}, el('td', {class: 'empty'}, 'None yet.'))));
    return;
  }
  const keys = [...new Set(list.flatMap(Object.keys))];
  table.replaceChildren(el('thead', {}, el('tr', {}, keys.map(k => el('th', {scope: 'col'}, k)))),
    el('tbody', {}, list.map(cp => el('tr', {}, keys.map(k => el('td', {}, show(cp[k])))))));
}

// ---------- charts ----------
function chartData(metric, tutorial) {
  const byEpoch = new Map(history.map(h => [h.epoch, h]));
  const last = history.length ? Math.max(...history.map(h => h.epoch)) : 0;
  const xs = Array.from({length: Math.max(last, tutorial ? tutorial.values.length : 0, 1)}, (_, i) => i + 1);
  const size = job.config?.ensembleSize ?? 1;
  const data = [xs, xs.map(x => byEpoch.get(x)?.ensemble?.[metric] ?? null)];
  for (let i = 0; i < size; i++) data.push(xs.map(x => byEpoch.get(x)?.members?.[i]?.[metric] ?? null));
  if (tutorial) data.push(xs.map(x => tutorial.values[x - 1] ?? null));
  return data;
}

function chartOptions(spec, width, tutorial) {
  const fmt = spec.percent ? v => v == null ? dash : `${(v * 100).toFixed(2)} %` : v => v == null ? dash : v.toFixed(4);
  const value = (u, v) => fmt(v);
  const series = [{label: 'epoch'}, {label: 'ensemble', stroke: '#1d2330', width: 3, value, spanGaps: true}];
  for (let i = 0; i < (job.config?.ensembleSize ?? 1); i++) {
    series.push({label: `member ${i + 1}`, stroke: COLORS[i % COLORS.length], width: 1, value, spanGaps: true});
  }
  if (tutorial) series.push({label: tutorial.label, stroke: '#7a5195', width: 2, dash: [6, 4], value});
  return {
    width, height: 240, series,
    scales: {x: {time: false}},
    axes: [
      {label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500]},
      {size: 70, values: (u, vals) => vals.map(v => v == null ? '' : spec.percent ? `${(v * 100).toFixed(2)}%` : v.toFixed(3))},
    ],
  };
}

const charts = new Map();
function drawCharts() {
  $('curves').dataset.epochs = String(history.filter(h => h.ensemble).length);
  if (typeof uPlot === 'undefined' || !job?.config) return;
  for (const spec of CHARTS) {
    const tutorial = spec.tutorial ? tutorialFor(job.config) : null;
    const data = chartData(spec.metric, tutorial);
    const chart = charts.get(spec.id);
    if (chart) { chart.setData(data); continue; }
    const box = $(spec.id);
    charts.set(spec.id, new uPlot(chartOptions(spec, box.clientWidth || 600, tutorial), data, box));
  }
}

let resizeFrame;
window.addEventListener('resize', () => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => {
    for (const [boxId, chart] of charts) chart.setSize({width: $(boxId).clientWidth, height: 240});
  });
});

function upsert(epoch) {
  const i = history.findIndex(h => h.epoch === epoch.epoch);
  if (i >= 0) history[i] = epoch; else history.push(epoch);
  history.sort((a, b) => a.epoch - b.epoch);
}

// ---------- data flow ----------
function accept(view) {
  if (view.history) history = [...view.history];
  job = view;
  render();
}

async function fetchJob() {
  const view = await api('GET', `/jobs/${encodeURIComponent(id)}`);
  clearProblem(problemBox);
  accept(view);
  return view;
}

function setLive(text) { $('live').textContent = text; }

// The stream's progress events carry the job's totals; each member's row comes with the job itself.
let membersFetchedAt = 0;
function refreshMembers() {
  if (Date.now() - membersFetchedAt < 3000) return;
  membersFetchedAt = Date.now();
  api('GET', `/jobs/${encodeURIComponent(id)}`).then(view => {
    if (!FINAL_STATES.has(job.state)) { job.members = view.members; renderMembers(); }
  }, () => { /* the next progress event tries again */ });
}

function stopLive() {
  if (source) { source.close(); source = null; }
  clearTimeout(pollTimer);
}

function live() {
  stopLive();
  if (FINAL_STATES.has(job.state)) { setLive(''); return; }
  let received = false;
  source = new EventSource(`/jobs/${encodeURIComponent(id)}/events`);
  setLive('live');
  const on = (name, handler) => source.addEventListener(name, e => {
    received = true;
    try { handler(JSON.parse(e.data)); } catch (err) { showProblem(problemBox, err); }
  });
  on('state', view => {
    accept(view);
    if (FINAL_STATES.has(view.state)) finish();
  });
  on('progress', progress => { job.progress = progress; renderProgress(); refreshMembers(); });
  on('epoch', epoch => { upsert(epoch); drawCharts(); });
  source.onerror = () => {
    stopLive();
    if (received) fetchJob().then(v => { if (!FINAL_STATES.has(v.state)) pollTimer = setTimeout(live, 1000); else setLive(''); },
      err => { showProblem(problemBox, err); poll(); });
    else poll();
  };
}

async function finish() {
  stopLive();
  setLive('');
  try { await fetchJob(); } catch (err) { showProblem(problemBox, err); }
}

async function poll() {
  stopLive();
  setLive('polling every 2 s');
  try {
    const view = await fetchJob();
    if (FINAL_STATES.has(view.state)) { setLive(''); return; }
  } catch (err) {
    showProblem(problemBox, err);
  }
  pollTimer = setTimeout(poll, 2000);
}

// ---------- actions ----------
async function act(button, action) {
  clearProblem(problemBox);
  button.disabled = true;
  try { await action(); } catch (err) { showProblem(problemBox, err); }
  if (job) render();
}

$('cancel').addEventListener('click', e => act(e.currentTarget, async () => {
  accept(await api('POST', `/jobs/${encodeURIComponent(id)}/cancel`));
}));
$('resume').addEventListener('click', e => act(e.currentTarget, async () => {
  accept(await api('POST', `/jobs/${encodeURIComponent(id)}/resume`));
  live();
}));
$('delete').addEventListener('click', e => {
  if (!confirm(`Delete job "${job?.name || id}" and its checkpoints?`)) return;
  act(e.currentTarget, async () => {
    await api('DELETE', `/jobs/${encodeURIComponent(id)}`);
    stopLive();
    job = null;
    location.href = 'index.html';
  });
});

if (!id) {
  showProblem(problemBox, new Error('No job id: open a job from the Jobs page.'));
} else {
  fetchJob().then(live, err => showProblem(problemBox, err));
}
