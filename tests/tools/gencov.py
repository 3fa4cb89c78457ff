#!/usr/bin/env python3
"""Coverage trace for `pairscope decode` against btmon 5.66: one packet per entry of the packet tables.

Reads the layout tables (src/proto/hci_ctl_cmd.def, hci_cmd.def, hci_ctl_rsp.def, hci_rsp.def, hci_evt.def, le_evt.def, hci_vnd.def,
l2cap.def, att.def, smp.def) and writes a btsnoop file (datalink 2001, Linux monitor, as `btmon -w`
writes) holding, in table order:
  * every HCI command with plausible parameters, then a Command Complete for it (return parameters
    from hci_rsp.def when the table has them, else a status octet), and a Command Status for the
    commands a controller answers that way;
  * every HCI event and every LE meta subevent (lists with two entries), NOCP with two handles;
  * every L2CAP LE signaling command (CID 5), every ATT opcode (CID 4), every SMP code (CID 6);
  * Broadcom vendor packets on a second controller that names its manufacturer in Index Info;
  * a few extra packets for bit lists with every bit set (supported commands, features, LE states),
    so that every bit name btmon knows is printed once.
Values are chosen per field from its wire type, display format and name (plausible, mostly valid);
LAYOUT_PAYLOAD overrides whole payloads where a field-by-field choice would not be plausible.

Usage: gencov.py OUT.btsnoop [--root DIR]   (DIR: the pairscope tree, default: two levels up)
Deterministic: the same tables give the same file, byte for byte.
"""
import os
import re
import struct
import sys

# The one btsnoop writer and epoch of the Python tools (bench/btsnoop_lib.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../bench"))
from btsnoop_lib import DLT_MONITOR, BtsnoopWriter  # noqa: E402

W = {'U8': 1, 'U16': 2, 'U24': 3, 'U32': 4, 'U40': 5, 'U48': 6, 'U64': 8, 'S8': 1, 'ADDR': 6, 'B3': 3,
     'B8': 8, 'B12': 12, 'B16': 16, 'B31': 31, 'B32': 32, 'B64': 64, 'REST': 0, 'LIST': 0}

PUBLIC = bytes(reversed(bytes.fromhex('B827EB155070')))   # Raspberry Pi Foundation OUI
STATIC = bytes(reversed(bytes.fromhex('D2A74C76F3E0')))   # random static
RPA = bytes(reversed(bytes.fromhex('4C0AF2E0D1B3')))      # resolvable private
AD = bytes.fromhex('020106') + bytes([8, 0x09]) + b'pairscp' + bytes.fromhex('03190000')


def le(v, n):
    return (v & ((1 << (8 * n)) - 1)).to_bytes(n, 'little')


def pattern(n, seed):
    return bytes(((seed * 37 + k * 11) & 0xff) for k in range(n))


def parse_def(path):
    """[(code, id, [(wire, name, label, fmt, aux)])] in file order."""
    out, cur = [], None
    for line in open(path):
        m = re.match(r'PS_LAYOUT\((\w+), (\w+), (0x[0-9a-fA-F]+|\d+),', line)
        if m:
            cur = [int(m.group(3), 0), m.group(2), []]
            out.append(cur)
            continue
        m = re.match(r'PS_EMPTY\((\w+), (\w+), (0x[0-9a-fA-F]+|\d+),', line)
        if m:
            out.append([int(m.group(3), 0), m.group(2), []])
            cur = None
            continue
        m = re.match(r'PS_ADDR_RSP\((\w+), (0x[0-9a-fA-F]+),', line)
        if m:
            out.append([int(m.group(2), 0), m.group(1), [('U8', 'status', 'Status', 'ENUM', 'ps_names_hci_error'),
                                                         ('ADDR', 'addr', 'Address', 'ADDR', 'NULL')]])
            cur = None
            continue
        m = re.match(r'PS_STATUS_RSP\((\w+), (0x[0-9a-fA-F]+),', line)
        if m:
            out.append([int(m.group(2), 0), m.group(1), [('U8', 'status', 'Status', 'ENUM', 'ps_names_hci_error')]])
            cur = None
            continue
        m = re.match(r'PS_F\(\w+, \w+, (\w+), (\w+), "([^"]*)", (\w+), (.*)\)\s*$', line)
        if m and cur is not None:
            cur[2].append((m.group(1), m.group(2), m.group(3), m.group(4), m.group(5).strip()))
    return out


