import {api, el, argmax, showProblem, clearProblem} from './app.js';

const $ = s => document.getElementById(s);
const pad = $('pad');
const ctx = pad.getContext('2d', {willReadFrequently: true});
const select = $('model');
const problem = $('problem');
const THROTTLE_MS = 150;
let drawing = false;
let last = null;
let seq = 0;          // number of the latest request sent
let shownSeq = 0;     // number of the response on screen; older ones are stale
let lastSent = 0;
let trailing;
let models = [];

function clearPad() {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, pad.width, pad.height);
}

function blank() {
  const data = ctx.getImageData(0, 0, pad.width, pad.height).data;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) return false;
  return true;
}

function clearPrediction() {
  shownSeq = ++seq; // anything in flight is now stale
  clearTimeout(trailing);
  clearProblem(problem);
  $('result').hidden = true;
  $('hint').hidden = false;
}

// ---------- drawing ----------
function point(e) {
  const r = pad.getBoundingClientRect();
  return {x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height};
}

function stroke(from, to) {
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 18;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
}

pad.addEventListener('pointerdown', e => {
  if (e.button !== 0) return;
  e.preventDefault();
  pad.setPointerCapture(e.pointerId);
  drawing = true;
  last = point(e);
  stroke(last, last);
  schedule();
});
pad.addEventListener('pointermove', e => {
  if (!drawing) return;
  for (const ev of e.getCoalescedEvents?.() ?? [e]) {
    const p = point(ev);
    stroke(last, p);
    last = p;
  }
  schedule();
});
const end = () => {
  if (!drawing) return;
  drawing = false;
  predict();
};
pad.addEventListener('pointerup', end);
pad.addEventListener('pointercancel', end);

/** While drawing, predict at most every THROTTLE_MS, with a trailing call. */
function schedule() {
  clearTimeout(trailing);
  const wait = lastSent + THROTTLE_MS - performance.now();
  if (wait <= 0) predict();
  else trailing = setTimeout(predict, wait);
}

$('clear').addEventListener('click', () => { clearPad(); clearPrediction(); });
select.addEventListener('change', () => predict());

// ---------- images from files ----------
async function drawFile(file) {
  if (!file) return;
  if (!file.type.startsWith('image/')) {
    showProblem(problem, new Error(`${file.name} is not an image.`));
    return;
  }
  try {
    const bitmap = await createImageBitmap(file);
    clearPad();
    const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    const [w, h] = [bitmap.width * scale, bitmap.height * scale];
    ctx.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
    bitmap.close();
    predict();
  } catch (err) {
    showProblem(problem, new Error(`${file.name} could not be read as an image (${err.message}).`));
  }
}

$('file').addEventListener('change', e => { drawFile(e.target.files[0]); e.target.value = ''; });
for (const zone of [$('drop'), pad]) {
  zone.addEventListener('dragover', e => { e.preventDefault(); $('drop').classList.add('over'); });
  zone.addEventListener('dragleave', () => $('drop').classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    $('drop').classList.remove('over');
    drawFile(e.dataTransfer.files[0]);
  });
}

// ---------- prediction ----------
async function predict() {
  clearTimeout(trailing);
  if (blank()) { clearPrediction(); return; }
  const mine = ++seq;
  lastSent = performance.now();
  try {
    const blob = await new Promise((resolve, reject) =>
      pad.toBlob(b => b ? resolve(b) : reject(new Error('The drawing could not be encoded.')), 'image/png'));
    const form = new FormData();
    form.append('images', blob, 'pad.png');
    const query = new URLSearchParams({preprocess: 'mnist', members: 'true', pixels: 'true'});
    if (select.value) query.set('model', select.value);
    const answer = await api('POST', `/predict?${query}`, form);
    if (mine < shownSeq) return;
    shownSeq = mine;
    render(answer);
  } catch (err) {
    if (mine < shownSeq) return;
    shownSeq = mine;
    $('result').hidden = true;
    $('hint').hidden = false;
    showProblem(problem, err);
  }
}

function render(answer) {
  const p = answer.predictions[0];
  const names = models.find(m => m.id === answer.model?.id)?.classNames;
  const className = i => names?.[i] ?? (i === p.label ? p.className : String(i));
  clearProblem(problem);
  $('hint').hidden = true;
  $('result').hidden = false;
  $('predicted-label').textContent = p.className ?? String(p.label);
  $('predicted-label').dataset.label = p.label;

  $('probabilities').replaceChildren(...p.probabilities.map((prob, i) => el('li', {class: i === p.label ? 'top' : null, 'data-label': i},
    el('span', {}, className(i)),
    el('span', {class: 'bar', role: 'presentation'}, el('span', {class: 'fill', style: `display:block; width: ${(prob * 100).toFixed(1)}%`})),
    el('span', {class: 'num'}, `${(prob * 100).toFixed(1)} %`))));

  const votes = (p.memberLogits || []).map(argmax);
  $('votes').replaceChildren(...votes.map((v, i) => el('span', {class: `vote badge${v === p.label ? ' state-succeeded' : ' state-failed'}`,
    'data-member': i, 'data-label': v}, `member ${i + 1}: ${className(v)}`)).flatMap((b, i) => i ? [' ', b] : [b]));
  const agree = votes.filter(v => v === p.label).length;
  $('agreement').textContent = votes.length
    ? `${agree} of ${votes.length} ${votes.length === 1 ? 'member agrees' : 'members agree'}` : '';
  // The service flags a prediction whose entropy, or ink coverage, is beyond what the model's own test images reach.
  $('uncertainty').replaceChildren(...(p.uncertain == null ? [] : [
    el('span', {class: `badge ${p.uncertain ? 'state-failed' : 'state-succeeded'}`}, p.uncertain ? 'uncertain' : 'confident'),
    ` entropy ${p.entropy.toFixed(3)} nats · ink covers ${(p.inkCoverage * 100).toFixed(0)} % of the frame`]));

  paintPixels(p.pixels);
  const m = answer.model || {};
  $('model-info').textContent = `${m.architecture ?? ''} · ${m.ensembleSize ?? '?'} members · ${m.dataset ?? ''}`
    + (m.version ? ` · version ${m.version}` : '') + (p.inverted ? ' · colours inverted' : '');
}

function paintPixels(pixels) {
  const canvas = $('preprocessed');
  const c = canvas.getContext('2d');
  if (!pixels) { c.clearRect(0, 0, canvas.width, canvas.height); return; }
  const image = c.createImageData(canvas.width, canvas.height);
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const v = Math.round(Math.min(1, Math.max(0, pixels[y]?.[x] ?? 0)) * 255);
      const i = (y * canvas.width + x) * 4;
      image.data[i] = image.data[i + 1] = image.data[i + 2] = v;
      image.data[i + 3] = 255;
    }
  }
  c.putImageData(image, 0, 0);
}

async function loadModels() {
  try {
    models = await api('GET', '/models');
    const def = models.find(m => m.default);
    select.options[0].textContent = def ? `Default model (${def.name || def.id.slice(0, 8)})` : 'Default model';
    for (const m of models) {
      select.append(el('option', {value: m.id}, `${m.name || m.id.slice(0, 8)} — ${m.architecture}, ${m.ensembleSize}×, ${m.dataset}`));
    }
    if (!models.length) showProblem(problem, {problem: {title: 'No model yet', detail: 'Train a job on the Jobs page first: a job that succeeds becomes a model.'}});
  } catch (err) {
    showProblem(problem, err);
  }
}

clearPad();
loadModels();
