/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A bar chart of weekly activity (oldest first) as inline SVG: no script, no external
 * asset, readable offline and in print. Each bar carries a <title> with its value.
 */
export function weeklyChart(weekly: readonly unknown[] | null | undefined): string {
  const values = (weekly ?? []).map((v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0));
  if (values.length === 0) return '<p class="muted">No weekly activity recorded.</p>';
  const barW = 16;
  const gap = 4;
  const h = 56;
  const labelH = 14;
  const width = values.length * (barW + gap) - gap;
  const max = Math.max(...values);
  const bars = values
    .map((v, i) => {
      const bh = max === 0 ? 0 : Math.max(1, Math.round((v / max) * h));
      const weeksAgo = values.length - 1 - i;
      const when = weeksAgo === 0 ? 'this week' : `${weeksAgo} week${weeksAgo === 1 ? '' : 's'} ago`;
      return `<rect x="${i * (barW + gap)}" y="${h - bh}" width="${barW}" height="${bh}" class="bar"><title>${esc(when)}: ${v}</title></rect>`;
    })
    .join('');
  const total = values.reduce((a, b) => a + b, 0);
  return (
    `<svg class="chart" role="img" width="${width}" height="${h + labelH}" viewBox="0 0 ${width} ${h + labelH}" ` +
    `data-weekly="${esc(values.join(','))}" aria-label="Activity per week over ${values.length} weeks, ${total} in all, peak ${max}">` +
    `<line x1="0" y1="${h + 0.5}" x2="${width}" y2="${h + 0.5}" class="axis"/>${bars}` +
    `<text x="0" y="${h + labelH - 2}" class="tick">${values.length} wk ago</text>` +
    `<text x="${width}" y="${h + labelH - 2}" class="tick" text-anchor="end">now · peak ${max}</text></svg>`
  );
}