# Plausible values by field name (first match wins), then by format.
BY_NAME = {
    'status': 0x00, 'reason': 0x13, 'ncmd': 1,
    'handle': 64, 'conn_handle': 64, 'acl_handle': 64, 'cis_handle': 96, 'sync_handle': 1,
    'addr_type': 0x00, 'peer_addr_type': 0x01, 'direct_addr_type': 0x01, 'own_addr_type': 0x01,
    'scanner_addr_type': 0x01, 'peer_id_addr_type': 0x01,
    'tx_len': 251, 'max_tx_len': 251, 'max_rx_len': 251, 'tx_time': 2120, 'max_tx_time': 2120,
    'max_rx_time': 2120, 'mtu': 247, 'mps': 247, 'credits': 10, 'psm': 0x0080, 'scid': 0x0040,
    'dcid': 0x0041, 'cid': 0x0040, 'offset': 0, 'start': 0x0001, 'end': 0xffff, 'format': 0x01,
    'role': 0x00, 'link_type': 0x01, 'encr_mode': 0x01, 'key_size': 16, 'clock_accuracy': 0x00,
    'timeout': 0x0bb8, 'latency': 0, 'supv_timeout': 0x002a, 'interval': 0x0028,
    'min_interval': 0x0018, 'max_interval': 0x0028, 'enable': 0x01, 'filter_dup': 0x01,
    'filter_policy': 0x00, 'channel_map': 0x07, 'type': 0x00, 'hci_ver': 0x0c, 'lmp_ver': 0x0c,
    'hci_rev': 0x1234, 'lmp_subver': 0x5678, 'manufacturer': 15, 'max_key_size': 16,
    'io_cap': 0x03, 'oob': 0x00, 'auth_req': 0x2d, 'init_key_dist': 0x07, 'resp_key_dist': 0x07,
    'ediv': 0x2474, 'rand': 0xabcdef1234567890, 'number': 0x1122334455667788, 'tx_phy': 0x02,
    'rx_phy': 0x02, 'phy': 0x01, 'c_phy': 0x02, 'p_phy': 0x02, 'primary_phy': 0x01,
    'secondary_phy': 0x02, 'algorithm': 0x01, 'sid': 0x01, 'size': 16, 'level': 7,
    'tx_power': 7, 'rssi': -62, 'error': 0x0a, 'request': 0x0a, 'flags': 0x01, 'num_evts': 3,
    'adv_handle': 1, 'code': 0x03, 'subevent': 0x01, 'acl_mtu': 1021, 'sco_mtu': 64,
    'acl_max_pkt': 8, 'sco_max_pkt': 16, 'le_mtu': 251, 'le_max_pkt': 15, 'max_len': 1650,
    'num_of_sets': 16, 'states': 0x000003ffffffffff, 'mask': 0x3dbff807fffbffff, 'priv_mode': 0x01,
    'phy_opts': 0x0000, 'all_phys': 0x00, 'tx_phys': 0x03, 'rx_phys': 0x03, 'evt_props': 0x0013,
    'secondary_max_skip': 0, 'notif_enable': 0, 'operation': 0x03, 'fragment_preference': 0x01,
    'duration': 0, 'period': 0, 'service_data': 0x0000, 'data_status': 0x00, 'cte_type': 0xff,
    'nse': 2, 'c_bn': 1, 'p_bn': 1, 'c_ft': 1, 'p_ft': 1, 'c_mtu': 40, 'p_mtu': 40, 'cig_id': 1,
    'cis_id': 1, 'cig_sync_delay': 7500, 'cis_sync_delay': 7500, 'c_latency': 10000,
    'p_latency': 10000, 'result': 0x0000, 'simultaneous': 0x00, 'supported': 0x01, 'encoded': 0,
    'explicit_rate': 3000000, 'encrypted': 0, 'max_events': 0,
    'max_pdu': 251, 'max_sdu': 240, 'path_loss': 0x32, 'subrate_factor': 4, 'continuation': 1,
    'slot_delay': 2, 'slot_spacing': 4, 'tx_status': 0, 'change_reason': 0x01, 'event_counter': 0x0100,
    'subevent_count': 2,
    'min_tx_power': -20, 'max_tx_power': 10,
    # BR/EDR (hci_ctl_*.def, Vol 4 Part E §7.1-7.7)
    'policy': 0x000f, 'scan_enable': 0x03, 'pscan_rep_mode': 0x01, 'pscan_mode': 0x00, 'clock_offset': 0x0000,
    'mode': 0x01, 'key_type': 0x05, 'oob_data': 0x00, 'read_all': 0x01, 'delete_all': 0x01, 'max_num_keys': 10,
    'num_keys': 1, 'passkey': 1234, 'max_slots': 5, 'flow_enable': 0x01, 'support': 0x01, 'encr_enable': 0x01,
    'num_iac': 2, 'page': 1, 'max_page': 2, 'lap': 0x9e8b33, 'length': 0x08, 'num_rsp': 1, 'dev_class': 0x5a010c,
    'setting': 0x0060, 'pkt_type': 0xcc18, 'role_switch': 0x01, 'fec': 0x01, 'pscan_period_mode': 0x00,
}
BY_FMT = {'SLOT625': 0x0060, 'INTV125': 0x0028, 'TIME10': 0x002a, 'DECHEX': 0, 'RSSI': -62, 'DBM': 7,
          'BITS': 0x01, 'EVMASK': 0x3dbff807fffbffff, 'ENUM': 0x00, 'HEX': 0x01, 'DEC': 1, 'UNIT': 900,
          'ENCRYPT': 0x01, 'SMP_AUTHREQ': 0x2d, 'SMP_KEYDIST': 0x07}

