import {api, el, badge, pct, duration, time, showProblem, clearProblem, ACTIVE_STATES, dash} from './app.js';

const table = document.querySelector('#jobs tbody');
const listProblem = document.getElementById('list-problem');
const form = document.getElementById('new-job');
const formProblem = document.getElementById('job-problem');
const accuracies = new Map(); // model (= job) id -> test accuracy
let timer;

async function modelAccuracies(jobs) {
  if (!jobs.some(j => j.state === 'SUCCEEDED' && !accuracies.has(j.id))) return;
  try {
    for (const m of await api('GET', '/models')) accuracies.set(m.id, m.testAccuracy);
  } catch { /* accuracy stays "—" */ }
}

function row(job) {
  const p = job.progress || {};
  const percent = Math.round(p.percent ?? (job.state === 'SUCCEEDED' ? 100 : 0));
  return el('tr', {'data-id': job.id, 'data-state': job.state},
    el('td', {}, el('a', {href: `job.html?id=${encodeURIComponent(job.id)}`}, job.name || job.id.slice(0, 8))),
    el('td', {}, badge(job.state)),
    el('td', {class: 'progress-cell'}, el('progress', {max: 100, value: percent, 'aria-label': `${job.name || 'job'} progress`}), ` ${percent} %`),
    el('td', {}, ACTIVE_STATES.has(job.state) ? duration(p.etaSeconds) : dash),
    el('td', {class: 'num'}, job.config?.ensembleSize ?? p.ensembleSize ?? dash),
    el('td', {class: 'num'}, job.state === 'SUCCEEDED' ? pct(accuracies.get(job.id)) : dash),
    el('td', {}, el('time', {datetime: job.createdAt || ''}, time(job.createdAt))));
}

async function refresh() {
  clearTimeout(timer);
  let jobs = [];
  try {
    jobs = (await api('GET', '/jobs?page=0&size=50')).items || [];
    await modelAccuracies(jobs);
    clearProblem(listProblem);
    table.replaceChildren(...(jobs.length ? jobs.map(row)
      : [el('tr', {}, el('td', {colspan: 7, class: 'empty'}, 'No jobs yet: start one below.'))]));
  } catch (e) {
    showProblem(listProblem, e);
  }
  if (jobs.some(j => ACTIVE_STATES.has(j.state))) timer = setTimeout(refresh, 3000);
}

async function loadDatasets() {
  const select = document.getElementById('dataset');
  try {
    for (const d of await api('GET', '/datasets')) {
      select.append(el('option', {value: d.name, title: d.description || ''}, d.description ? `${d.name} — ${d.description}` : d.name));
    }
  } catch (e) {
    showProblem(formProblem, e);
  }
}

const PRESETS = {
  baseline: {name: 'baseline'},
  ensemble: {name: 'baseline-x3', ensembleSize: 3},
  best: {name: 'best', recipe: 'best'},
  quick: {name: 'quick-trial', ensembleSize: 2, epochs: 1, trainLimit: 6000, testLimit: 1000},
};

function fields() {
  return [...form.elements].filter(c => c.name && c.type !== 'submit' && c.type !== 'button');
}

function applyPreset(name) {
  const preset = PRESETS[name];
  clearProblem(formProblem, form);
  for (const c of fields()) {
    if (c.type === 'checkbox') c.checked = Boolean(preset[c.name]);
    else c.value = preset[c.name] ?? '';
  }
  form.elements.namedItem("name").focus();
}

function body() {
  const out = {};
  for (const c of fields()) {
    const [head, tail] = c.name.split('.');
    let value;
    if (c.type === 'checkbox') value = c.checked;
    else if (c.value.trim() === '') continue;
    else if (c.type === 'number') value = Number(c.value);
    else value = c.value.trim();
    if (tail) (out[head] ??= {})[tail] = value;
    else out[head] = value;
  }
  if (out.augmentation && out.augmentation.copies === undefined) delete out.augmentation;
  if (out.lrDecay && out.lrDecay.rate === undefined) delete out.lrDecay;
  return out;
}

form.addEventListener('click', e => {
  const button = e.target.closest('button[data-preset]');
  if (button) applyPreset(button.dataset.preset);
});

form.addEventListener('submit', async e => {
  e.preventDefault();
  const submit = document.getElementById('submit-job');
  clearProblem(formProblem, form);
  submit.disabled = true;
  try {
    const job = await api('POST', '/jobs', body());
    location.href = `job.html?id=${encodeURIComponent(job.id)}`;
  } catch (err) {
    showProblem(formProblem, err, form);
    submit.disabled = false;
  }
});

loadDatasets();
refresh();
