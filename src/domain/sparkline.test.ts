import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('shows idle weeks as the floor and scales the rest to the busiest week', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([1, 2, 4, 8, 0])).toBe('▂▃▅█▁');
    expect(sparkline([5, 5])).toBe('██');
  });
  it('keeps any non-zero week visible above idle', () => {
    expect(sparkline([1, 1000])).toBe('▂█');
    expect(sparkline([])).toBe('');
  });
});