# Mask values per layout where the generic one would set undefined bits.
MASK = {'set_event_mask': 0x3dbff807fffbffff, 'set_event_mask_page2': 0x0000000000800000,
        'le_set_event_mask': 0x00000000000fffff}


def addr_for(fields, i):
    aux = fields[i][4].strip('"')
    if aux == 'NULL':
        return PUBLIC
    if aux.startswith('='):
        return RPA if 'rpa' in fields[i][1] else STATIC
    t = BY_NAME.get(aux, 0)
    return STATIC if t in (1, 3) else PUBLIC


def field_bytes(layout, fields, i, seed):
    wire, name, label, fmt, aux = fields[i]
    n = W[wire]
    if wire == 'ADDR':
        return addr_for(fields, i)
    if wire.startswith('B'):
        if fmt == 'AD':
            return (AD + bytes(n))[:n]
        return pattern(n, seed + i)
    if wire == 'REST':
        if fmt == 'AD':
            return AD
        if fmt == 'EIR':
            return (AD + bytes(240))[:240]
        if fmt == 'NAME248':
            return (b'raspberrypi' + bytes(248))[:248]
        return pattern(6, seed + i)
    if wire == 'LIST':
        raise ValueError('LIST needs a LAYOUT_PAYLOAD entry: ' + layout)
    if name == 'mask':
        v = MASK.get(layout, BY_FMT['EVMASK'])
    elif name in BY_NAME:
        v = BY_NAME[name]
    else:
        v = BY_FMT.get(fmt, 1)
    return le(v, n)


def payload(table, layout, fields, seed):
    key = table + '.' + layout
    if key in LAYOUT_PAYLOAD:
        return LAYOUT_PAYLOAD[key]
    parts = [field_bytes(layout, fields, i, seed) for i in range(len(fields))]
    # a numbered handle list (BIS handles): two handles, its count field says so
    for i, (wire, name, _l, fmt, aux) in enumerate(fields):
        if fmt == 'NUMBERED':
            parts[i] = u16(96) + u16(97)
            c = [k for k, fl in enumerate(fields) if fl[1] == aux.strip('"')]
            if c:
                parts[c[0]] = le(2, W[fields[c[0]][0]])
    # a length octet just before REST/B31 data counts it
    for i, (wire, name, _l, fmt, aux) in enumerate(fields):
        if name in ('len', 'data_len') and i + 1 < len(fields) and fields[i + 1][0] in ('REST', 'B31'):
            parts[i] = le(len(AD) if fields[i + 1][3] == 'AD' else len(parts[i + 1]), W[wire])
    return b''.join(parts)


def u16(v):
    return le(v, 2)


EXT_ADV_REPORT = (u16(0x0013) + b'\x01' + STATIC + b'\x01\x00\xff\x7f' + bytes([0xc2]) + u16(0) + b'\x00' +
                  bytes(6) + bytes([len(AD)]) + AD)
