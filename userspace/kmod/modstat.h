/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rbiblock.ko's state as `rbictl status` shows it: the configuration it
 * holds (generation, policy sha256 and whether that is the policy applied
 * to the ruleset), its counters, the events it held back, and the
 * addresses it learned from DNS answers; in text and in JSON.
 */
#ifndef RBI_MODSTAT_H
#define RBI_MODSTAT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/json.h"
#include "kmod/modctl.h"

struct rbi_modstat {
	struct rbi_modctl_status st;
	struct rbi_modctl_learned *learned;
	size_t n_learned;
	bool learned_cut;	/* more than RBI_MODSTAT_LEARNED_MAX */
	/* The policy sha256 the ruleset was applied with ("" unknown). */
	char applied[RBI_SHA256_HEX + 1];
};

enum {
	RBI_MODSTAT_LEARNED_MAX = 65536,	/* addresses listed */
	RBI_MODSTAT_TEXT_LEARNED = 20,		/* of them, in text */
};

/*
 * Reads the module's state in the caller's namespace; applied is the
 * policy sha256 of the ruleset. 0, or a negative errno with err set
 * (-ENOENT: the module is not loaded).
 */
int rbi_modstat_read(struct rbi_modstat *ms, const char *applied, char *err,
		     size_t errlen);
void rbi_modstat_free(struct rbi_modstat *ms);

/* The module holds a configuration, and it is the applied policy's. */
bool rbi_modstat_in_step(const struct rbi_modstat *ms);

void rbi_modstat_text(const struct rbi_modstat *ms);
/*
 * The counters, by rbiblock.ko's names: its own, or the queue backend's,
 * which counts alike. JSON: a "counters" key and its object.
 */
void rbi_modstat_counters_text(const uint64_t *stats);
void rbi_modstat_counters_json(struct rbi_json *j, const uint64_t *stats);
/* The value of a "module_state" key: an object. */
void rbi_modstat_json(const struct rbi_modstat *ms, struct rbi_json *j);

#endif
