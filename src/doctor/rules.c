/* Doctor rules registry (the table behind `pairscope doctor --rules`): rows from rules.h. */
#include "doctor/rules.h"
#include <string.h>

const struct dr_rule_info dr_rules[DR_NRULES] = {
#define DR_RULE_ROW(e, id, sev, spec, line, fix, rej) [DR_##e] = { id, sev, spec, line, fix, rej },
	DR_RULES(DR_RULE_ROW)
#undef DR_RULE_ROW
};

const char *dr_sev_name(int sev)
{
	switch (sev) {
	case PS_DOCTOR_ERROR:
		return "error";
	case PS_DOCTOR_WARNING:
		return "warning";
	default:
		return "info";
	}
}
