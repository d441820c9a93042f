// Properties windows: a form of text, number, button, checkbox and select items; every
// edit sends `PropertyUpdate` with propertyId (the item index) and value. Downloads the
// properties as JSON (upstream does the same).
import { downloadText, fileName } from '../../lib/download.js';

function control(prop, index, ctx) {
  const send = (value) => ctx.send({ event_type: 'PropertyUpdate', propertyId: index, value });
  const type = prop.type;
  let el;
  if (type === 'button') {
    el = document.createElement('button');
    el.type = 'button';
    el.textContent = prop.value == null ? String(prop.name ?? '') : String(prop.value);
    el.addEventListener('click', () => send('clicked'));
  } else if (type === 'checkbox') {
    el = document.createElement('input');
    el.type = 'checkbox';
    el.checked = Boolean(prop.value);
    el.addEventListener('change', () => send(el.checked));
  } else if (type === 'select') {
    el = document.createElement('select');
    const values = Array.isArray(prop.values) ? prop.values : [];
    values.forEach((label, i) => {
      const opt = document.createElement('option');
      opt.value = String(i);
      opt.textContent = String(label);
      el.append(opt);
    });
    el.value = String(prop.value ?? 0);
    el.addEventListener('change', () => send(el.value));
  } else {
    // text and number: sent as a string when the edit is committed (Enter or leaving the field)
    el = document.createElement('input');
    el.type = 'text';
    if (type === 'number') el.inputMode = 'decimal';
    el.value = prop.value == null ? '' : String(prop.value);
    let committed = el.value;
    const commit = () => {
      if (el.value === committed) return;
      committed = el.value;
      send(el.value);
    };
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') commit();
    });
    el.addEventListener('blur', commit);
  }
  el.classList.add('prop-control', `prop-${String(type)}`);
  el.dataset.propertyId = String(index);
  el.disabled = ctx.readonly;
  return el;
}

function mount(body, win, ctx) {
  const table = document.createElement('table');
  table.className = 'properties-pane';
  body.append(table);
  let current = win;
  const view = {
    downloads: ['json'],
    download() {
      const props = Array.isArray(current.content) ? current.content : [];
      downloadText(JSON.stringify(props, null, 2), fileName(ctx.title(), 'json'), 'application/json');
    },
    update(w) {
      current = w;
      const props = Array.isArray(w.content) ? w.content : [];
      const rows = props.map((prop, i) => {
        const tr = document.createElement('tr');
        const name = document.createElement('td');
        name.className = 'prop-name';
        name.textContent = String(prop?.name ?? '');
        const value = document.createElement('td');
        value.append(control(prop || {}, i, ctx));
        tr.append(name, value);
        return tr;
      });
      table.replaceChildren(...rows);
    },
  };
  view.update(win);
  return view;
}

export default { type: 'properties', size: [20, 20], mount };
