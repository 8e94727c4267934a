// Renders the dashboard's figures into its tables with textContent only: prompts are user text.
/** Dollars to the millionth, the sign before the symbol; a value that rounds to zero shows no sign
 * (net savings of a tiny negative embedding cost read "$-0.000000" before). */
export function usd(value) {
  if (value === null || value === undefined) return '–';
  const digits = Math.abs(value).toFixed(6);
  return `${value < 0 && Number(digits) !== 0 ? '-' : ''}$${digits}`;
}
export const ms = (value) => (value === null || value === undefined ? '–' : value.toFixed(2));
export const percent = (value) => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);
const similarity = (value) => (value === null || value === undefined ? '' : value.toFixed(4));

export function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className !== undefined) td.className = className;
  return td;
}

export function row(cells, data = {}) {
  const tr = document.createElement('tr');
  for (const [key, value] of Object.entries(data)) tr.dataset[key] = String(value);
  tr.append(...cells.map((c) => (c instanceof HTMLElement ? c : cell(c))));
  return tr;
}

function fill(tableId, rows) {
  document.querySelector(`#${tableId} tbody`).replaceChildren(...rows);
}

function text(id, value) {
  document.getElementById(id).textContent = value;
}

/** `rates`: requests/s per status over the last poll interval, or undefined before the second poll. */
export function renderSummary(summary, rates, statuses) {
  text('hit-rate', percent(summary.hitRate));
  text('spend-with', usd(summary.money.spendUsd));
  text('spend-without', usd(summary.money.spendWithoutCacheUsd));
  text('saved', usd(summary.money.savedUsd));
  text('embedding-cost', usd(summary.money.embeddingCostUsd));
  text('net-saved', usd(summary.money.netSavedUsd));
  fill(
    'requests',
    statuses.map((status) => row([status, String(summary.requests[status] ?? 0), rates === undefined ? '–' : (rates[status] ?? 0).toFixed(2)], { status })),
  );
  fill(
    'latency',
    summary.latency.map((l) => row([l.status, String(l.count), ms(l.p50Ms), ms(l.p99Ms)], { status: l.status })),
  );
  fill('guards', summary.guards.length === 0 ? [row(['none yet', ''])] : summary.guards.map((g) => row([g.guard, String(g.count)], { guard: g.guard })));
  fill(
    'cp1kt',
    summary.cp1kt.map((c) => {
      const state = c.breach === null ? cell('no target') : c.breach ? cell('BREACH', 'breach') : cell('ok', 'ok');
      return row([c.scope, c.name, usd(c.windowUsd), usd(c.sinceStartUsd), usd(c.targetUsd), state], { scope: c.scope, name: c.name });
    }),
  );
}

/** `act(item, button)`: what a row's button does (feedback on a semantic hit, delete an exact hit's
 * entry); `done`: the outcome of rows already acted on, by seq, so that a refresh keeps it. */
export function renderRecent(recent, act, done) {
  const note = document.getElementById('recent-note');
  if (!recent.enabled) {
    note.textContent = 'Not recorded: SEMCACHE_RECENT_LOOKUPS is 0.';
    fill('recent', []);
    return;
  }
  note.textContent = `The latest ${recent.lookups.length} of up to ${recent.capacity} hits and near misses kept in memory; prompts are cut to 200 characters.`;
  const rows = recent.lookups.map((item) => {
    const actions = document.createElement('td');
    const label = item.kind === 'semantic-hit' && item.feedbackPrompt !== undefined ? 'wrong hit' : item.kind === 'exact-hit' ? 'delete entry' : undefined;
    if (label !== undefined) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = item.kind === 'semantic-hit' ? 'wrong-hit' : 'delete-entry';
      button.textContent = done.get(item.seq) ?? label;
      button.disabled = done.has(item.seq);
      button.addEventListener('click', () => act(item, button));
      actions.append(button);
    }
    return row(
      [
        new Date(item.at).toLocaleTimeString(),
        item.kind,
        item.tenant,
        cell(item.prompt ?? '(not text)', 'prompt'),
        cell(item.matchedPrompt ?? '(gone)', 'prompt'),
        similarity(item.similarity),
        similarity(item.supported),
        item.guard === undefined ? '' : item.guard,
        String(item.entryId),
        actions,
      ],
      { seq: item.seq, kind: item.kind, entry: item.entryId },
    );
  });
  fill('recent', rows);
}
