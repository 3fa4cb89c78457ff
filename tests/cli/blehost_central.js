// A ble-host (npm) central that connects to a pairscope peripheral (C0:11:22:33:44:0D) through
// `pairscope controller` and pairs. Usage: node blehost_central.js PORT jw|nc|pk
// (pk: DisplayOnly, prints "PASSKEY nnnnnn" for the peripheral to type; nc: DisplayYesNo, confirms).
'use strict';
const net = require('net');
const path = require('path');
const { BleManager, IOCapabilities } = require(process.env.BLE_HOST || require.resolve('ble-host', { paths: [process.cwd(), __dirname] }));
const H4 = require(path.join(process.env.PS_CHECKS || path.join(__dirname, '../interop'), 'h4-stream.js'));
const port = +process.argv[2], mode = process.argv[3] || 'jw';
const io = { jw: IOCapabilities.NO_INPUT_NO_OUTPUT, nc: IOCapabilities.DISPLAY_YES_NO, pk: IOCapabilities.DISPLAY_ONLY }[mode];
function fin(msg, code) { console.log(msg); process.exit(code); }
const s = net.connect(port, '127.0.0.1', () => {
  BleManager.create(new H4(s), { staticRandomAddress: 'C0:11:22:33:44:0A' }, (err, m) => {
    if (err) fin('init failed: ' + err, 1);
    m.connect('random', 'C0:11:22:33:44:0D', {}, (conn) => {
      conn.smp.on('passkeyExchange', (assoc, pk, cb) => {
        if (pk !== null && pk !== undefined) console.log('PASSKEY ' + String(pk).padStart(6, '0'));
        if (mode === 'nc') cb();
      });
      conn.smp.on('pairingComplete', (res) => { console.log('PAIRED sc=' + res.sc + ' mitm=' + res.mitm); setTimeout(() => process.exit(0), 300); });
      conn.smp.on('pairingFailed', (r, remote) => fin('FAILED ' + r + (remote ? ' (from peer)' : ''), 1));
      conn.smp.sendPairingRequest({ ioCap: io, mitm: mode !== 'jw', bond: true });
    });
  });
});
s.on('error', (e) => fin('tcp: ' + e.message, 1));
setTimeout(() => fin('timeout', 1), 25000);
