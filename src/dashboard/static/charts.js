// A small SVG line chart of requests per second by cache status, drawn with the DOM (no library).
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 160;
const PAD = { left: 36, right: 8, top: 8, bottom: 18 };

function el(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** `points`: [{ t (ms), rates: { status: requests/s } }], oldest first. */
export function renderRateChart(container, points, statuses) {
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'requests per second by cache status' });
  const max = Math.max(1, ...points.flatMap((p) => statuses.map((s) => p.rates[s] ?? 0)));
  const t0 = points[0]?.t ?? 0;
  const span = Math.max(1, (points.at(-1)?.t ?? 0) - t0);
  const x = (t) => PAD.left + ((t - t0) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  svg.append(el('line', { x1: PAD.left, y1: y(0), x2: WIDTH - PAD.right, y2: y(0), stroke: '#d9dde5' }));
  svg.append(el('line', { x1: PAD.left, y1: y(max), x2: WIDTH - PAD.right, y2: y(max), stroke: '#eef0f4' }));
  const top = el('text', { x: 2, y: y(max) + 4 });
  top.textContent = `${max.toFixed(1)}/s`;
  const zero = el('text', { x: 2, y: y(0) + 4 });
  zero.textContent = '0';
  svg.append(top, zero);
  const age = el('text', { x: PAD.left, y: HEIGHT - 4 });
  age.textContent = points.length < 2 ? 'collecting…' : `last ${Math.round(span / 1000)} s`;
  svg.append(age);
  for (const status of statuses) {
    if (points.length < 2) break;
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.rates[status] ?? 0).toFixed(1)}`).join(' ');
    svg.append(el('path', { d: path, fill: 'none', 'stroke-width': 2, class: `s-${status}` }));
  }
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const status of statuses) {
    const item = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = `swatch s-${status}`;
    item.append(swatch, status);
    legend.append(item);
  }
  container.replaceChildren(legend, svg);
}
