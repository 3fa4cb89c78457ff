/* Helpers shared by the doctor's text and JSON reports. */
#ifndef PS_DOCTOR_REPORT_INT_H
#define PS_DOCTOR_REPORT_INT_H

#include "doctor/doctor_int.h"
#include <stdio.h>
#include <stdlib.h>

/* Findings of pairing pi (-1: the top level, including findings of hidden pairings), errors first,
 * then by frame. malloc'd array of pointers (free it); *n gets the count. */
const struct dr_finding **dr_sorted_findings(const struct ps_doctor *d, int32_t pi, size_t *n);
const char *dr_outcome_name(enum dr_outcome o);
const char *dr_cstat_name(enum dr_cstat c);
const char *dr_key_name(uint8_t code);
uint64_t dr_le64(const uint8_t *p);

#endif
