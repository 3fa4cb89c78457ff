/* Doctor rules registry: every check the doctor makes, one X-macro row each (ID, severity, spec section,
 * one line, fix, whether a peer would reject the fault). Core v5.x/v6.x section numbers. */
#ifndef PS_DOCTOR_RULES_H
#define PS_DOCTOR_RULES_H

#include <pairscope/doctor.h>

#define DR_INFO PS_DOCTOR_INFO
#define DR_WARNING PS_DOCTOR_WARNING
#define DR_ERROR PS_DOCTOR_ERROR

/* X(enum, id, severity, spec, one line, fix, rejectable): "rejectable" marks faults a peer answers with
 * Pairing Failed or a disconnect; the probable cause of a failure is chosen among them. */
#define DR_RULES(X)                                                                                        \
	/* ---- SMP PDU validity ---- */                                                                  \
	X(SMP_BAD_LENGTH, "smp.bad-length", DR_ERROR, "Vol 3 Part H 3.3, Table 3.3",                        \
	  "an SMP PDU whose length does not match its code",                                            \
	  "send each SMP PDU with exactly the length Table 3.3 gives (a receiver answers Invalid Parameters 0x0A)", 1) \
	X(SMP_UNKNOWN_CODE, "smp.unknown-code", DR_WARNING, "Vol 3 Part H 3.3",                             \
	  "an SMP PDU with a reserved code", "send only defined codes (a receiver answers Command Not Supported 0x07)", 1) \
	X(SMP_RESERVED, "smp.reserved-value", DR_WARNING, "Vol 3 Part H 3.5.1, 3.5.2, 3.6.1",                 \
	  "a reserved value or RFU bit in an SMP PDU",                                                     \
	  "send RFU bits as 0 and only defined values (IO capability 0-4, OOB flag 0-1, Bonding_Flags 00/01)", 1) \
	X(SMP_WRONG_ROLE, "smp.wrong-role", DR_ERROR, "Vol 3 Part H 3.5.1, 3.5.2, 3.6.7",                    \
	  "an SMP PDU sent by a role that may not send it",                                                 \
	  "only the initiator (central) sends Pairing Request, only the responder sends Pairing Response and Security Request", 1) \
	X(SMP_OUT_OF_ORDER, "smp.out-of-order", DR_ERROR, "Vol 3 Part H 2.3, 3.3",                           \
	  "an SMP PDU sent in a phase where it is not expected",                                           \
	  "follow the phase order: features, (public keys,) confirm, random, (DHKey check,) encryption, keys", 1) \
	X(SMP_CONFIRM_REFLECTED, "smp.confirm-reflected", DR_ERROR, "Vol 3 Part H 2.3.5.5 (erratum ES-24491)", \
	  "the responder's confirm value equals the initiator's",                                          \
	  "the initiator must abort with Confirm Value Failed (0x04) when the peer reflects its confirm", 1)  \
	/* ---- negotiation ---- */                                                                       \
	X(NEG_KEY_SIZE_RANGE, "negotiation.key-size-range", DR_ERROR, "Vol 3 Part H 3.5.1",                  \
	  "Maximum Encryption Key Size outside 7..16 octets", "announce a maximum key size between 7 and 16", 1) \
	X(NEG_KEY_SIZE_SHORT, "negotiation.key-size-short", DR_INFO, "Vol 3 Part H 2.3.4",                   \
	  "the negotiated encryption key is shorter than 16 octets",                                       \
	  "announce 16 octets on both sides unless a regulation requires less", 0)                        \
	X(NEG_KEY_SIZE_REJECTED, "negotiation.key-size-rejected", DR_WARNING, "Vol 3 Part H 2.3.4, 3.5.5",     \
	  "a device refused the negotiated key size", "announce a maximum key size the peer accepts (16)", 1) \
	X(NEG_DIST_SUPERSET, "negotiation.keydist-superset", DR_ERROR, "Vol 3 Part H 3.5.2, 3.6.1",          \
	  "the Pairing Response requests a key the Pairing Request did not",                               \
	  "the responder must not set a key distribution bit the initiator set to 0", 1)                   \
	X(NEG_MITM_UNATTAINABLE, "negotiation.mitm-unattainable", DR_INFO, "Vol 3 Part H 2.3.5.1, Table 2.8", \
	  "MITM protection requested, but the IO capabilities only allow an unauthenticated method",      \
	  "give the device that lacks input/output a display or keyboard, or use OOB; else expect Just Works", 0) \
	X(NEG_SC_NOT_USED, "negotiation.sc-not-used", DR_ERROR, "Vol 3 Part H 2.3.5.1, 3.5.1",               \
	  "both devices set the SC flag but legacy pairing followed",                                       \
	  "when both AuthReq.SC bits are 1, pair with LE Secure Connections (public keys first)", 1)          \
	X(NEG_LEGACY, "negotiation.legacy", DR_INFO, "Vol 3 Part H 2.3.5.2, 2.3.5.3",                         \
	  "LE legacy pairing: a passive eavesdropper who captured it can derive the STK and keys",        \
	  "enable LE Secure Connections on both devices", 0)                                               \
	X(NEG_METHOD_MISMATCH, "negotiation.method-mismatch", DR_ERROR, "Vol 3 Part H 2.3.5.1, Table 2.8",    \
	  "the devices used another association model than the IO capabilities select",                  \
	  "select the method from Table 2.8 (IO capabilities), Tables 2.6/2.7 (OOB, MITM)", 1)              \
	X(NEG_OOB_ONE_SIDED, "negotiation.oob-one-sided", DR_INFO, "Vol 3 Part H 2.3.5.1, Table 2.6",         \
	  "legacy pairing: only one device has OOB data, so OOB is not used",                              \
	  "provide OOB data on both devices (legacy OOB needs both flags)", 0)                              \
	X(NEG_NO_BONDING, "negotiation.no-bonding", DR_INFO, "Vol 3 Part H 3.5.1 (Bonding_Flags)",             \
	  "only one device asked for bonding: the keys are not stored by both",                          \
	  "set Bonding on both sides when the devices should reconnect encrypted", 0)                     \
	/* ---- key distribution ---- */                                                                 \
	X(KD_NOT_NEGOTIATED, "keydist.not-negotiated", DR_ERROR, "Vol 3 Part H 3.6.1",                       \
	  "a key was distributed that the negotiated key distribution does not allow",                     \
	  "distribute only the keys whose bits are set in both Pairing Request and Pairing Response (their AND); a strict peer answers anything else with Pairing Failed", 1) \
	X(KD_MISSING, "keydist.missing", DR_ERROR, "Vol 3 Part H 3.6.1",                                     \
	  "a key the negotiation requires was never distributed",                                         \
	  "distribute every negotiated key before ending the pairing (and before disconnecting)", 1)        \
	X(KD_ORDER, "keydist.order", DR_WARNING, "Vol 3 Part H 3.6.1",                                       \
	  "keys distributed in the wrong order",                                                           \
	  "the responder sends its keys first, then the initiator; each in the order LTK, EDIV/Rand, IRK, address, CSRK", 1) \
	X(KD_UNENCRYPTED, "keydist.unencrypted", DR_ERROR, "Vol 3 Part H 3.6.1",                             \
	  "a key was sent before the link was encrypted",                                                  \
	  "wait for Encryption Change (enabled) before distributing keys", 1)                               \
	X(KD_BAD_IDENTITY, "keydist.identity-address", DR_ERROR, "Vol 3 Part H 3.6.4; Vol 6 Part B 1.3",        \
	  "Identity Address Information with an address that is not a valid identity address",            \
	  "send the public address (type 0) or the static random address (type 1, two top bits 11)", 1)    \
	/* ---- encryption ---- */                                                                        \
	X(ENC_STK_EDIV_RAND, "encryption.stk-ediv-rand", DR_ERROR, "Vol 3 Part H 2.4.4.1",                   \
	  "encryption with the STK (or SC LTK) during pairing used a non-zero EDIV or Rand",              \
	  "start encryption with EDIV = 0 and Rand = 0 when using the STK", 1)                             \
	X(ENC_FAILED, "encryption.failed", DR_ERROR, "Vol 4 Part E 7.7.8, 7.7.39",                           \
	  "Encryption Change or Key Refresh reported an error",                                           \
	  "check that both sides hold the same key (the reason names what went wrong)", 0)                 \
	X(ENC_LTK_NEG_REPLY, "encryption.ltk-negative-reply", DR_ERROR, "Vol 4 Part E 7.8.26; Vol 6 Part B 5.1.3.1", \
	  "the peripheral's host had no key for the central's encryption request",                       \
	  "the bond was lost on one side: remove it on the other side too and pair again", 1)              \
	X(ENC_KEY_REFRESH, "encryption.key-refresh", DR_INFO, "Vol 4 Part E 7.7.39",                          \
	  "the encryption key of the link was refreshed", "nothing to do", 0)                              \
	X(ENC_NOT_STARTED, "encryption.not-started", DR_ERROR, "Vol 3 Part H 2.4.4",                          \
	  "phase 2 finished but encryption was never started with the STK/LTK",                           \
	  "the central starts encryption (LE Start Encryption) right after phase 2", 1)                    \
	X(ENC_UNKNOWN_KEY, "encryption.unknown-key", DR_ERROR, "Vol 3 Part H 2.4.4.2, 3.6.2, 3.6.3; Vol 6 Part B 5.1.3.1", \
	  "a later encryption used an LTK, EDIV or Rand that the pairing with this peer never distributed",  \
	  "encrypt a reconnection with the LTK, EDIV and Rand the peripheral distributed (legacy) or the pairing's LTK with EDIV = Rand = 0 (Secure Connections); if the keys are stale, delete the bond on both sides and pair again", 0) \
	X(ENC_BOND_LOST, "encryption.bond-lost", DR_ERROR, "Vol 4 Part E 7.8.26; Vol 3 Part H 2.4.4.2",        \
	  "the peripheral's host refused the key of a bond this capture shows it made",                   \
	  "the peripheral lost the bond (erased, reset or never stored): delete the bond on both sides and pair again", 0) \
	X(ENC_KEY_MISSING, "encryption.key-missing", DR_ERROR, "Vol 4 Part E 7.7.8; Vol 1 Part F 2.6; Vol 6 Part B 5.1.3.1", \
	  "encryption with a stored key failed with PIN or Key Missing (0x06): the peer has no key for it",  \
	  "the bond was lost on one side: delete the bond on both sides and pair again", 0)                 \
	/* ---- timing ---- */                                                                            \
	X(TIMING_SMP_TIMEOUT, "timing.smp-timeout", DR_ERROR, "Vol 3 Part H 3.4",                            \
	  "SMP traffic went on after more than 30 s without an SMP PDU in the procedure",                 \
	  "after the 30 s SMP timeout no more SMP PDUs may be sent on that link; reconnect and pair again", 1) \
	X(TIMING_SILENCE, "timing.long-silence", DR_INFO, "Vol 3 Part H 3.4",                                 \
	  "a long pause (over 10 s) inside a pairing", "keep user interaction short: the SMP timer is 30 s", 0) \
	/* ---- randomness ---- */                                                                        \
	X(RANDOM_PATTERN, "random.pattern", DR_WARNING, "Vol 3 Part H 2.3.5.5, 2.4.1, 2.4.2; Vol 2 Part H 2",  \
	  "a key or random value that is a constant pattern, not random",                                 \
	  "generate keys and randoms with the controller's or OS's random generator (HCI LE Rand / getrandom), never test patterns", 0) \
	X(RANDOM_REUSED, "random.reused", DR_WARNING, "Vol 3 Part H 2.4.1, 2.4.2; Vol 2 Part H 2",            \
	  "the same key or random value appears twice",                                                   \
	  "generate each key and random value independently and freshly for every pairing", 0)           \
	/* ---- crypto ---- */                                                                            \
	X(CRYPTO_CONFIRM_MISMATCH, "crypto.confirm-mismatch", DR_ERROR, "Vol 3 Part H 2.2.3, 2.3.5.5",        \
	  "a confirm value does not match c1 of the random value sent later",                             \
	  "compute the confirm with c1(TK, rand, preq, pres, iat, ia, rat, ra) over the PDUs and addresses actually used", 1) \
	X(CRYPTO_STK_MISMATCH, "crypto.stk-mismatch", DR_ERROR, "Vol 3 Part H 2.2.4, 2.4.4.1",               \
	  "the key given to the controller is not STK = s1(TK, Srand, Mrand)",                            \
	  "encrypt the link with s1(TK, Srand, Mrand) (masked to the negotiated key size)", 1)            \
	X(CRYPTO_PASSKEY_RECOVERED, "crypto.passkey-recovered", DR_INFO, "Vol 3 Part H 2.3.5.3",               \
	  "the passkey of a legacy Passkey Entry pairing was recovered from the capture",               \
	  "use LE Secure Connections: legacy passkeys fall to a search of 1,000,000 values", 0)           \
	/* ---- HCI and L2CAP context ---- */                                                            \
	X(HCI_INIT_INCOMPLETE, "hci.init-incomplete", DR_WARNING, "Vol 4 Part E 4.1, 7.4.5, 7.8.2",            \
	  "after HCI Reset the host sent ACL data without reading the controller's buffer sizes",        \
	  "the adapter was not fully brought up: power it off and on again (bluetoothctl power off, power on) and retry", 0) \
	X(HCI_COMMAND_FAILED, "hci.command-failed", DR_WARNING, "Vol 4 Part E 7.7.14, 7.7.15; Vol 1 Part F", \
	  "an HCI command failed", "see the status code: the controller refused the command", 1)          \
	X(HCI_CONNECT_FAILED, "hci.connect-failed", DR_WARNING, "Vol 4 Part E 7.7.65.1; Vol 1 Part F",         \
	  "an LE connection attempt failed", "see the status code", 0)                                      \
	X(HCI_DISCONNECT, "hci.disconnect", DR_INFO, "Vol 4 Part E 7.7.5; Vol 1 Part F",                      \
	  "a link was disconnected", "see the reason", 0)                                                  \
	X(HCI_DISCONNECT_SECURITY, "hci.disconnect-security", DR_ERROR, "Vol 4 Part E 7.7.5; Vol 1 Part F 2.5, 2.6, 2.61", \
	  "a link was dropped for a security reason (authentication failure, key missing, MIC failure)", \
	  "both sides must hold the same keys: remove the bond on both and pair again", 1)                 \
	X(L2CAP_RESPONSE_IDENT, "l2cap.response-ident", DR_WARNING, "Vol 3 Part A 4",                          \
	  "an L2CAP signaling response whose identifier matches no pending request",                      \
	  "a response must carry the identifier of the request it answers", 0)                             \
	X(L2CAP_IDENT_ZERO, "l2cap.ident-zero", DR_WARNING, "Vol 3 Part A 4",                                  \
	  "an L2CAP signaling request with identifier 0", "identifier 0x00 is illegal; use 1..255", 0)       \
	X(L2CAP_CONN_PARAM_RANGE, "l2cap.conn-param-range", DR_WARNING, "Vol 3 Part A 4.20; Vol 4 Part E 7.8.18", \
	  "Connection Parameter Update Request with values out of range",                                 \
	  "interval 6..3200 (min <= max), latency 0..499, timeout 10..3200 and timeout > (1 + latency) * max interval * 2", 0) \
	X(L2CAP_COMMAND_REJECT, "l2cap.command-reject", DR_INFO, "Vol 3 Part A 4.1",                           \
	  "an L2CAP signaling command was rejected", "see the reason", 0)                                  \
	/* ---- Secure Connections ---- */                                                               \
	X(SC_DEBUG_KEY, "sc.debug-key", DR_WARNING, "Vol 3 Part H 2.3.5.6.1",                                  \
	  "a Secure Connections debug public key is in use: the traffic can be decrypted by anyone",     \
	  "turn off SC debug mode outside the lab", 1)                                                     \
	X(SC_BAD_PUBLIC_KEY, "sc.public-key-invalid", DR_ERROR, "Vol 3 Part H 2.3.5.6.1",                     \
	  "a public key that is not a point on P-256", "validate and send a real P-256 point", 1)           \
	X(SC_REFLECTED_KEY, "sc.public-key-reflected", DR_ERROR, "Vol 3 Part H 2.3.5.6.1 (CVE-2020-26558)",     \
	  "the peer sent back the same public key", "abort when the peer's public key equals one's own", 1) \
	X(SC_DHKEY_CHECK, "sc.dhkey-check-failed", DR_ERROR, "Vol 3 Part H 2.3.5.6.5",                         \
	  "a DHKey check failed", "both sides must compute f5/f6 over the same nonces, IO capabilities and addresses", 1) \
	X(SC_PASSKEY_ROUNDS, "sc.passkey-rounds", DR_ERROR, "Vol 3 Part H 2.3.5.6.3",                           \
	  "Secure Connections Passkey Entry did not run exactly 20 rounds", "run one confirm/random round per passkey bit, 20 in all", 1) \
	/* ---- pairing outcome ---- */                                                                  \
	X(PAIRING_FAILED, "pairing.failed", DR_ERROR, "Vol 3 Part H 3.5.5",                                    \
	  "the pairing failed (Pairing Failed)", "see the probable cause", 0)                               \
	X(PAIRING_TIMEOUT, "pairing.timeout", DR_ERROR, "Vol 3 Part H 3.4",                                     \
	  "the pairing stopped without completing (SMP timeout)", "see the probable cause", 0)             \
	X(PAIRING_DISCONNECTED, "pairing.disconnected", DR_ERROR, "Vol 3 Part H 3.4; Vol 4 Part E 7.7.5",       \
	  "the link was dropped before the pairing completed", "see the probable cause and the disconnect reason", 0) \
	X(PAIRING_INCOMPLETE, "pairing.incomplete", DR_INFO, "-",                                               \
	  "the capture ends before the pairing does", "capture longer", 0)

enum dr_rule {
#define DR_RULE_ENUM(e, id, sev, spec, line, fix, rej) DR_##e,
	DR_RULES(DR_RULE_ENUM)
#undef DR_RULE_ENUM
	DR_NRULES
};

struct dr_rule_info {
	const char *id;
	int sev; /* enum ps_doctor_sev */
	const char *spec;
	const char *line;
	const char *fix;
	bool rejectable;
};
extern const struct dr_rule_info dr_rules[DR_NRULES];
const char *dr_sev_name(int sev);

#endif
