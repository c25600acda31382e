/**
 * Allocation-free rolling-origin selection over the default weekly candidate set. Same recurrences,
 * parameters and scoring as `selectByRollingOrigin(series, defaultWeeklyCandidates(), …)` (a spec
 * checks they agree), written as monomorphic loops because the network recompute runs it for
 * every item-location.
 */
import { naiveMeanAbsoluteChange, naiveMeanSquaredChange } from './error-measures';
import { defaultWeeklyCandidates } from './forecast';

export interface FastSelection {
  /** Index into defaultWeeklyCandidates(). */
  methodIndex: number;
  methodId: string;
  /** Sum of the chosen method's forecasts over the horizon from the end of the series. */
  horizonTotal: number;
  rmsse: number;
  mase: number;
  cumulativeRmse: number;
  origins: number;
}

const IDS = defaultWeeklyCandidates().map((m) => m.id);

interface Acc {
  sse: number;
  sae: number;
  final: number;
}

function dampedSum(phi: number, h: number): number {
  return (phi * (1 - phi ** h)) / (1 - phi);
}

export function selectWeeklyFast(
  y: Float64Array,
  horizonBuckets: number,
  minOrigin: number,
  maxOrigins: number,
): FastSelection {
  const n = y.length;
  const H = Math.max(1, Math.round(horizonBuckets));
  const lastOrigin = n - H;
  const firstOrigin = Math.max(minOrigin, lastOrigin - maxOrigins + 1, 1);
  const origins = Math.max(0, lastOrigin - firstOrigin + 1);
  const actual = new Float64Array(Math.max(0, origins));
  for (let o = firstOrigin; o <= lastOrigin; o++) {
    let s = 0;
    for (let i = o; i < o + H; i++) s += y[i];
    actual[o - firstOrigin] = s;
  }
  const accs: Acc[] = [];
  const record = (acc: Acc, t: number, cumulative: number) => {
    if (t >= firstOrigin && t <= lastOrigin) {
      const e = cumulative - actual[t - firstOrigin];
      acc.sse += e * e;
      acc.sae += Math.abs(e);
    }
  };

  // SES α ∈ {0.05, 0.15, 0.3}
  for (const alpha of [0.05, 0.15, 0.3]) {
    const acc: Acc = { sse: 0, sae: 0, final: 0 };
    let level = NaN;
    for (let t = 0; t < n; t++) {
      record(acc, t, Number.isNaN(level) ? 0 : H * Math.max(0, level));
      level = Number.isNaN(level) ? y[t] : level + alpha * (y[t] - level);
    }
    acc.final = Number.isNaN(level) ? 0 : H * Math.max(0, level);
    accs.push(acc);
  }

  // Damped Holt α 0.15, β 0.05, ϕ 0.9
  {
    const alpha = 0.15;
    const beta = 0.05;
    const phi = 0.9;
    const sums = new Float64Array(H + 1);
    for (let h = 1; h <= H; h++) sums[h] = dampedSum(phi, h);
    const cumulative = (level: number, trend: number) => {
      let s = 0;
      for (let h = 1; h <= H; h++) s += Math.max(0, level + sums[h] * trend);
      return s;
    };
    const acc: Acc = { sse: 0, sae: 0, final: 0 };
    let level = NaN;
    let trend = 0;
    for (let t = 0; t < n; t++) {
      record(acc, t, Number.isNaN(level) ? 0 : cumulative(level, trend));
      if (Number.isNaN(level)) level = y[t];
      else {
        const prev = level;
        level = alpha * y[t] + (1 - alpha) * (prev + phi * trend);
        trend = beta * (level - prev) + (1 - beta) * phi * trend;
      }
    }
    acc.final = Number.isNaN(level) ? 0 : cumulative(level, trend);
    accs.push(acc);
  }

  // Holt-Winters m 52, α 0.1, β 0.02, γ 0.15, ϕ 0.9
  {
    const m = 52;
    const alpha = 0.1;
    const beta = 0.02;
    const gamma = 0.15;
    const phi = 0.9;
    const sums = new Float64Array(H + 1);
    for (let h = 1; h <= H; h++) sums[h] = dampedSum(phi, h);
    const season = new Float64Array(m);
    let level = NaN;
    let trend = 0;
    let seen = 0;
    let warmSum = 0;
    const cumulative = (t: number) => {
      if (Number.isNaN(level)) return 0;
      if (seen < m) return H * Math.max(0, level);
      let s = 0;
      for (let h = 1; h <= H; h++) s += Math.max(0, level + sums[h] * trend + season[(t + h - 1) % m]);
      return s;
    };
    const acc: Acc = { sse: 0, sae: 0, final: 0 };
    for (let t = 0; t < n; t++) {
      record(acc, t, cumulative(t));
      const v = y[t];
      if (seen < m) {
        season[seen] = v;
        warmSum += v;
        level = Number.isNaN(level) ? v : level + alpha * (v - level);
        seen++;
        if (seen === m) {
          level = warmSum / m;
          for (let i = 0; i < m; i++) season[i] -= level;
        }
        continue;
      }
      const slot = t % m;
      const prev = level;
      level = alpha * (v - season[slot]) + (1 - alpha) * (prev + phi * trend);
      trend = beta * (level - prev) + (1 - beta) * phi * trend;
      season[slot] = gamma * (v - level) + (1 - gamma) * season[slot];
    }
    acc.final = cumulative(n);
    accs.push(acc);
  }

  // Croston-SBA α ∈ {0.1, 0.25}
  for (const alpha of [0.1, 0.25]) {
    const acc: Acc = { sse: 0, sae: 0, final: 0 };
    let size = NaN;
    let interval = NaN;
    let since = 1;
    const f = () => (Number.isNaN(size) ? 0 : H * Math.max(0, ((1 - alpha / 2) * size) / interval));
    for (let t = 0; t < n; t++) {
      record(acc, t, f());
      const v = y[t];
      if (v > 0) {
        if (Number.isNaN(size)) {
          size = v;
          interval = since;
        } else {
          size += alpha * (v - size);
          interval += alpha * (since - interval);
        }
        since = 1;
      } else since++;
    }
    acc.final = f();
    accs.push(acc);
  }

  // TSB α 0.15, β 0.05
  {
    const alpha = 0.15;
    const beta = 0.05;
    const acc: Acc = { sse: 0, sae: 0, final: 0 };
    let p = NaN;
    let size = NaN;
    const f = () => (Number.isNaN(size) ? 0 : H * Math.max(0, p * size));
    for (let t = 0; t < n; t++) {
      record(acc, t, f());
      const v = y[t];
      const occurred = v > 0 ? 1 : 0;
      p = Number.isNaN(p) ? occurred : p + beta * (occurred - p);
      if (v > 0) size = Number.isNaN(size) ? v : size + alpha * (v - size);
    }
    acc.final = f();
    accs.push(acc);
  }

  // Moving averages n ∈ {8, 26}
  for (const w of [8, 26]) {
    const acc: Acc = { sse: 0, sae: 0, final: 0 };
    let sum = 0;
    const f = (t: number) => {
      const k = Math.min(t, w);
      return k === 0 ? 0 : H * Math.max(0, sum / k);
    };
    for (let t = 0; t < n; t++) {
      record(acc, t, f(t));
      sum += y[t];
      if (t >= w) sum -= y[t - w];
    }
    acc.final = f(n);
    accs.push(acc);
  }

  const squaredScale = naiveMeanSquaredChange(y) * H * H;
  const absoluteScale = naiveMeanAbsoluteChange(y) * H;
  let best = 0;
  let bestRmsse = Infinity;
  const rmsseOf = (a: Acc) => {
    const mse = origins > 0 ? a.sse / origins : 0;
    return squaredScale > 0 ? Math.sqrt(mse / squaredScale) : Math.sqrt(mse);
  };
  for (let k = 0; k < accs.length; k++) {
    const r = rmsseOf(accs[k]);
    if (r < bestRmsse) {
      bestRmsse = r;
      best = k;
    }
  }
  const a = accs[best];
  const mae = origins > 0 ? a.sae / origins : 0;
  return {
    methodIndex: best,
    methodId: IDS[best],
    horizonTotal: a.final,
    rmsse: bestRmsse,
    mase: absoluteScale > 0 ? mae / absoluteScale : mae,
    cumulativeRmse: Math.sqrt(origins > 0 ? a.sse / origins : 0),
    origins,
  };
}
