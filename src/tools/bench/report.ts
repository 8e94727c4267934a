// `--report out.md`: the tables in Markdown and a chart written next to it (out.svg): precision and
// recall against threshold for pairs, hit rate over time for stream, latency distributions for load.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import type { LatencyGroup } from './load-mode.js';
import { recommendationLine, resultTables } from './result-tables.js';
import { renderLineChart, type ChartSeries, type LineChart } from './svg-chart.js';
import { renderMarkdown } from './text-table.js';

const defined = (points: Array<readonly [number, number | null]>): Array<readonly [number, number]> =>
  points.filter((p): p is readonly [number, number] => p[1] !== null);

function chartOf(result: BenchResult): LineChart {
  const d = result.details;
  if (d.mode === 'load') {
    const series: ChartSeries[] = Object.entries(d.load.distributions).map(([group, points]) => ({
      name: group as LatencyGroup,
      points,
      dashed: group === 'direct',
    }));
    return {
      title: 'Latency distribution by cache status',
      xLabel: 'latency (ms, log scale)',
      yLabel: 'fraction of requests at or under',
      series,
      xLog: true,
      yRange: [0, 1],
    };
  }
  if (d.mode === 'stream') {
    const w = d.stream.windows;
    return {
      title: `Stream: hit rate over time (threshold ${result.threshold})`,
      xLabel: 'requests sent',
      yLabel: 'rate',
      yRange: [0, 1],
      series: [
        { name: 'hit rate (window)', points: defined(w.map((x) => [x.to, x.hitRate])) },
        { name: 'precision (window)', points: defined(w.map((x) => [x.to, x.precision])) },
        { name: 'hit rate (cumulative)', points: defined(w.map((x) => [x.to, x.cumulativeHitRate])), dashed: true },
      ],
    };
  }
  const sweep = result.sweep ?? [];
  return {
    title: 'Pairs: precision and recall against threshold',
    xLabel: 'threshold',
    yLabel: 'rate',
    yRange: [0, 1],
    series: [
      { name: 'precision', points: defined(sweep.map((p) => [p.threshold, p.precision])) },
      { name: 'recall', points: defined(sweep.map((p) => [p.threshold, p.recall])) },
      { name: 'false-hit rate', points: defined(sweep.map((p) => [p.threshold, p.falseHitRate])), dashed: true },
    ],
    markers: [
      { x: result.threshold, label: `run ${result.threshold}` },
      ...(result.recommended === null ? [] : [{ x: result.recommended.threshold, label: `rec. ${result.recommended.threshold}` }]),
    ],
  };
}

function settingsLine(result: BenchResult): string {
  const parts = [
    `mode \`${result.mode}\``,
    `threshold ${result.threshold}`,
    `model \`${result.model}\``,
    `upstream ${result.upstream}`,
    `pricing \`${basename(result.pricing)}\``,
    `concurrency ${result.concurrency}`,
  ];
  if (result.file !== null) parts.push(`${result.rows} rows of \`${basename(result.file)}\``);
  return parts.join(', ');
}

function reportMarkdown(result: BenchResult, chartFile: string, command: string): string {
  const disagreements = [...result.money.disagreements, ...(result.baseline?.money.disagreements ?? [])];
  const lines = [
    `# semcache bench: ${result.mode}`,
    '',
    `${settingsLine(result)}; ${result.generatedAt}${result.interrupted ? ' (**interrupted**: partial figures)' : ''}.`,
    '',
    '```sh',
    command,
    '```',
    '',
    ...[recommendationLine(result)].filter((l): l is string => l !== undefined).flatMap((l) => [l, '']),
    `![chart](${chartFile})`,
    '',
    ...resultTables(result).flatMap((t) => [renderMarkdown(t), '']),
    disagreements.length === 0
      ? "Money: /admin/costs, /metrics and the bench's own token tally agree."
      : `Money figures that disagree: ${disagreements.join('; ')}.`,
    '',
  ];
  return lines.join('\n');
}

/** Writes the report and its chart (same name, .svg); returns the chart's path. */
export async function writeReport(path: string, result: BenchResult, command: string): Promise<string> {
  const chartPath = join(dirname(path), `${basename(path, extname(path))}.svg`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(chartPath, renderLineChart(chartOf(result)));
  await writeFile(path, reportMarkdown(result, basename(chartPath), command));
  return chartPath;
}
