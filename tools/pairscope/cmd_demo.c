/* pairscope demo: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope demo: not built yet\n");
	return 2;
}
