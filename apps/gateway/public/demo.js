// The demo page: <notify-inbox> (defined by /notify-browser.js, loaded before this file) for the
// user named in the address, with tokens from the gateway's dev-only route. In your own pages, the
// token provider asks your backend, which mints tokens with POST /v1/tokens. Every text from the
// server goes into the page with textContent, never as HTML. Plain browser JavaScript, no build.

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const params = new URLSearchParams(location.search);
const uid = params.get('uid');
const companyID = params.get('companyID');
const inbox = byTestId('inbox');

/** A token from the gateway's dev-only route, with a message that says what to do when it is off. */
async function fetchToken() {
  const response = await fetch(`/dev/token?${new URLSearchParams({ uid, companyID })}`, { cache: 'no-store' });
  if (response.status === 404) throw new Error('this gateway hands out no demo tokens: start it with DEV_TOKEN_ROUTE=1 (npm start does)');
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const issues = (body.error?.issues ?? []).map((issue) => `${issue.path} ${issue.message}`).join('; ');
    throw new Error(issues || body.error?.message || `the token route answered ${response.status}`);
  }
  return body.token;
}

function otherUserLink(link, user, company) {
  link.href = `?${new URLSearchParams({ uid: user, companyID: company })}`;
  link.textContent = `user ${user} of company ${company}`;
}

if (uid && companyID) {
  byTestId('identity').textContent = `user ${uid} · company ${companyID}`;
  otherUserLink(byTestId('other-user'), uid === '1' ? '2' : '1', companyID);
  byTestId('curl').textContent = byTestId('curl').textContent.replace('"receiverID": 1', `"receiverID": ${JSON.stringify(uid)}`).replace('"companyID": 7', `"companyID": ${JSON.stringify(companyID)}`);
  // Set once the element is defined, so the property reaches its setter (not a plain field).
  customElements.whenDefined('notify-inbox').then(() => {
    inbox.tokenProvider = fetchToken;
  });
  // The events a page reacts to: a toast for each message that arrives while it is open.
  inbox.addEventListener('notify-message', ({ detail }) => {
    byTestId('toast').textContent = `New notification: ${detail.title}`;
  });
  inbox.addEventListener('notify-session-ended', ({ detail }) => {
    byTestId('status').textContent = `The gateway ended this session (${detail.reason}).`;
  });
} else {
  inbox.remove();
  byTestId('identity').textContent = 'nobody yet';
  byTestId('steps').hidden = true;
  byTestId('status').textContent = 'who are you? add ?uid=1&companyID=7 to the address';
  const links = document.createElement('p');
  for (const [user, company] of [['1', '7'], ['2', '7']]) {
    const link = document.createElement('a');
    otherUserLink(link, user, company);
    links.append(link, ' ');
  }
  byTestId('help').append(links);
}
