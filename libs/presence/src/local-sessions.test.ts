import { describe, expect, it } from 'vitest';
import { LocalSessions } from './local-sessions.js';

describe('LocalSessions', () => {
  it('counts pages per user and company, and forgets a user with none left', () => {
    const pages = new LocalSessions();
    expect(pages.open('7', 'alice')).toBe(1);
    expect(pages.open('7', 'alice')).toBe(2);
    expect(pages.open('8', 'alice')).toBe(1);
    expect(pages.close('7', 'alice')).toBe(1);
    expect(pages.isOnline('7', 'alice')).toBe(true);
    expect(pages.close('7', 'alice')).toBe(0);
    expect(pages.isOnline('7', 'alice')).toBe(false);
    expect(pages.snapshot()).toEqual(new Map([['8', ['alice']]]));
  });

  it('never goes below zero', () => {
    const pages = new LocalSessions();
    expect(pages.close('7', 'ghost')).toBe(0);
    pages.open('7', 'alice');
    expect(pages.close('7', 'ghost')).toBe(0);
    expect(pages.open('7', 'ghost')).toBe(1);
    expect(pages.snapshot()).toEqual(new Map([['7', ['alice', 'ghost']]]));
  });
});
