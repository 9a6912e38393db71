import { describe, expect, it } from 'vitest';
import { htmlSpecialChars } from './html-special-chars.js';

describe('htmlSpecialChars', () => {
  it("escapes & < > \" ' as PHP 8.1+'s htmlspecialchars() does by default", () => {
    expect(htmlSpecialChars(`<img src=x onerror="window.__xss=1">`)).toBe('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    expect(htmlSpecialChars(`Tom & Jerry's`)).toBe('Tom &amp; Jerry&#039;s');
  });

  it('encodes entities again (double_encode) and leaves all other text as it is', () => {
    expect(htmlSpecialChars('&amp; &lt;')).toBe('&amp;amp; &amp;lt;');
    expect(htmlSpecialChars('创建了新任务 😀 é / ` = \\')).toBe('创建了新任务 😀 é / ` = \\');
    expect(htmlSpecialChars('')).toBe('');
  });
});
