const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' };

/**
 * What PHP's `htmlspecialchars($text)` returns with PHP 8.1+'s defaults (`ENT_QUOTES |
 * ENT_SUBSTITUTE | ENT_HTML401`, double encoding on): `& < > " '` become `&amp; &lt; &gt; &quot;
 * &#039;`, everything else stays. Safe to concatenate into element content and quoted attributes.
 * (Text reaching the gateway is well-formed Unicode, so there is nothing for ENT_SUBSTITUTE to do.)
 */
export function htmlSpecialChars(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}
