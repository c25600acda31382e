/**
 * Point-forecast methods as incremental state machines: `update` consumes one bucket, `forecast(h)`
 * returns the h-step-ahead bucket forecast from the current origin. Running one state over a series
 * gives every rolling origin in a single pass, which is what makes per-series selection cheap.
 */

export type ForecastMethodName =
  'ses' | 'damped-holt' | 'holt-winters' | 'croston-sba' | 'tsb' | 'moving-average';

export interface ForecastState {
  update(y: number): void;
  /** Forecast for bucket origin + h (h ≥ 1). */
  forecast(h: number): number;
  /** Sum of forecasts for buckets origin + 1 … origin + h, each floored at 0. */
  cumulative(h: number): number;
}

/** Flat forecasts (level methods) sum to h × level. */
function flatCumulative(this: ForecastState, h: number): number {
  return h * Math.max(0, this.forecast(1));
}

function summedCumulative(this: ForecastState, h: number): number {
  let s = 0;
  for (let i = 1; i <= h; i++) s += Math.max(0, this.forecast(i));
  return s;
}

export interface ForecastMethod {
  /** Stable label including parameters, e.g. `ses(α=0.1)`. */
  id: string;
  name: ForecastMethodName;
  create(): ForecastState;
}

export function ses(alpha: number): ForecastMethod {
  return {
    id: `ses(α=${alpha})`,
    name: 'ses',
    create() {
      let level = NaN;
      return {
        update(y) {
          level = Number.isNaN(level) ? y : level + alpha * (y - level);
        },
        forecast() {
          return Number.isNaN(level) ? 0 : level;
        },
        cumulative: flatCumulative,
      };
    },
  };
}

/** Sum ϕ + ϕ² + … + ϕ^h. */
function dampedSum(phi: number, h: number): number {
  if (phi === 1) return h;
  return (phi * (1 - phi ** h)) / (1 - phi);
}

export function dampedHolt(alpha: number, beta: number, phi: number): ForecastMethod {
  return {
    id: `damped-holt(α=${alpha},β=${beta},ϕ=${phi})`,
    name: 'damped-holt',
    create() {
      let level = NaN;
      let trend = 0;
      return {
        update(y) {
          if (Number.isNaN(level)) {
            level = y;
            return;
          }
          const previous = level;
          level = alpha * y + (1 - alpha) * (previous + phi * trend);
          trend = beta * (level - previous) + (1 - beta) * phi * trend;
        },
        forecast(h) {
          return Number.isNaN(level) ? 0 : level + dampedSum(phi, h) * trend;
        },
        cumulative: summedCumulative,
      };
    },
  };
}

/**
 * Additive Holt-Winters with damped trend and season length m (7 on daily buckets for the weekday
 * profile, 52 on weekly buckets for the annual cycle). Until m buckets are seen it behaves as SES;
 * then level = mean of the first season and seasonal indices are the deviations from it.
 */
export function holtWinters(
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  period: number,
): ForecastMethod {
  return {
    id: `holt-winters(m=${period},α=${alpha},β=${beta},γ=${gamma},ϕ=${phi})`,
    name: 'holt-winters',
    create() {
      const season = new Float64Array(period);
      const warmup: number[] = [];
      let level = NaN;
      let trend = 0;
      let t = 0;
      return {
        update(y) {
          if (warmup.length < period) {
            warmup.push(y);
            level = Number.isNaN(level) ? y : level + alpha * (y - level);
            if (warmup.length === period) {
              level = warmup.reduce((a, b) => a + b, 0) / period;
              for (let i = 0; i < period; i++) season[i] = warmup[i] - level;
            }
            t++;
            return;
          }
          const slot = t % period;
          const previous = level;
          level = alpha * (y - season[slot]) + (1 - alpha) * (previous + phi * trend);
          trend = beta * (level - previous) + (1 - beta) * phi * trend;
          season[slot] = gamma * (y - level) + (1 - gamma) * season[slot];
          t++;
        },
        forecast(h) {
          if (Number.isNaN(level)) return 0;
          if (warmup.length < period) return level;
          return level + dampedSum(phi, h) * trend + season[(t + h - 1) % period];
        },
        cumulative: summedCumulative,
      };
    },
  };
}

/** Croston with the Syntetos–Boylan bias correction: forecast (1 − α/2)·z/p. */
export function crostonSba(alpha: number): ForecastMethod {
  return {
    id: `croston-sba(α=${alpha})`,
    name: 'croston-sba',
    create() {
      let size = NaN;
      let interval = NaN;
      let sinceLast = 1;
      return {
        update(y) {
          if (y > 0) {
            if (Number.isNaN(size)) {
              size = y;
              interval = sinceLast;
            } else {
              size += alpha * (y - size);
              interval += alpha * (sinceLast - interval);
            }
            sinceLast = 1;
          } else {
            sinceLast++;
          }
        },
        forecast() {
          return Number.isNaN(size) ? 0 : ((1 - alpha / 2) * size) / interval;
        },
        cumulative: flatCumulative,
      };
    },
  };
}

/** Teunter–Syntetos–Babai: demand probability updated every bucket, so obsolescence decays the forecast. */
export function tsb(alpha: number, beta: number): ForecastMethod {
  return {
    id: `tsb(α=${alpha},β=${beta})`,
    name: 'tsb',
    create() {
      let probability = NaN;
      let size = NaN;
      return {
        update(y) {
          const occurred = y > 0 ? 1 : 0;
          probability = Number.isNaN(probability) ? occurred : probability + beta * (occurred - probability);
          if (y > 0) size = Number.isNaN(size) ? y : size + alpha * (y - size);
        },
        forecast() {
          return Number.isNaN(size) ? 0 : probability * size;
        },
        cumulative: flatCumulative,
      };
    },
  };
}

export function movingAverage(window: number): ForecastMethod {
  return {
    id: `moving-average(n=${window})`,
    name: 'moving-average',
    create() {
      const ring = new Float64Array(window);
      let count = 0;
      let sum = 0;
      return {
        update(y) {
          const slot = count % window;
          if (count >= window) sum -= ring[slot];
          ring[slot] = y;
          sum += y;
          count++;
        },
        forecast() {
          const n = Math.min(count, window);
          return n === 0 ? 0 : sum / n;
        },
        cumulative: flatCumulative,
      };
    },
  };
}

/** Runs a method over the whole series and returns the forecasts for buckets n+1..n+h. */
export function forecastAhead(method: ForecastMethod, series: ArrayLike<number>, horizon: number): number[] {
  const state = method.create();
  for (let i = 0; i < series.length; i++) state.update(series[i]);
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push(Math.max(0, state.forecast(h)));
  return out;
}

/** Candidate set for weekly buckets; the annual Holt-Winters needs two years of weekly history to compete. */
export function defaultWeeklyCandidates(): ForecastMethod[] {
  return [
    ses(0.05),
    ses(0.15),
    ses(0.3),
    dampedHolt(0.15, 0.05, 0.9),
    holtWinters(0.1, 0.02, 0.15, 0.9, 52),
    crostonSba(0.1),
    crostonSba(0.25),
    tsb(0.15, 0.05),
    movingAverage(8),
    movingAverage(26),
  ];
}
