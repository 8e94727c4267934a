// The entry browser: search entries by prompt text and tenant (GET /admin/entries), see one
// (GET /admin/entries/:id), delete it (DELETE /admin/entries/:id).
import { cell, row } from './tables.js';

const PAGE = 20;

export function setupEntries(api, onError) {
  const form = document.getElementById('entry-search');
  const more = document.getElementById('entries-more');
  const body = document.querySelector('#entries tbody');
  const detail = document.getElementById('entry-detail');
  let query = { q: '', tenant: '' };
  let before = null;

  async function show(id) {
    const entry = await (await api(`/admin/entries/${id}`)).json();
    document.getElementById('entry-detail-title').textContent = `Entry ${entry.id} (${entry.endpoint}, ${entry.model}, tenant ${entry.tenant})`;
    document.getElementById('entry-detail-body').textContent = JSON.stringify(entry, null, 2);
    detail.hidden = false;
  }

  async function remove(id, tr) {
    if (!window.confirm(`Delete entry ${id}? It is removed from the cache at once.`)) return;
    const res = await api(`/admin/entries/${id}`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`delete failed: ${res.status}`);
    tr.remove();
    if (detail.dataset.id === String(id)) detail.hidden = true;
  }

  function button(label, className, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.addEventListener('click', () => action().catch(onError));
    return b;
  }

  async function load(append) {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (query.q !== '') params.set('q', query.q);
    if (query.tenant !== '') params.set('tenant', query.tenant);
    if (append && before !== null) params.set('before', String(before));
    const page = await (await api(`/admin/entries?${params}`)).json();
    const rows = page.entries.map((entry) => {
      const actions = document.createElement('td');
      const tr = row(
        [
          String(entry.id),
          cell(entry.prompt, 'prompt'),
          entry.tenant,
          entry.endpoint,
          entry.model,
          String(entry.hits),
          new Date(entry.created_at).toLocaleString(),
          actions,
        ],
        { id: entry.id },
      );
      actions.append(
        button('view', 'view', async () => {
          detail.dataset.id = String(entry.id);
          await show(entry.id);
        }),
        button('delete', 'delete', () => remove(entry.id, tr)),
      );
      return tr;
    });
    if (append) body.append(...rows);
    else body.replaceChildren(...rows);
    before = page.next_before;
    more.hidden = before === null;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    query = { q: document.getElementById('entry-q').value.trim(), tenant: document.getElementById('entry-tenant').value.trim() };
    load(false).catch(onError);
  });
  more.addEventListener('click', () => load(true).catch(onError));
  return { load: () => load(false) };
}
