/* pairscope: dispatch to a subcommand. */
#include "cli.h"
#include <stdio.h>
#include <string.h>

struct subcommand {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
#define PS_CLI_ENTRY(name, help) { #name, help, ps_cmd_##name },
	PS_CLI_SUBCOMMANDS(PS_CLI_ENTRY)
#undef PS_CLI_ENTRY
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pairscope COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(f, "  %-11s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(f, "\n'pairscope COMMAND --help' tells more.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "pairscope: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
