/* The pairscope CLI: one file per subcommand, each an entry point with argv after the subcommand name.
 * Exit codes everywhere: 0 success, 1 the input was damaged or findings/failures, 2 usage or unreadable input. */
#ifndef PS_CLI_H
#define PS_CLI_H

#define PS_CLI_SUBCOMMANDS(X)                                                       \
	X(decode, "print a capture as btmon does (or --summary, --json)")          \
	X(convert, "write a capture as btsnoop or pcap")                           \
	X(crypto, "run one SMP / LE crypto function on hex arguments")              \
	X(doctor, "diagnose every pairing in a capture")                           \
	X(crack, "recover LE legacy pairing keys and decrypt a sniffer capture")   \
	X(controller, "run virtual LE controllers on a shared simulated link")     \
	X(pair, "pair two virtual devices (or one over a real transport)")         \
	X(demo, "the seed's story, end to end")

#define PS_CLI_DECL(name, help) int ps_cmd_##name(int argc, char **argv);
PS_CLI_SUBCOMMANDS(PS_CLI_DECL)
#undef PS_CLI_DECL

#endif
