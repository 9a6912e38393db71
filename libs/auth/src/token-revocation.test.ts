import { describe, expect, it } from 'vitest';
import { isRevoked, notBeforeKey, notBeforeKeys } from './token-revocation.js';

describe('token revocation', () => {
  it('refuses tokens minted at or before the "not before", or at an unknown time', () => {
    expect(isRevoked(999, 1000)).toBe(true);
    expect(isRevoked(1000, 1000)).toBe(true);
    expect(isRevoked(1001, 1000)).toBe(false);
    expect(isRevoked(undefined, 1000)).toBe(true);
    expect(isRevoked(undefined, undefined)).toBe(false);
    expect(isRevoked(5, undefined)).toBe(false);
  });

  it('keeps users and companies apart, even with identifiers that look alike', () => {
    expect(notBeforeKey('notify', { uid: '7:42' })).toBe('notify:tokens:not-before:uid:7:42');
    expect(notBeforeKey('notify', { companyID: '7:42' })).toBe('notify:tokens:not-before:company:7:42');
    expect(notBeforeKeys('p', { uid: '1', companyID: '7' })).toEqual(['p:tokens:not-before:uid:1', 'p:tokens:not-before:company:7']);
  });
});
