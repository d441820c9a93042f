// Windows of a type this UI does not know: say so, as text.

function mount(body, win) {
  const el = document.createElement('div');
  el.className = 'unknown-pane';
  body.append(el);
  const view = {
    update(w) {
      el.textContent = `This window has a type the page cannot show: ${String(w.type)}`;
    },
  };
  view.update(win);
  return view;
}

export default { type: 'unknown', size: [20, 20], mount };
