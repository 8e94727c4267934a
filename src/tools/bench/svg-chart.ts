// A line chart as a standalone SVG string, written by hand: no dependency, readable in a browser
// or on GitHub without running anything.

export interface ChartSeries {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly dashed?: boolean;
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly xLog?: boolean;
  readonly yRange?: readonly [number, number];
  /** Vertical marker lines, e.g. the run's threshold. */
  readonly markers?: ReadonlyArray<{ readonly x: number; readonly label: string }>;
}

const WIDTH = 720;
const HEIGHT = 420;
const PAD = { left: 64, right: 180, top: 40, bottom: 52 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#7f7f7f'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

function label(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
}

export function renderLineChart(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]).filter((x) => !chart.xLog || x > 0);
  let xMin = xs.length > 0 ? Math.min(...xs) : 0;
  let xMax = xs.length > 0 ? Math.max(...xs) : 1;
  if (xMin === xMax) [xMin, xMax] = [xMin - 1, xMax + 1];
  const [yMin, yMax] = chart.yRange ?? [Math.min(0, ...all.map((p) => p[1])), Math.max(1, ...all.map((p) => p[1]))];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const tx = (x: number): number => {
    const f = chart.xLog ? (Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin) || 1) : (x - xMin) / (xMax - xMin);
    return PAD.left + f * plotW;
  };
  const ty = (y: number): number => PAD.top + (1 - (y - yMin) / (yMax - yMin || 1)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (const y of niceTicks(yMin, yMax, 5)) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${ty(y).toFixed(1)}" y2="${ty(y).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(ty(y) + 4).toFixed(1)}" text-anchor="end">${label(y)}</text>`);
  }
  for (const x of chart.xLog ? logTicks(xMin, xMax) : niceTicks(xMin, xMax, 8)) {
    parts.push(`<line x1="${tx(x).toFixed(1)}" x2="${tx(x).toFixed(1)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${tx(x).toFixed(1)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${label(x)}</text>`);
  }
  parts.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  for (const marker of chart.markers ?? []) {
    if (marker.x < xMin || marker.x > xMax) continue;
    parts.push(
      `<line x1="${tx(marker.x).toFixed(1)}" x2="${tx(marker.x).toFixed(1)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#555" stroke-dasharray="2 3"/>`,
    );
    parts.push(`<text x="${(tx(marker.x) + 3).toFixed(1)}" y="${PAD.top + 12}" fill="#555">${escapeXml(marker.label)}</text>`);
  }
  chart.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length] ?? '#000';
    const points = series.points.filter((p) => !chart.xLog || p[0] > 0).map((p) => `${tx(p[0]).toFixed(1)},${ty(p[1]).toFixed(1)}`);
    if (points.length > 0)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''} points="${points.join(' ')}"/>`,
      );
    const ly = PAD.top + 16 + i * 20;
    parts.push(
      `<line x1="${WIDTH - PAD.right + 14}" x2="${WIDTH - PAD.right + 38}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${WIDTH - PAD.right + 44}" y="${ly + 4}">${escapeXml(series.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
