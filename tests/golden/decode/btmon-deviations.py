#!/usr/bin/env python3
"""Turn btmon 5.66 text into what pairscope prints on purpose (docs/btmon-deviations.md):
NOCP lists every handle (5.66 hexdumps entries after the first); LE links say AES-CCM; no colour
escapes in "Data status:" lines."""
import sys, re
lines = open(sys.argv[1]).read().split('\n')
out = []
i = 0
in_nocp = False
in_enc = False
le = False
while i < len(lines):
    l = lines[i]
    if l.startswith('Bluetooth monitor ver'):
        i += 1; continue
    if l.startswith('> HCI Event: ') and ' (0x13) plen ' in l:
        in_nocp = True
    elif l and l[0] in '<>=*@':
        in_nocp = False
    if l and l[0] in '<>=*@':
        # deviation 2 is about the Encryption Change event; Set Connection Encryption prints Enabled
        in_enc = l.startswith('> HCI Event: Encryption Change')
    if in_nocp and re.match(r'^        ([0-9a-f]{2} ){4}', l) and lines[i-1].startswith('        Count:'):
        b = bytes(int(x, 16) for x in l[8:56].split())
        for k in range(0, len(b) - 3, 4):
            out.append('        Handle: %d' % (b[k] | b[k+1] << 8))
            out.append('        Count: %d' % (b[k+2] | b[k+3] << 8))
        i += 1; continue
    # deviation 10: 5.66 colours "Data status:" even when not on a terminal
    if 'Data status: \x1b[' in l:
        l = re.sub(r'\x1b\[[0-9;]*m', '', l)
    out.append(l.replace('Encryption: Enabled (0x01)', 'Encryption: Enabled with AES-CCM (0x01)') if in_enc else l)
    i += 1
sys.stdout.write('\n'.join(out))
