/* pairscope demo: the seed's data, embedded. */
#ifndef PS_DEMO_H
#define PS_DEMO_H

extern const char ps_demo_seed_mail[];
extern const unsigned long ps_demo_seed_mail_len;

#endif
