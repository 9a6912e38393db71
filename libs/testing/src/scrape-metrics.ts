/** One sample of the Prometheus text format: `name{label="value",…} value`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed `/metrics` answer. */
export interface MetricsScrape {
  /** The text as served. */
  text: string;
  samples: MetricSample[];
  /** `# TYPE` of each metric family: `counter`, `gauge`, `histogram`, … */
  types: Map<string, string>;
  /** `# HELP` of each metric family. */
  help: Map<string, string>;
  /**
   * The value of the one sample of `name` whose labels include `labels`; 0 when there is none (a
   * counter not yet incremented). Throws when several match: the labels are not specific enough.
   */
  get(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
// Prometheus reads values with Go's ParseFloat: NaN and ±Inf in any letter case (prom-client writes `Nan`).
const SPECIAL: Record<string, number> = { nan: Number.NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

/** Parses the Prometheus text format strictly: a line that is neither a comment nor a sample throws. */
export function parseMetrics(text: string): Omit<MetricsScrape, 'get' | 'text'> {
  const samples: MetricSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name = '', rest = ''] = comment;
      if (kind === 'TYPE' && !/^(counter|gauge|histogram|summary|untyped)$/.test(rest)) throw new Error(`bad TYPE: ${line}`);
      (kind === 'TYPE' ? types : help).set(name, rest);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus line: ${line}`);
    const [, name = '', rawLabels = '', rawValue = ''] = match;
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    let parsedUpTo = 0;
    for (let label = LABEL.exec(rawLabels); label; label = LABEL.exec(rawLabels)) {
      labels[label[1] as string] = label[2] as string;
      parsedUpTo = LABEL.lastIndex;
    }
    if (parsedUpTo !== rawLabels.length) throw new Error(`bad labels: ${line}`);
    const special = SPECIAL[rawValue.toLowerCase()];
    const value = special ?? Number(rawValue);
    if (special === undefined && Number.isNaN(value)) throw new Error(`bad value: ${line}`);
    samples.push({ name, labels, value });
  }
  return { samples, types, help };
}

/** GETs `<baseUrl>/metrics` (failing on a status other than 200 or a type other than text/plain) and parses it. */
export async function scrapeMetrics(baseUrl: string): Promise<MetricsScrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.startsWith('text/plain')) throw new Error(`GET ${baseUrl}/metrics answered ${response.status} ${type}`);
  const text = await response.text();
  const parsed = parseMetrics(text);
  return {
    text,
    ...parsed,
    get(name, labels = {}) {
      const matching = parsed.samples.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
      if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return matching[0]?.value ?? 0;
    },
  };
}
