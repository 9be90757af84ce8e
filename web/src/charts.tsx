/** Small SVG charts: stacked bars per time bucket, and a gauge bar. No chart library: a few rects. */
import { For, createMemo } from 'solid-js';

export interface Series {
  key: string;
  label: string;
  /** A CSS class that sets `fill`. */
  class: string;
}

export interface Bucket {
  label: string;
  counts: Record<string, number>;
}

/** One bar per bucket; each bar stacks the series. The summary is the accessible name. */
export function StackedBars(props: { title: string; period: string; buckets: Bucket[]; series: Series[] }) {
  const width = 280;
  const height = 80;
  const max = () => Math.max(1, ...props.buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0)));
  const barWidth = () => width / Math.max(1, props.buckets.length);
  const summary = () => {
    const totals = props.series.map((s) => `${props.buckets.reduce((a, b) => a + (b.counts[s.key] ?? 0), 0)} ${s.label}`);
    return `${props.title}, ${props.period}: ${totals.join(', ')}`;
  };
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 2}`} role="img" aria-label={summary()} preserveAspectRatio="none">
        <For each={props.buckets}>
          {(bucket, i) => {
            let y = height;
            return (
              <g>
                <title>
                  {bucket.label}: {props.series.map((s) => `${bucket.counts[s.key] ?? 0} ${s.label}`).join(', ')}
                </title>
                <For each={props.series}>
                  {(s) => {
                    const h = ((bucket.counts[s.key] ?? 0) / max()) * height;
                    y -= h;
                    return <rect class={s.class} x={i() * barWidth() + 1} y={y} width={Math.max(1, barWidth() - 2)} height={h} />;
                  }}
                </For>
                <rect class="baseline" x={i() * barWidth() + 1} y={height} width={Math.max(1, barWidth() - 2)} height={1} />
              </g>
            );
          }}
        </For>
      </svg>
      <ul class="legend">
        <For each={props.series}>
          {(s) => (
            <li>
              <span class={`swatch ${s.class}`} aria-hidden="true" />
              {s.label}
            </li>
          )}
        </For>
      </ul>
    </figure>
  );
}

/** Counts items per day over the last `days` days, by series. */
export function DailyBars<T>(props: { title: string; items: readonly T[]; at: (item: T) => string; series: Series[]; seriesOf: (item: T) => string; days?: number }) {
  const buckets = createMemo(() => {
    const days = props.days ?? 14;
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    start.setDate(start.getDate() - (days - 1));
    const list = Array.from({ length: days }, (_, i) => ({
      label: new Date(start.getTime() + i * 86_400_000).toLocaleDateString(),
      counts: Object.fromEntries(props.series.map((s) => [s.key, 0])) as Record<string, number>,
    }));
    for (const item of props.items) {
      const bucket = list[Math.floor((Date.parse(props.at(item)) - start.getTime()) / 86_400_000)];
      const key = props.seriesOf(item);
      if (bucket && key in bucket.counts) bucket.counts[key]! += 1;
    }
    return list;
  });
  return <StackedBars title={props.title} period={`last ${props.days ?? 14} days`} buckets={buckets()} series={props.series} />;
}

/** Parts of a whole (e.g. pool connections: active, idle, free) as one horizontal bar. */
export function Gauge(props: { title: string; parts: { label: string; value: number; class: string }[]; max: number }) {
  const total = () => Math.max(props.max, props.parts.reduce((a, p) => a + p.value, 0), 1);
  const offsets = () => {
    let x = 0;
    return props.parts.map((p) => {
      const start = x;
      x += (p.value / total()) * 100;
      return { ...p, x: start, w: (p.value / total()) * 100 };
    });
  };
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox="0 0 100 8" role="img" aria-label={`${props.title}: ${props.parts.map((p) => `${p.value} ${p.label}`).join(', ')} of ${props.max}`} preserveAspectRatio="none">
        <rect class="baseline" x="0" y="0" width="100" height="8" />
        <For each={offsets()}>{(p) => <rect class={p.class} x={p.x} y="0" width={p.w} height="8" />}</For>
      </svg>
      <ul class="legend">
        <For each={props.parts}>
          {(p) => (
            <li>
              <span class={`swatch ${p.class}`} aria-hidden="true" />
              {p.value} {p.label}
            </li>
          )}
        </For>
        <li>of {props.max}</li>
      </ul>
    </figure>
  );
}
