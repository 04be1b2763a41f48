import {api, el, pct, time, showProblem, clearProblem, dash} from './app.js';

const $ = s => document.getElementById(s);
const selectA = $('compare-a');
const selectB = $('compare-b');
const evaluations = new Map(); // model id -> Promise of its evaluation

const label = m => `${m.name || m.id.slice(0, 8)} (${m.architecture}, ${m.ensembleSize}×, ${pct(m.testAccuracy)})`;

async function refresh() {
  try {
    const models = await api('GET', '/models');
    clearProblem($('problem'));
    $('models').tBodies[0].replaceChildren(...(models.length ? models.map(m => el('tr', {'data-id': m.id},
      el('td', {}, el('a', {href: `model.html?id=${encodeURIComponent(m.id)}`}, m.name || m.id.slice(0, 8))),
      el('td', {}, m.architecture), el('td', {}, m.dataset), el('td', {class: 'num'}, m.ensembleSize),
      el('td', {class: 'num'}, m.epochs), el('td', {class: 'num'}, pct(m.testAccuracy)),
      el('td', {}, time(m.trainedAt)),
      el('td', {}, m.default ? el('span', {class: 'badge default'}, 'default')
        : el('button', {type: 'button', class: 'set-default secondary', 'data-id': m.id,
          'aria-label': `Set ${m.name || m.id} as default`}, 'Set as default'))))
      : [el('tr', {}, el('td', {colspan: 8, class: 'empty'}, 'No models yet: a job that succeeds becomes one.'))]));
    fillSelects(models);
  } catch (e) {
    showProblem($('problem'), e);
  }
}

function fillSelects(models) {
  const [a, b] = [selectA.value, selectB.value];
  for (const select of [selectA, selectB]) {
    select.replaceChildren(...models.map(m => el('option', {value: m.id}, label(m))));
  }
  const ids = models.map(m => m.id);
  const fallbackA = models.find(m => m.default)?.id ?? ids[0];
  selectA.value = ids.includes(a) ? a : fallbackA ?? '';
  selectB.value = ids.includes(b) ? b : ids.find(i => i !== selectA.value) ?? ids[0] ?? '';
  compare();
}

function evaluation(id) {
  if (!evaluations.has(id)) {
    const promise = api('GET', `/models/${encodeURIComponent(id)}/evaluation`);
    promise.catch(() => evaluations.delete(id));
    evaluations.set(id, promise);
  }
  return evaluations.get(id);
}

let compareSeq = 0;
async function compare() {
  const [a, b] = [selectA.value, selectB.value];
  const body = $('comparison').tBodies[0];
  if (!a || !b) return;
  const seq = ++compareSeq;
  clearProblem($('compare-problem'));
  body.replaceChildren(el('tr', {}, el('td', {colspan: 4, class: 'empty'}, 'Evaluating on the test set…')));
  try {
    const [ea, eb] = await Promise.all([evaluation(a), evaluation(b)]);
    if (seq !== compareSeq) return;
    const names = ea.classNames.length >= eb.classNames.length ? ea.classNames : eb.classNames;
    const recall = (ev, i) => ev.classes.find(c => c.label === i)?.recall ?? ev.classes[i]?.recall;
    const diffCell = (x, y) => {
      if (x == null || y == null) return el('td', {class: 'num'}, dash);
      const d = (y - x) * 100;
      const cls = d > 0.005 ? 'pos' : d < -0.005 ? 'neg' : 'muted';
      return el('td', {class: `num ${cls}`, 'data-diff': (y - x).toFixed(6)}, `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(2)} pp`);
    };
    const rows = names.map((name, i) => {
      const [ra, rb] = [recall(ea, i), recall(eb, i)];
      return el('tr', {'data-class': i}, el('th', {scope: 'row'}, name), el('td', {class: 'num'}, pct(ra)),
        el('td', {class: 'num'}, pct(rb)), diffCell(ra, rb));
    });
    rows.push(el('tr', {class: 'overall'}, el('th', {scope: 'row'}, 'Overall accuracy'),
      el('td', {class: 'num'}, pct(ea.accuracy)), el('td', {class: 'num'}, pct(eb.accuracy)), diffCell(ea.accuracy, eb.accuracy)));
    if (ea.dataset !== eb.dataset) {
      showProblem($('compare-problem'), new Error(`The models were trained on different datasets (${ea.dataset}, ${eb.dataset}).`));
    }
    body.replaceChildren(...rows);
  } catch (e) {
    if (seq !== compareSeq) return;
    body.replaceChildren();
    showProblem($('compare-problem'), e);
  }
}

$('models').addEventListener('click', async e => {
  const button = e.target.closest('button.set-default');
  if (!button) return;
  button.disabled = true;
  try {
    await api('PUT', '/models/default', {jobId: button.dataset.id});
    await refresh();
  } catch (err) {
    showProblem($('problem'), err);
    button.disabled = false;
  }
});
selectA.addEventListener('change', compare);
selectB.addEventListener('change', compare);

refresh();
