// Bonding then re-encryption against a pairscope host, through `pairscope controller` (Vol 3 Part H
// §2.4.1; Vol 3 Part C §10.3): connection 1 pairs with bonding (Just Works), the pairscope process
// exits (the link drops), connection 2 must encrypt with the stored keys and not pair again.
// ble-host keeps its bonds in NodeBleLib-storage-dir under the cwd: run it in a temp dir.
// Usage: node blehost_bond.js PORT peripheral|central [secreq]
//   peripheral: ble-host advertises as C0:11:22:33:44:0B; pairscope's central pairs, then re-encrypts
//               (secreq: on connection 2 ble-host sends a Security Request first, SM/CEN/PIS/BV-03-C)
//   central:    ble-host (C0:11:22:33:44:0A) connects to pairscope's peripheral C0:11:22:33:44:0D and
//               pairs, then on connection 2 starts encryption with its LTK (secreq: waits for
//               pairscope's Security Request instead, SM/PER/PIS/BV-02-C)
// Prints PAIRED ..., then REENCRYPTED ... and exits 0; anything else exits 1.
'use strict';
const net = require('net');
const path = require('path');
const { BleManager, IOCapabilities } = require(process.env.BLE_HOST || require.resolve('ble-host', { paths: [process.cwd(), __dirname] }));
const H4 = require(path.join(process.env.PS_CHECKS || path.join(__dirname, '../interop'), 'h4-stream.js'));
const port = +process.argv[2], role = process.argv[3] || 'peripheral', secreq = process.argv[4] === 'secreq';
function fin(msg, code) { console.log(msg); process.exit(code); }
let n = 0;
function watch(conn) {
  const k = ++n;
  conn.smp.on('pairingComplete', (res) => {
    if (k > 1) fin('PAIRED AGAIN on connection ' + k + ' (expected re-encryption)', 1);
    console.log('PAIRED sc=' + res.sc + ' mitm=' + res.mitm + ' bond=' + res.bond);
  });
  conn.smp.on('pairingFailed', (r, remote) => fin('FAILED ' + r + (remote ? ' (from peer)' : ''), 1));
  conn.smp.on('encrypt', (status, lvl) => {
    if (k === 1) return;
    if (status !== 0) fin('ENCRYPT FAILED status 0x' + status.toString(16), 1);
    fin('REENCRYPTED ' + JSON.stringify(lvl), 0);
  });
  return k;
}
const s = net.connect(port, '127.0.0.1', () => {
  const own = role === 'central' ? 'C0:11:22:33:44:0A' : 'C0:11:22:33:44:0B';
  BleManager.create(new H4(s), { staticRandomAddress: own }, (err, m) => {
    if (err) fin('init failed: ' + err, 1);
    if (role === 'peripheral') {
      const adv = () => m.startAdvertising({}, (status, conn) => {
        const k = watch(conn);
        console.log('CONNECTED ' + k + ' bonded=' + conn.smp.isBonded);
        conn.smp.on('pairingRequest', (req, cb) => cb({ ioCap: IOCapabilities.NO_INPUT_NO_OUTPUT, mitm: false, bondingFlags: 1 }));
        if (k > 1 && secreq) conn.smp.sendSecurityRequest(true, false, true, false);
        conn.on('disconnect', () => { if (k === 1) adv(); });
      });
      adv();
      console.log('ADVERTISING');
    } else {
      const go = () => m.connect('random', 'C0:11:22:33:44:0D', {}, (conn) => {
        const k = watch(conn);
        console.log('CONNECTED ' + k + ' bonded=' + conn.smp.isBonded + ' ltk=' + conn.smp.hasLtk);
        conn.on('disconnect', () => { if (k === 1) go(); });
        if (k === 1) conn.smp.sendPairingRequest({ ioCap: IOCapabilities.NO_INPUT_NO_OUTPUT, mitm: false, bondingFlags: 1 });
        else if (!secreq) {
          if (!conn.smp.hasLtk) fin('no LTK stored for the peer', 1);
          conn.smp.startEncryption();
        }
      });
      go();
    }
  });
});
s.on('error', (e) => fin('tcp: ' + e.message, 1));
setTimeout(() => fin('timeout', 1), 40000);
