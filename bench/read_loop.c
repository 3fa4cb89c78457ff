/* Benchmark helper: the cost of reading alone. Iterates every frame of a capture through ps_trace_next
 * and prints "frames bytes damage"; run.sh times it. Built by run.sh against the build's libraries. */
#include <pairscope/trace.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: read_loop CAPTURE\n");
		return 2;
	}
	struct ps_trace *t;
	char err[512];
	if (ps_trace_open(&t, argv[1], NULL, err, sizeof err) < 0) {
		fprintf(stderr, "read_loop: %s\n", err);
		return 2;
	}
	struct ps_frame f;
	unsigned long long frames = 0, bytes = 0;
	int rc;
	while ((rc = ps_trace_next(t, &f)) == 0) {
		frames++;
		bytes += f.len;
	}
	printf("%llu %llu %u\n", frames, bytes, ps_trace_damage(t));
	ps_trace_free(t);
	return rc == -PS_EOF ? 0 : 1;
}
