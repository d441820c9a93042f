// Per-env sequence numbers of the live messages (docs/socket-protocol.md): the server
// numbers every change of an env and sends them in store order, so a page applies a
// message only if it is the next one after what it shows, and resyncs on a gap.

export class Sequencer {
  constructor() {
    this.last = new Map();
  }

  /** Start from a join ack's snapshot: {eid: seq} (envs without a number stay unknown). */
  reset(seqs) {
    this.last.clear();
    for (const [eid, seq] of Object.entries(seqs || {})) {
      if (Number.isFinite(seq)) this.last.set(eid, seq);
    }
  }

  /** The sequence number shown for an env (undefined when unknown). */
  get(eid) {
    return this.last.get(eid);
  }

  /**
   * Classify a message of env `eid` numbered `seq`, and advance when it is applied:
   * 'apply' (the next one, or no number to check), 'stale' (the page already shows it),
   * 'gap' (messages are missing: resync the env).
   */
  accept(eid, seq) {
    if (!Number.isFinite(seq)) return 'apply'; // an older server: applied as it comes
    const last = this.last.get(eid);
    if (last !== undefined) {
      if (seq <= last) return 'stale';
      if (seq > last + 1) return 'gap';
    }
    this.last.set(eid, seq);
    return 'apply';
  }
}

/** The {eid: seq} of a join ack: `seq` for one env, `seqs` for a compare view. */
export function ackSeqs(ack, eids) {
  if (!ack) return {};
  if (ack.seqs && typeof ack.seqs === 'object') return ack.seqs;
  if (Number.isFinite(ack.seq)) return { [ack.eid ?? eids[0]]: ack.seq };
  return {};
}
