// The dashboard page: asks for the admin token (kept in this tab's sessionStorage only), then polls
// the data routes every POLL_MS while the tab is visible. Nothing here carries data of its own.
import { renderRateChart } from './charts.js';
import { setupEntries } from './entries.js';
import { renderRecent, renderSummary } from './tables.js';

const POLL_MS = 5000;
/** Points of the requests/s chart: 5 minutes at POLL_MS. */
const HISTORY = 60;
const STATUSES = ['exact-hit', 'semantic-hit', 'miss', 'bypass'];
const TOKEN_KEY = 'semcache-admin-token';
/** Recent hits and near misses shown (the server keeps up to SEMCACHE_RECENT_LOOKUPS). */
const RECENT_SHOWN = 25;

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let timer;
let previous;
const points = [];
/** Outcomes of the recent rows acted on (by seq), kept across refreshes. */
const done = new Map();

const $ = (id) => document.getElementById(id);

function showError(error) {
  $('error').textContent = error instanceof Error ? error.message : String(error);
  $('error').hidden = false;
}

/** A data call with the token; a refused token sends the page back to the token form. */
async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (res.status === 401 || (res.status === 404 && path.startsWith('/admin/dashboard'))) {
    const body = await res.json().catch(() => ({}));
    disconnect();
    throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  }
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res;
}

/** Requests per second by status since the previous poll. */
function ratesSince(summary, now) {
  if (previous === undefined) return undefined;
  const seconds = (now - previous.t) / 1000;
  if (seconds <= 0) return undefined;
  return Object.fromEntries(STATUSES.map((s) => [s, Math.max(0, (summary.requests[s] ?? 0) - (previous.requests[s] ?? 0)) / seconds]));
}

async function act(item, button) {
  button.disabled = true;
  try {
    if (item.kind === 'semantic-hit') {
      const res = await api('/admin/feedback', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entry_id: item.entryId, prompt: item.feedbackPrompt }),
      });
      const body = await res.json();
      button.textContent = `blocked (${body.feedback_blocks} blocks)`;
      done.set(item.seq, button.textContent);
    } else {
      if (!window.confirm(`Delete entry ${item.entryId}? Its stored answer is wrong for its own prompt.`)) {
        button.disabled = false;
        return;
      }
      await api(`/admin/entries/${item.entryId}`, { method: 'DELETE' });
      button.textContent = 'deleted';
      done.set(item.seq, button.textContent);
    }
  } catch (error) {
    button.disabled = false;
    showError(error);
  }
}

async function refresh() {
  const [summary, recent] = await Promise.all([
    api('/admin/dashboard/summary').then((r) => r.json()),
    api(`/admin/dashboard/recent?limit=${RECENT_SHOWN}`).then((r) => r.json()),
  ]);
  const now = Date.now();
  const rates = ratesSince(summary, now);
  previous = { t: now, requests: summary.requests };
  if (rates !== undefined) points.push({ t: now, rates });
  if (points.length > HISTORY) points.shift();
  renderSummary(summary, rates, STATUSES);
  renderRateChart($('rate-chart'), points, STATUSES);
  renderRecent(recent, act, done);
  $('error').hidden = true;
  $('status').textContent = `updated ${new Date(now).toLocaleTimeString()} (every ${POLL_MS / 1000} s while visible)`;
}

function schedule() {
  clearTimeout(timer);
  if (token === '' || document.hidden) return;
  timer = setTimeout(() => refresh().catch(showError).finally(schedule), POLL_MS);
}

const entries = setupEntries(api, showError);

function connect() {
  $('token-form').hidden = true;
  $('session').hidden = false;
  $('main').hidden = false;
  refresh()
    .then(() => entries.load())
    .catch(showError)
    .finally(schedule);
}

function disconnect() {
  token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(timer);
  $('token-form').hidden = false;
  $('session').hidden = true;
  $('main').hidden = true;
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token-input').value.trim();
  $('token-input').value = '';
  sessionStorage.setItem(TOKEN_KEY, token);
  connect();
});
$('refresh').addEventListener('click', () => refresh().catch(showError));
$('forget').addEventListener('click', disconnect);
document.addEventListener('visibilitychange', () => {
  if (document.hidden) clearTimeout(timer);
  else if (token !== '') refresh().catch(showError).finally(schedule);
});
if (token !== '') connect();
