// Interop: two `ble-host` (npm 1.0.3) stacks, each on its own pairscope virtual controller reached over
// loopback TCP. They initialise, one advertises, the other connects; the central updates the
// connection parameters, the peripheral asks for new ones over L2CAP, both pair (LE Secure Connections,
// Just Works or Passkey Entry) and so encrypt, then the central disconnects.
// Usage: node blehost_vctl.js PORT [jw|pk]       prints "OK ..." last and exits 0 on success.
'use strict';
const net = require('net');
const path = require('path');
const H4 = require(path.join(__dirname, 'h4.js'));
const bh = require(process.env.BLE_HOST || path.join(__dirname, 'node_modules', 'ble-host'));
const { BleManager, IOCapabilities } = bh;
const port = +process.argv[2], mode = process.argv[3] || 'jw';
const PERIPH = 'C0:11:22:33:44:0B', CENTRAL = 'C0:11:22:33:44:0A';
const seen = [];
function done(ok, msg) { console.log((ok ? 'OK ' : 'FAIL ') + msg + ' [' + seen.join(', ') + ']'); process.exit(ok ? 0 : 1); }
function open(cb) {
  const s = net.connect(port, '127.0.0.1', () => cb(new H4(s)));
  s.on('error', (e) => done(false, 'tcp: ' + e.message));
}
const io = mode === 'pk' ? { p: IOCapabilities.DISPLAY_ONLY, c: IOCapabilities.KEYBOARD_ONLY, mitm: true }
  : { p: IOCapabilities.NO_INPUT_NO_OUTPUT, c: IOCapabilities.NO_INPUT_NO_OUTPUT, mitm: false };
let passkey = null, centralPaired = false, periphUpdated = false, periphConn = null;
function maybeEnd() { if (centralPaired && periphUpdated) periphConn.disconnect(); }
open((tc) => open((tp) => {
  BleManager.create(tp, { staticRandomAddress: PERIPH }, (err, periph) => {
    if (err) done(false, 'peripheral init: ' + err);
    seen.push('peripheral ready');
    BleManager.create(tc, { staticRandomAddress: CENTRAL }, (err2, central) => {
      if (err2) done(false, 'central init: ' + err2);
      seen.push('central ready');
      periph.startAdvertising({}, (status, conn) => {
        seen.push('peripheral connected');
        periphConn = conn;
        conn.smp.on('pairingRequest', (req, cb) => cb({ ioCap: io.p, mitm: io.mitm }));
        conn.smp.on('passkeyExchange', (assoc, pk) => { passkey = pk; });
        conn.smp.on('pairingComplete', (res) => {
          seen.push('peripheral paired');
          // now the peripheral asks the central for other parameters over L2CAP (CID 5)
          conn.updateConnParams({ connIntervalMin: 24, connIntervalMax: 24, connLatency: 0, supervisionTimeout: 300 },
            (st) => { seen.push('peripheral update ' + st); periphUpdated = st === 0; maybeEnd(); });
        });
      });
      central.connect('random', PERIPH, {}, (conn) => {
        seen.push('central connected');
        conn.on('disconnect', (reason) => done(centralPaired && periphUpdated && reason === 0x13,
          'central saw disconnection, reason 0x' + reason.toString(16)));
        conn.updateConnParams({ connIntervalMin: 30, connIntervalMax: 40, connLatency: 0, supervisionTimeout: 400 }, () => {
          seen.push('central update');
          conn.smp.on('passkeyExchange', (assoc, pk, cb) => setTimeout(() => cb(passkey), 10));
          conn.smp.on('pairingComplete', () => { seen.push('central paired'); centralPaired = true; maybeEnd(); });
          conn.smp.on('pairingFailed', (r) => done(false, 'pairing failed: ' + r));
          conn.smp.sendPairingRequest({ ioCap: io.c, mitm: io.mitm });
        });
      });
    });
  });
}));
setTimeout(() => done(false, 'timeout'), 20000);