EXT_ADV_REPORT2 = (u16(0x0000) + b'\x00' + PUBLIC + b'\x01\x02\x03\x07' + bytes([0xb5]) + u16(0x0050) + b'\x01' +
                   RPA + b'\x00')
LAYOUT_PAYLOAD = {
    # one handle: btmon 5.66 decodes only the first (docs/btmon-deviations.md)
    'hci_cmd.host_num_completed_packets': bytes([1]) + u16(12) + u16(2),
    # two standard codecs, one vendor codec (btmon dumps those)
    'hci_rsp.read_local_codecs': bytes([0x00, 2, 0x02, 0x05, 1]) + u16(15) + u16(0x0001),
    'hci_rsp.read_current_iac_lap': bytes([0x00, 2]) + le(0x9e8b33, 3) + le(0x9e8b00, 3),
    # two responses: btmon 5.66 decodes the first and dumps the second
    'hci_evt.inquiry_result': bytes([2]) + PUBLIC + bytes([0x01, 0x00, 0x00]) + le(0x5a010c, 3) + u16(0x3456) +
    STATIC + bytes([0x02, 0x01, 0x00]) + le(0x240404, 3) + u16(0x1234),
    'hci_evt.inquiry_result_rssi': bytes([1]) + PUBLIC + bytes([0x01, 0x00]) + le(0x5a010c, 3) + u16(0x3456) +
    bytes([0xc4]),
    'hci_cmd.set_event_filter': bytes([0x00]),
    'hci_cmd.le_set_ext_adv_enable': bytes([0x01, 0x02, 0x01]) + u16(0) + b'\x00' + bytes([0x02]) + u16(500) + b'\x05',
    # one entry per PHY bit set: 1M and Coded (scan type, interval, window)
    'hci_cmd.le_set_ext_scan_params': bytes([0x01, 0x00, 0x05]) + b'\x01' + u16(0x0060) + u16(0x0030) +
    b'\x00' + u16(0x0120) + u16(0x0090),
    'hci_cmd.le_ext_create_conn': bytes([0x00, 0x01, 0x01]) + STATIC + bytes([0x05]) +
    u16(0x0060) + u16(0x0060) + u16(0x0018) + u16(0x0028) + u16(0) + u16(0x002a) + u16(0) + u16(0) +
    u16(0x0120) + u16(0x0120) + u16(0x0018) + u16(0x0028) + u16(0) + u16(0x01f4) + u16(0) + u16(0),
    # BR/EDR link on its own handle (Encryption Change for handle 64 then names the LE link)
    'hci_evt.conn_complete': bytes([0x00]) + u16(65) + PUBLIC + bytes([0x01, 0x00]),
    'hci_evt.num_completed_packets': bytes([2]) + u16(64) + u16(2) + u16(65) + u16(1),
    'hci_evt.cmd_complete': b'',  # emitted per command below
    'le_evt.adv_report': bytes([2, 0x00, 0x01]) + STATIC + bytes([len(AD)]) + AD + bytes([0xc2]) +
    bytes([0x04, 0x00]) + PUBLIC + bytes([3]) + bytes.fromhex('020106') + bytes([0xb5]),
    'le_evt.direct_adv_report': bytes([1, 0x01, 0x01]) + RPA + bytes([0x01]) + STATIC + bytes([0xc2]),
    'le_evt.ext_adv_report': bytes([2]) + EXT_ADV_REPORT + EXT_ADV_REPORT2,
    # the periodic data is dumped, not decoded (btmon), but is advertising data all the same
    'le_evt.pa_report': u16(0x0040) + bytes([0x07, 0xc2, 0xff, 0x00, len(AD)]) + AD,
    # two responses: advertising data, then an empty one that failed
    'le_evt.pa_response_report': bytes([1, 1, 0x00, 2]) + bytes([0x07, 0xc2, 0xff, 0x00, 0x00, len(AD)]) + AD +
    bytes([0x04, 0xb5, 0xff, 0x01, 0x02, 0]),
    'le_evt.pa_report_v2': u16(0x0040) + bytes([0x07, 0xc2, 0xff]) + u16(0x0100) + bytes([0x01, 0x00, len(AD)]) + AD,
    'hci_vnd.bcm_lm_diag': bytes([0xb4]) + pattern(64, 5),
    'l2cap.cmd_reject': u16(0x0000),
    'l2cap.conn_param_req': u16(0x0018) + u16(0x0028) + u16(0) + u16(0x01f4),
    'l2cap.ecred_conn_req': u16(0x0080) + u16(247) + u16(247) + u16(10) + u16(0x0040) + u16(0x0041),
    'l2cap.ecred_conn_rsp': u16(247) + u16(247) + u16(10) + u16(0) + u16(0x0042) + u16(0x0043),
    'l2cap.ecred_reconf_req': u16(512) + u16(247) + u16(0x0042),
    'att.error_rsp': bytes([0x08]) + u16(0x0010) + bytes([0x0a]),
    'att.find_info_rsp': bytes([0x01]) + u16(0x0001) + u16(0x2800) + u16(0x0002) + u16(0x2803) +
    u16(0x0003) + u16(0x2a00),
    'att.find_by_type_req': u16(0x0001) + u16(0xffff) + u16(0x2800) + u16(0x180f),
    'att.find_by_type_rsp': u16(0x0010) + u16(0x0014),
    'att.read_type_req': u16(0x0001) + u16(0xffff) + u16(0x2a00),
    'att.read_type_rsp': bytes([7]) + u16(0x0002) + bytes([0x02]) + u16(0x0003) + u16(0x2a00) +
    u16(0x0004) + bytes([0x02]) + u16(0x0005) + u16(0x2a01),
    'att.read_multiple_req': u16(0x0003) + u16(0x0005),
    'att.read_group_type_req': u16(0x0001) + u16(0xffff) + u16(0x2800),
    'att.read_group_type_rsp': bytes([6]) + u16(0x0001) + u16(0x0007) + u16(0x1800) + u16(0x0008) +
    u16(0x000b) + u16(0x1801),
    'att.read_multiple_vl_req': u16(0x0003) + u16(0x0005),
    'att.read_multiple_vl_rsp': u16(2) + b'\x01\x02' + u16(1) + b'\x03',
    'att.multiple_notify': u16(0x0003) + u16(2) + b'\x01\x02' + u16(0x0005) + u16(1) + b'\x03',
    'att.execute_write_req': bytes([0x01]),
}

