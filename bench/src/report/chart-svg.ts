import type { BenchResults } from './bench-results.js';

interface Bar {
  value: number;
  color: string;
}

interface BarGroup {
  label: string;
  bars: Bar[];
}

interface Panel {
  title: string;
  groups: BarGroup[];
  log: boolean;
  legend: { label: string; color: string }[];
}

const SYSTEM_COLORS: Record<string, string> = {
  pipeline: '#3366cc',
  'direct push': '#ff9900',
  'socket ceiling': '#109618',
  'queue ceiling': '#990099',
};
const PERCENTILE_COLORS = { p50: '#9ecae1', p95: '#4292c6', p99: '#08519c' };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function short(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toPrecision(3)}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toPrecision(2)}k`;
  return value >= 10 ? String(Math.round(value)) : String(Number(value.toPrecision(2)));
}

/** One bar chart (linear or log scale) at (x, y), as SVG elements. */
function panel(p: Panel, x: number, y: number, width: number, height: number): string {
  // Room on the left and below for the slanted group labels.
  const plot = { left: x + 120, top: y + 50, width: width - 140, height: height - 190 };
  const values = p.groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v > 0);
  const max = Math.max(1, ...values);
  const min = p.log ? Math.max(0.1, Math.min(...values, max) / 2) : 0;
  const top = p.log ? 10 ** Math.ceil(Math.log10(max)) : niceCeil(max);
  const scale = (v: number) =>
    p.log ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(top) - Math.log10(min)) : v / top;
  const out: string[] = [`<text x="${x + width / 2}" y="${y + 20}" text-anchor="middle" font-size="15" font-weight="bold">${escape(p.title)}</text>`];
  const ticks = p.log
    ? Array.from({ length: Math.ceil(Math.log10(top) - Math.floor(Math.log10(min))) + 1 }, (_, i) => 10 ** (Math.floor(Math.log10(min)) + i)).filter((t) => t >= min && t <= top)
    : [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  for (const tick of ticks) {
    const ty = plot.top + plot.height * (1 - scale(tick));
    out.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`,
      `<text x="${plot.left - 6}" y="${ty + 4}" text-anchor="end" font-size="11">${short(tick)}</text>`,
    );
  }
  const groupWidth = plot.width / Math.max(1, p.groups.length);
  p.groups.forEach((group, gi) => {
    const barWidth = Math.min(28, (groupWidth * 0.8) / Math.max(1, group.bars.length));
    const start = plot.left + gi * groupWidth + (groupWidth - barWidth * group.bars.length) / 2;
    group.bars.forEach((bar, bi) => {
      const h = bar.value > 0 ? Math.max(1, plot.height * scale(bar.value)) : 0;
      const bx = start + bi * barWidth;
      out.push(`<rect x="${bx}" y="${plot.top + plot.height - h}" width="${barWidth - 2}" height="${h}" fill="${bar.color}"><title>${short(bar.value)}</title></rect>`);
      if (group.bars.length <= 4 && bar.value > 0) {
        out.push(`<text x="${bx + barWidth / 2 - 1}" y="${plot.top + plot.height - h - 3}" text-anchor="middle" font-size="10">${short(bar.value)}</text>`);
      }
    });
    const lx = plot.left + gi * groupWidth + groupWidth / 2;
    const ly = plot.top + plot.height + 12;
    out.push(`<text x="${lx}" y="${ly}" text-anchor="end" font-size="11" transform="rotate(-35 ${lx} ${ly})">${escape(group.label)}</text>`);
  });
  out.push(`<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${plot.top + plot.height}" y2="${plot.top + plot.height}" stroke="#333"/>`);
  p.legend.forEach((item, i) => {
    const lx = plot.left + i * 120;
    const ly = y + 40;
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${item.color}"/>`, `<text x="${lx + 16}" y="${ly}" font-size="11">${escape(item.label)}</text>`);
  });
  return out.join('\n');
}

function niceCeil(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((v) => v >= value) ?? value;
}

/** An SVG with latency percentiles of every delivery phase, unicast throughput and broadcast deliveries/s. */
export function renderChart(results: BenchResults): string {
  const systems = ['pipeline', 'direct push', 'socket ceiling'].filter((s) => results.phases.some((p) => p.system === s));
  const latency: Panel = {
    title: 'Latency, acceptance → page (ms, log scale)',
    log: true,
    groups: results.phases.map((p) => ({
      label: `${p.label} · ${p.system}`,
      bars: (['p50', 'p95', 'p99'] as const).map((k) => ({ value: p.latencyMs[k], color: PERCENTILE_COLORS[k] })),
    })),
    legend: (['p50', 'p95', 'p99'] as const).map((k) => ({ label: k, color: PERCENTILE_COLORS[k] })),
  };
  const unicastLabels = [...new Set(results.phases.filter((p) => p.label.startsWith('unicast')).map((p) => p.label))];
  const unicast: Panel = {
    title: 'Unicast throughput (messages/s)',
    log: false,
    groups: [
      ...unicastLabels.map((label) => ({
        label,
        bars: systems.map((system) => ({
          value: results.phases.find((p) => p.label === label && p.system === system)?.recordsPerS ?? 0,
          color: SYSTEM_COLORS[system] as string,
        })),
      })),
      ...(results.queueCeiling ? [{ label: 'queue ceiling', bars: [{ value: results.queueCeiling.jobsPerS, color: SYSTEM_COLORS['queue ceiling'] as string }] }] : []),
    ],
    legend: [...systems, ...(results.queueCeiling ? ['queue ceiling'] : [])].map((s) => ({ label: s, color: SYSTEM_COLORS[s] as string })),
  };
  const broadcastLabels = [...new Set(results.phases.filter((p) => p.label.startsWith('broadcast')).map((p) => p.label))];
  const broadcast: Panel = {
    title: 'Broadcast throughput (deliveries/s)',
    log: false,
    groups: broadcastLabels.map((label) => ({
      label,
      bars: systems.map((system) => ({
        value: results.phases.find((p) => p.label === label && p.system === system)?.deliveriesPerS ?? 0,
        color: SYSTEM_COLORS[system] as string,
      })),
    })),
    legend: systems.map((s) => ({ label: s, color: SYSTEM_COLORS[s] as string })),
  };
  const width = 1200;
  const m = results.machine;
  const body = [
    `<text x="20" y="24" font-size="13">notify bench ${escape(results.startedAt)} — ${m.cpus} × ${escape(m.cpuModel)}, node ${escape(m.node)}, store ${escape(results.storeServer ?? results.options.store)}; load ${m.loadBefore.join(' ')} → ${m.loadAfter.join(' ')}</text>`,
    panel(latency, 0, 40, width, 520),
    panel(unicast, 0, 570, width / 2, 420),
    panel(broadcast, width / 2, 570, width / 2, 420),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="1000" viewBox="0 0 ${width} 1000" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}
