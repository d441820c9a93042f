// The connection badge: shows whether the socket is connected; a click disconnects by
// hand, and a second click reconnects (upstream's badge does the same).
import { setOnline } from './status.js';

export function connectionBadge(socket) {
  const el = document.getElementById('connection');
  let byHand = false;
  const render = () => setOnline(socket.connected, byHand);
  el?.addEventListener('click', () => {
    if (socket.connected) {
      byHand = true;
      socket.disconnect();
    } else {
      byHand = false;
      socket.connect();
    }
    render();
  });
  socket.on('connect', render);
  socket.on('disconnect', render);
  socket.on('connect_error', render);
  render();
}
