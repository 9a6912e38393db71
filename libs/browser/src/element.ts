// `import '@notify/browser/element'` registers <notify-inbox>; the class and the registration
// function are exported for pages that want another tag name or a subclass.
import { defineNotifyInbox } from './element/notify-inbox-element.js';

export { defineNotifyInbox, NotifyInboxElement } from './element/notify-inbox-element.js';
export { DEFAULT_LABELS, type InboxLabels } from './element/inbox-labels.js';
export { tokenFromUrl } from './element/token-from-url.js';

defineNotifyInbox();
