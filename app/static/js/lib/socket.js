// The Socket.IO connection to {base_url}/socket.io and a promise-based emit with ack.
import { io } from '../../vendor/socket.io.esm.min.js';
import { base } from './page.js';

const ACK_TIMEOUT_MS = 15000;

export function connect() {
  return io({ path: base + '/socket.io', withCredentials: true });
}

/** Emit `event` and resolve with the server's ack; reject on timeout or an error ack. */
export function request(socket, event, payload, timeout = ACK_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    socket.timeout(timeout).emit(event, payload, (err, reply) => {
      if (err) reject(new Error(`${event}: no answer from the server`));
      else if (reply && reply.error) reject(new Error(`${event}: ${reply.error}`));
      else resolve(reply);
    });
  });
}
