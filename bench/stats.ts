import { performance } from 'node:perf_hooks';

export interface Timing {
  medianMs: number;
  p95Ms: number;
  runs: number;
}

/** Times `work` after a warm-up; median and 95th percentile over `runs` runs. */
export function timeSync(work: () => unknown, runs: number, warmup = Math.min(5, runs)): Timing {
  for (let i = 0; i < warmup; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(runs / 2)]!, p95Ms: samples[Math.min(runs - 1, Math.floor(runs * 0.95))]!, runs };
}

export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}
