import { describe, expect, it } from 'vitest';
import { demoNpi } from '../../../main/local-server/seed';
import { isValidNpi } from '../../../preload/api/rules/identifiers';

describe('demo NPIs', () => {
  it('are distinct and pass the NPI check digit', () => {
    const npis = Array.from({ length: 50 }, (_, index) => demoNpi(index));
    expect(new Set(npis).size).toBe(50);
    for (const npi of npis) expect(isValidNpi(npi)).toBe(true);
    // A known valid NPI from CMS's documentation, and the same with a wrong check digit.
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
  });
});