# Command Status instead of Command Complete (commands whose result comes in a later event).
STATUS_ONLY = {0x0401, 0x0405, 0x0411, 0x0413, 0x0419, 0x041b, 0x041c, 0x0409, 0x040a, 0x0803, 0x0804, 0x080b,
               0x0406, 0x041d, 0x200d, 0x2013, 0x2016, 0x2019, 0x2025, 0x2026, 0x2032, 0x2043}

# Extra packets: bit lists with every bit set, so every name btmon knows for them is printed.
ALL_ONES_RSP = {0x1002: b'\x00' + b'\xff' * 64, 0x1003: b'\x00' + b'\xff' * 8, 0x2003: b'\x00' + b'\xff' * 8,
                0x201c: b'\x00' + b'\xff' * 8}

OP_NEW_INDEX, OP_CMD, OP_EVT, OP_ACL_TX, OP_ACL_RX, OP_OPEN_INDEX, OP_INDEX_INFO = 0, 2, 3, 4, 5, 8, 10


class Writer(BtsnoopWriter):
    """Monitor records 1 ms apart, from 2019-07-11 12:00:00 UTC."""

    def __init__(self, path):
        super().__init__(path, DLT_MONITOR)
        self.t = 1562846400 * 1000000

    def rec(self, index, op, data):
        self.t += 1000
        self.write(op, data, self.t, index)


def cmd(opcode, p):
    return struct.pack('<HB', opcode, len(p)) + p


def evt(code, p):
    return struct.pack('<BB', code, len(p)) + p


def acl(cid, p, handle=64):
    l2 = struct.pack('<HH', len(p), cid) + p
    return struct.pack('<HH', handle | 0x2000, len(l2)) + l2


