/* Compatibility: the doctor's public API lives in <pairscope/doctor.h> (tools/pairscope/cmd_demo.c still
 * includes this path). */
#include <pairscope/doctor.h>
