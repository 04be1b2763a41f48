import {api, el, pct, num, time, param, showProblem, dash} from './app.js';

const $ = s => document.getElementById(s);
const id = param('id');
const GALLERY_MAX = 60;

// viridis, sampled at nine evenly spaced stops
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725']
  .map(h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)));

function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}

function textColour([r, g, b]) {
  const lin = c => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.18 ? '#000' : '#fff';
}

function renderSummary(m) {
  document.title = `${m.name || 'Model'} · CNN Ensemble Service`;
  $('title').replaceChildren(m.name || `Model ${m.id.slice(0, 8)}`, m.default ? el('span', {class: 'badge default'}, 'default') : null);
  const rows = {
    id: m.id, architecture: m.architecture, dataset: m.dataset, members: m.ensembleSize, epochs: m.epochs,
    'test accuracy': pct(m.testAccuracy),
    'member test accuracies': (m.memberTestAccuracies || []).map(a => pct(a)).join(', ') || dash,
    'trained at': time(m.trainedAt), classes: (m.classNames || []).join(', '),
    loaded: m.loaded ? 'yes' : 'no', version: m.version || dash,
  };
  $('summary').replaceChildren(...Object.entries(rows).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? dash)]));
  $('summary').firstElementChild.nextElementSibling.append(' ', el('a', {href: `job.html?id=${encodeURIComponent(m.id)}`}, '(training job)'));
}

function renderConfusion(ev) {
  const names = ev.classNames;
  const gradient = `linear-gradient(to right, ${[0, .25, .5, .75, 1].map(t => `rgb(${viridis(t)})`).join(', ')})`;
  const caption = el('caption', {},
    `Rows: true label; columns: predicted label. ${num(ev.testImages)} test images, accuracy ${pct(ev.accuracy)}. Colour: the cell's share of its row, 0`,
    el('span', {class: 'legend-bar', style: `background: ${gradient}`, 'aria-hidden': 'true'}), '100 % (viridis).');
  const head = el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, el('span', {class: 'muted'}, 'true \\ predicted')),
    names.map(n => el('th', {scope: 'col', class: 'num'}, n))));
  const body = el('tbody', {}, ev.confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return el('tr', {}, el('th', {scope: 'row'}, names[i] ?? i), row.map((count, j) => {
      const colour = viridis(total ? count / total : 0);
      return el('td', {class: `cell${i === j ? ' diagonal' : ''}`, 'data-count': count,
        title: `true ${names[i]}, predicted ${names[j]}: ${count}${total ? ` (${(count / total * 100).toFixed(1)} % of row)` : ''}`,
        style: `background: rgb(${colour}); color: ${textColour(colour)}`}, count);
    }));
  }));
  $('confusion').replaceChildren(caption, head, body);
}

function renderClasses(ev) {
  $('per-class').tBodies[0].replaceChildren(...ev.classes.map(c => el('tr', {'data-label': c.label},
    el('th', {scope: 'row'}, c.className ?? ev.classNames[c.label]), el('td', {class: 'num'}, pct(c.precision)),
    el('td', {class: 'num'}, pct(c.recall)), el('td', {class: 'num'}, num(c.support)))));
}

function renderGallery(ev) {
  const name = l => ev.classNames[l] ?? l;
  const shown = ev.misclassified.slice(0, GALLERY_MAX);
  $('miss-count').textContent = `${num(ev.misclassifiedCount)} of ${num(ev.testImages)} test images are misclassified`
    + (ev.misclassifiedCount > shown.length ? `; the first ${shown.length} are shown.` : '.');
  $('gallery').replaceChildren(...shown.map(m => el('figure', {class: 'miss', 'data-index': m.index},
    el('img', {src: `/datasets/${encodeURIComponent(ev.dataset)}/images/test/${m.index}`, width: 56, height: 56, loading: 'lazy',
      alt: `test image ${m.index}: a ${name(m.label)} taken for a ${name(m.predicted)}`}),
    el('figcaption', {}, `true ${name(m.label)} → ${name(m.predicted)}`, el('br'),
      el('span', {class: 'votes'}, `votes ${(m.memberVotes || []).map(name).join(' ')}`),
      m.confidence != null ? el('span', {class: 'muted'}, ` · ${pct(m.confidence, 0)}`) : null))));
}

async function load() {
  if (!id) throw new Error('No model id: open a model from the Models page.');
  const evaluation = api('GET', `/models/${encodeURIComponent(id)}/evaluation`);
  evaluation.catch(() => {}); // reported below
  renderSummary(await api('GET', `/models/${encodeURIComponent(id)}`));
  const ev = await evaluation;
  $('evaluation-status').textContent = '';
  renderConfusion(ev);
  renderClasses(ev);
  renderGallery(ev);
}

load().catch(err => {
  $('evaluation-status').textContent = '';
  showProblem($('problem'), err);
});
