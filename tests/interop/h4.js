// H4 (Core Vol 4 Part A §2) over a byte stream, as the `ble-host` npm package wants its transport:
// an EventEmitter with write(Buffer) that emits 'data' with exactly one complete packet each time.
'use strict';
const EventEmitter = require('events');

// Octets of header after the type octet, and where its length field sits.
const HDR = { 1: [3, (b) => b[3]], 2: [4, (b) => b.readUInt16LE(3)], 3: [3, (b) => b[3]],
              4: [2, (b) => b[2]], 5: [4, (b) => b.readUInt16LE(3) & 0x3fff] };

class H4Transport extends EventEmitter {
  constructor(sock) {
    super();
    this.sock = sock;
    this.pending = [];
    this.have = 0;
    sock.on('data', (chunk) => this.push(chunk));
    sock.on('close', () => this.emit('close'));
    sock.on('error', () => this.emit('close'));
  }
  push(chunk) {
    this.pending.push(chunk);
    this.have += chunk.length;
    for (;;) {
      if (!this.have) return;
      let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      this.pending = [buf];
      const h = HDR[buf[0]];
      if (!h) throw new Error('H4 stream out of sync at type 0x' + buf[0].toString(16));
      if (buf.length < 1 + h[0]) return;
      const total = 1 + h[0] + h[1](buf);
      if (buf.length < total) return;
      const pkt = Buffer.from(buf.subarray(0, total));
      buf = buf.subarray(total);
      this.pending = buf.length ? [buf] : [];
      this.have = buf.length;
      this.emit('data', pkt);
    }
  }
  write(pkt) { this.sock.write(pkt); }
}
module.exports = H4Transport;
