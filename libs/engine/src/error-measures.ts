/** Scale-free forecast error measures (M5 conventions). */

/** Mean absolute difference y_t − y_{t−m} over the in-sample series; MASE's denominator. */
export function naiveMeanAbsoluteChange(series: ArrayLike<number>, seasonalLag = 1): number {
  let sum = 0;
  let n = 0;
  for (let t = seasonalLag; t < series.length; t++) {
    sum += Math.abs(series[t] - series[t - seasonalLag]);
    n++;
  }
  return n > 0 ? sum / n : 0;
}

/** Mean squared one-step change from the first non-zero observation on; RMSSE's denominator. */
export function naiveMeanSquaredChange(series: ArrayLike<number>): number {
  let first = 0;
  while (first < series.length && series[first] === 0) first++;
  let sum = 0;
  let n = 0;
  for (let t = first + 1; t < series.length; t++) {
    sum += (series[t] - series[t - 1]) ** 2;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

export function mase(errors: ArrayLike<number>, series: ArrayLike<number>, seasonalLag = 1): number {
  const scale = naiveMeanAbsoluteChange(series, seasonalLag);
  let sum = 0;
  for (let i = 0; i < errors.length; i++) sum += Math.abs(errors[i]);
  const mae = errors.length > 0 ? sum / errors.length : 0;
  return scale > 0 ? mae / scale : mae === 0 ? 0 : Infinity;
}

export function rmsse(errors: ArrayLike<number>, series: ArrayLike<number>): number {
  const scale = naiveMeanSquaredChange(series);
  let sum = 0;
  for (let i = 0; i < errors.length; i++) sum += errors[i] ** 2;
  const mse = errors.length > 0 ? sum / errors.length : 0;
  return scale > 0 ? Math.sqrt(mse / scale) : mse === 0 ? 0 : Infinity;
}

/** Pinball loss of quantile forecast q at level u for outcome y. */
export function pinballLoss(y: number, q: number, u: number): number {
  return y >= q ? (y - q) * u : (q - y) * (1 - u);
}
