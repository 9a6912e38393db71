import type { Dynamic, Message } from '@notify/contracts';
import { h, time } from './dom.js';
import { fill, type InboxLabels } from './inbox-labels.js';

/** One message in the list: its node, and the parts that change with its state. */
export interface MessageView {
  message: Message;
  readonly node: HTMLLIElement;
  readonly state: HTMLSpanElement;
  readonly toggleRead: HTMLButtonElement;
}

/** A message's list item. Its actions are buttons carrying `data-action`; the list handles their clicks. */
export function messageView(message: Message, labels: InboxLabels): MessageView {
  const node = h('li', { part: 'item', role: 'listitem', tabindex: '-1', 'data-id': message.id });
  const state = h('span', { class: 'sr' });
  const head = h('div', { part: 'item-head' });
  head.append(state, h('span', { part: 'type' }, labels.types[String(message.typeID) as '1'] ?? String(message.typeID)), h('span', { part: 'title' }, message.title), time(message.date));
  node.append(head);
  if (message.content) node.append(h('p', { part: 'content' }, message.content));
  const about = [message.sender ? fill(labels.from, { name: message.sender }) : '', message.url ?? ''].filter(Boolean).join(' · ');
  if (about) node.append(h('p', { part: 'meta' }, about));
  const actions = h('div', { part: 'actions' });
  // Out of the tab order until their message is the list's active one (one tab stop per list).
  const button = (action: string, text?: string) => h('button', { part: `action ${action}`, type: 'button', 'data-action': action, tabindex: '-1' }, text);
  const toggleRead = button('toggle-read');
  actions.append(toggleRead, button('archive', labels.archive), button('delete', labels.delete));
  node.append(actions);
  const view = { message, node, state, toggleRead };
  showState(view, message, labels);
  return view;
}

/** Shows a message's read state (after a change of it, or of the labels). */
export function showState(view: MessageView, message: Message, labels: InboxLabels): void {
  view.message = message;
  const read = message.isRead;
  view.node.dataset.read = String(read);
  view.node.setAttribute('part', read ? 'item read' : 'item unread');
  view.state.textContent = `${read ? labels.read : labels.unread}: `;
  view.toggleRead.textContent = read ? labels.markUnread : labels.markRead;
}

/** An entry of the activity feed. */
export function dynamicView(dynamic: Dynamic, labels: InboxLabels): HTMLLIElement {
  const node = h('li', { part: 'feed-item', role: 'listitem', 'data-id': dynamic.id });
  const head = h('div', { part: 'feed-head' });
  head.append(h('strong', { part: 'operator' }, dynamic.operator), h('span', { part: 'feed-title' }, dynamic.title), time(dynamic.date));
  node.append(head);
  if (dynamic.content) node.append(h('p', { part: 'feed-content' }, dynamic.content));
  const object = dynamic.objectType ? `${dynamic.objectType}${dynamic.objectID ? ` #${dynamic.objectID}` : ''}` : '';
  const about = [object, dynamic.receiver ? fill(labels.for, { name: dynamic.receiver }) : ''].filter(Boolean).join(' · ');
  if (about) node.append(h('p', { part: 'meta' }, about));
  return node;
}

/**
 * Puts `nodes` into `list` in this order, moving only what is out of place (so focus and the
 * nodes of unchanged items survive), and removes every other child.
 */
export function reorder(list: HTMLElement, nodes: readonly Element[]): void {
  let cursor = list.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}
