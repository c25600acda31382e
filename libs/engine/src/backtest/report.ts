/** Trade-off curve (fill rate vs average inventory value) as SVG, and the HTML report around it. */

export interface CurvePoint {
  setting: number;
  fillRate: number;
  inventoryValue: number;
}

export interface Curve {
  name: string;
  color: string;
  points: CurvePoint[];
}

/**
 * Efficient frontier of a sweep: points for which no other point reaches at least the same fill
 * rate with less inventory. A dominated setting is never the one a planner would pick.
 */
export function efficientFrontier(points: readonly CurvePoint[]): CurvePoint[] {
  return [...points]
    .filter(
      (p) => !points.some((q) => q !== p && q.fillRate >= p.fillRate && q.inventoryValue < p.inventoryValue),
    )
    .sort((a, b) => a.fillRate - b.fillRate);
}

/** Inventory value at a fill rate, interpolated linearly on the efficient frontier; undefined outside it. */
export function inventoryAtFillRate(points: readonly CurvePoint[], fillRate: number): number | undefined {
  const frontier = efficientFrontier(points);
  for (let i = 1; i < frontier.length; i++) {
    const a = frontier[i - 1];
    const b = frontier[i];
    if (fillRate >= a.fillRate && fillRate <= b.fillRate) {
      if (b.fillRate === a.fillRate) return Math.min(a.inventoryValue, b.inventoryValue);
      return (
        a.inventoryValue +
        ((fillRate - a.fillRate) / (b.fillRate - a.fillRate)) * (b.inventoryValue - a.inventoryValue)
      );
    }
  }
  return undefined;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderTradeOffSvg(curves: readonly Curve[], marker?: number): string {
  const width = 720;
  const height = 440;
  const m = { left: 80, right: 20, top: 30, bottom: 50 };
  const all = curves.flatMap((c) => c.points);
  const xMin = Math.min(0.8, ...all.map((p) => p.fillRate));
  const xMax = 1;
  const yMax = Math.max(1, ...all.map((p) => p.inventoryValue)) * 1.05;
  const x = (v: number) => m.left + ((v - xMin) / (xMax - xMin)) * (width - m.left - m.right);
  const y = (v: number) => height - m.bottom - (v / yMax) * (height - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">Unit fill rate vs average on-hand value at cost</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const fv = xMin + ((xMax - xMin) * i) / 5;
    const yv = (yMax * i) / 5;
    parts.push(`<line x1="${x(fv)}" y1="${y(0)}" x2="${x(fv)}" y2="${y(yMax)}" stroke="#eee"/>`);
    parts.push(
      `<text x="${x(fv)}" y="${height - m.bottom + 16}" text-anchor="middle">${(fv * 100).toFixed(1)} %</text>`,
    );
    parts.push(`<line x1="${x(xMin)}" y1="${y(yv)}" x2="${x(xMax)}" y2="${y(yv)}" stroke="#eee"/>`);
    parts.push(
      `<text x="${m.left - 6}" y="${y(yv) + 4}" text-anchor="end">${Math.round(yv).toLocaleString('en-US')}</text>`,
    );
  }
  parts.push(`<line x1="${x(xMin)}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="black"/>`);
  parts.push(`<line x1="${x(xMin)}" y1="${y(0)}" x2="${x(xMin)}" y2="${y(yMax)}" stroke="black"/>`);
  parts.push(`<text x="${width / 2}" y="${height - 10}" text-anchor="middle">unit fill rate</text>`);
  parts.push(
    `<text x="16" y="${height / 2}" text-anchor="middle" transform="rotate(-90 16 ${height / 2})">average on-hand value</text>`,
  );
  if (marker !== undefined) {
    parts.push(
      `<line x1="${x(marker)}" y1="${y(0)}" x2="${x(marker)}" y2="${y(yMax)}" stroke="#999" stroke-dasharray="4 4"/>`,
    );
  }
  curves.forEach((curve, ci) => {
    const pts = [...curve.points].sort((a, b) => a.fillRate - b.fillRate).filter((p) => p.fillRate >= xMin);
    if (pts.length > 0) {
      parts.push(
        `<polyline fill="none" stroke="${curve.color}" stroke-width="2" points="${pts.map((p) => `${x(p.fillRate).toFixed(1)},${y(p.inventoryValue).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const p of pts)
        parts.push(
          `<circle cx="${x(p.fillRate).toFixed(1)}" cy="${y(p.inventoryValue).toFixed(1)}" r="3" fill="${curve.color}"><title>${escapeXml(`${curve.name} setting ${p.setting}: ${(p.fillRate * 100).toFixed(2)} %, ${p.inventoryValue.toFixed(0)}`)}</title></circle>`,
        );
    }
    parts.push(
      `<rect x="${m.left + 12}" y="${m.top + 8 + ci * 18}" width="12" height="4" fill="${curve.color}"/>`,
    );
    parts.push(`<text x="${m.left + 30}" y="${m.top + 13 + ci * 18}">${escapeXml(curve.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function renderHtmlReport(title: string, svg: string, summary: unknown): string {
  const json = JSON.stringify(summary, null, 2);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<style>body{font-family:sans-serif;margin:2em;max-width:960px}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>',
    '</head><body>',
    `<h1>${escapeXml(title)}</h1>`,
    '<h2>Trade-off curve</h2>',
    svg,
    '<h2>Summary</h2>',
    `<pre>${escapeXml(json)}</pre>`,
    '</body></html>',
  ].join('\n');
}
