import { describe, expect, it } from 'vitest';
import { presentationOf, routeFor } from './presentation.js';

describe('routing', () => {
  it('sends owned reviews to the owner, everything else to the security channel', () => {
    expect(routeFor('dormant_seat', 'U1')).toBe('dm');
    expect(routeFor('dormant_key', null)).toBe('security_channel');
    expect(routeFor('unowned_key', 'U1')).toBe('security_channel');
    expect(routeFor('usage_spike', 'U1')).toBe('security_channel');
  });
  it('presents by kind and route', () => {
    expect(presentationOf('dormant_key', 'dm')).toBe('owner');
    expect(presentationOf('dormant_key', 'security_channel')).toBe('unowned');
    expect(presentationOf('privilege_grant', 'security_channel')).toBe('anomaly');
  });
});
