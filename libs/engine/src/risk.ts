/** Stockout risk over a horizon: probability and expected units short, normal and empirical forms. */
import { normalCdf, normalLoss } from './normal';

export interface HorizonRisk {
  pStockout: number;
  expectedShortage: number;
}

/** p = P(D_H > available), ES = σ_H·G((available − μ_H)/σ_H). */
export function normalHorizonRisk(meanDemand: number, sdDemand: number, available: number): HorizonRisk {
  if (sdDemand <= 0) {
    const short = Math.max(0, meanDemand - available);
    return { pStockout: short > 0 ? 1 : 0, expectedShortage: short };
  }
  const z = (available - meanDemand) / sdDemand;
  return { pStockout: 1 - normalCdf(z), expectedShortage: sdDemand * normalLoss(z) };
}

/** Same quantities from equally likely demand scenarios (bootstrap or simulation). */
export function empiricalHorizonRisk(demandScenarios: ArrayLike<number>, available: number): HorizonRisk {
  const n = demandScenarios.length;
  if (n === 0) return { pStockout: 0, expectedShortage: 0 };
  let over = 0;
  let short = 0;
  for (let i = 0; i < n; i++) {
    const gap = demandScenarios[i] - available;
    if (gap > 0) {
      over++;
      short += gap;
    }
  }
  return { pStockout: over / n, expectedShortage: short / n };
}

/**
 * Projected stockout day: first day the running net position (available plus dated receipts minus
 * daily forecast) falls below zero, or undefined within `horizonDays`.
 */
export function projectedStockoutDay(
  available: number,
  dailyForecast: ArrayLike<number>,
  receiptsByDay: ArrayLike<number>,
  horizonDays: number,
): number | undefined {
  let position = available;
  for (let d = 0; d < horizonDays; d++) {
    position += d < receiptsByDay.length ? receiptsByDay[d] : 0;
    position -=
      d < dailyForecast.length
        ? dailyForecast[d]
        : dailyForecast.length > 0
          ? dailyForecast[dailyForecast.length - 1]
          : 0;
    if (position < 0) return d;
  }
  return undefined;
}
