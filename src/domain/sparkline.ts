const LEVELS = ['▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Weekly counts as text: `▁` is a week with no activity, `▂`…`█` scale the rest to the
 * busiest week, so a reviewer sees the shape of use (steady, stopped, spiking) at a glance.
 * One drawing for the evidence everywhere it is shown: Slack messages and the CLI table.
 */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => {
      if (v <= 0 || max === 0) return '▁';
      const i = Math.min(LEVELS.length - 1, Math.ceil((v / max) * LEVELS.length) - 1);
      return LEVELS[Math.max(0, i)];
    })
    .join('');
}
