/* pairscope controller: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_controller(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope controller: not built yet\n");
	return 2;
}
