// The self-contained script the gateway serves (`/notify-browser.js`): socket.io-client, the
// library and <notify-inbox>, as one IIFE that defines `window.NotifyBrowser` and registers the
// element. The element's `url` defaults to the origin this script was loaded from: the gateway.
import { defineNotifyInbox, NotifyInboxElement } from './element/notify-inbox-element.js';

const source = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : '';
if (source) NotifyInboxElement.defaultUrl = new URL(source).origin;
// After the default is set: elements already in the page upgrade (and connect) right here.
defineNotifyInbox();

export * from './index.js';
export { defineNotifyInbox, NotifyInboxElement } from './element/notify-inbox-element.js';
export { DEFAULT_LABELS, type InboxLabels } from './element/inbox-labels.js';
export { tokenFromUrl } from './element/token-from-url.js';
