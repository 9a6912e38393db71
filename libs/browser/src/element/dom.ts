/**
 * An element with attributes and, optionally, text. Text is only ever set with `textContent`:
 * whatever a notification says is shown as the characters it is, never parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The bell: an inline SVG built node by node (no markup parsed). */
export function bellIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'currentColor');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z');
  svg.append(path);
  return svg;
}

const dateFormat = typeof Intl === 'object' ? new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' }) : undefined;

/** A `<time>` for an ISO date, in the reader's locale. */
export function time(iso: string): HTMLTimeElement {
  const node = h('time', { part: 'date', datetime: iso });
  const date = new Date(iso);
  node.textContent = Number.isNaN(date.getTime()) ? '' : (dateFormat?.format(date) ?? date.toLocaleString());
  return node;
}