def main():
    out = sys.argv[1]
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    if '--root' in sys.argv:
        root = sys.argv[sys.argv.index('--root') + 1]
    src = os.path.join(root, 'src', 'proto')
    t = {n: parse_def(os.path.join(src, n + '.def'))
         for n in ('hci_cmd', 'hci_rsp', 'hci_evt', 'le_evt', 'hci_vnd', 'l2cap', 'att', 'smp')}
    # OGF 0x01-0x06 commands and their return parameters live in files of their own, read first
    t['hci_cmd'] = parse_def(os.path.join(src, 'hci_ctl_cmd.def')) + t['hci_cmd']
    t['hci_rsp'] = parse_def(os.path.join(src, 'hci_ctl_rsp.def')) + t['hci_rsp']
    w = Writer(out)
    w.rec(0, OP_NEW_INDEX, bytes([0, 1]) + PUBLIC + b'hci0\0\0\0\0')
    w.rec(0, OP_OPEN_INDEX, b'')
    # LE link first: Encryption Change and ACL data name it
    conn = [e for e in t['le_evt'] if e[1] == 'conn_complete'][0]
    w.rec(0, OP_EVT, evt(0x3e, bytes([conn[0]]) + payload('le_evt', conn[1], conn[2], 0)))

    rsp = {code: (name, f) for code, name, f in t['hci_rsp']}
    for i, (code, name, f) in enumerate(t['hci_cmd']):
        w.rec(0, OP_CMD, cmd(code, payload('hci_cmd', name, f, i)))
        if code in STATUS_ONLY:
            w.rec(0, OP_EVT, evt(0x0f, bytes([0x00, 1]) + u16(code)))
        elif code in rsp:
            rn, rf = rsp[code]
            w.rec(0, OP_EVT, evt(0x0e, bytes([1]) + u16(code) + payload('hci_rsp', rn, rf, i)))
        else:
            w.rec(0, OP_EVT, evt(0x0e, bytes([1]) + u16(code) + b'\x00'))
    cmds = {c for c, _n, _f in t['hci_cmd']}
    for i, (code, name, f) in enumerate(t['hci_rsp']):
        if code not in cmds:
            w.rec(0, OP_EVT, evt(0x0e, bytes([1]) + u16(code) + payload('hci_rsp', name, f, i)))
    for code, p in ALL_ONES_RSP.items():
        w.rec(0, OP_EVT, evt(0x0e, bytes([1]) + u16(code) + p))
    # a failed command: status only, whatever the table says
    w.rec(0, OP_EVT, evt(0x0e, bytes([1]) + u16(0x1001) + b'\x01'))

    last = []
    for i, (code, name, f) in enumerate(t['hci_evt']):
        if name in ('cmd_complete', 'cmd_status', 'le_meta'):
            continue
        if name == 'disconn_complete':
            last.append((code, name, f, i))
            continue
        w.rec(0, OP_EVT, evt(code, payload('hci_evt', name, f, i)))
    for i, (code, name, f) in enumerate(t['le_evt']):
        w.rec(0, OP_EVT, evt(0x3e, bytes([code]) + payload('le_evt', name, f, i)))
    w.rec(0, OP_EVT, evt(0x3e, bytes([0x7f, 1, 2, 3])))  # unknown subevent

    for i, (code, name, f) in enumerate(t['l2cap']):
        w.rec(0, OP_ACL_RX, acl(5, struct.pack('<BBH', code, i + 1, len(p := payload('l2cap', name, f, i))) + p))
    for i, (code, name, f) in enumerate(t['att']):
        w.rec(0, OP_ACL_RX if i % 2 else OP_ACL_TX, acl(4, bytes([code]) + payload('att', name, f, i)))
    for i, (code, name, f) in enumerate(t['smp']):
        w.rec(0, OP_ACL_RX if i % 2 else OP_ACL_TX, acl(6, bytes([code]) + payload('smp', name, f, i)))
    w.rec(0, OP_ACL_RX, acl(0x0040, b'\x01\x02\x03'))  # a dynamic channel

    for code, name, f, i in last:
        w.rec(0, OP_EVT, evt(code, payload('hci_evt', name, f, i)))

    # Broadcom vendor packets on hci1 (manufacturer from Index Info)
    w.rec(1, OP_NEW_INDEX, bytes([0, 1]) + STATIC + b'hci1\0\0\0\0')
    w.rec(1, OP_INDEX_INFO, PUBLIC + u16(15))
    for i, (code, name, f) in enumerate(t['hci_vnd']):
        opcode = code & 0xffff
        if code & 0x80000000:
            w.rec(1, OP_EVT, evt(0x0e, bytes([1]) + u16(opcode) + payload('hci_vnd', name, f, i)))
        elif opcode >> 8 == 0xff:
            w.rec(1, OP_EVT, evt(0xff, payload('hci_vnd', name, f, i)))
        else:
            w.rec(1, OP_CMD, cmd(opcode, payload('hci_vnd', name, f, i)))
    w.f.close()


if __name__ == '__main__':
    main()
