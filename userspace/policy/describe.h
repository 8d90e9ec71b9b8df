/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The catalogue in words and in JSON, shared by `policy check`, `policy
 * show` and `rbictl catalog`, so that an entry or a catalogue source reads
 * the same everywhere (and the audit log can carry the same JSON).
 */
#ifndef RBI_DESCRIBE_H
#define RBI_DESCRIBE_H

#include "util/buf.h"
#include "util/json.h"
#include "policy/policy.h"

/*
 * One line for a catalogue source: "built-in 2026.12.1 (2026-12-06),
 * sha256 <hex>, 11 files, unsigned".
 */
void rbi_catalog_describe(const struct rbi_catalog *c, struct rbi_buf *out);

/* The catalogues p uses, as a JSON array, each with its files' digests. */
void rbi_catalogs_json(const struct rbi_policy *p, struct rbi_json *j);

/*
 * One entry as a JSON object: its identity, categories, names, networks,
 * ports, shared and confidence; with detail, every fact's evidence, the
 * operations, lifecycle dates and test names as well.
 */
void rbi_service_json(const struct rbi_policy *p, const struct rbi_service *s,
		      bool detail, struct rbi_json *j);
void rbi_exclusion_json(const struct rbi_exclusion *x, struct rbi_json *j);

/* A JSON array of the bits of set, named by name(i) for i < max. */
void rbi_json_bits(struct rbi_json *j, const char *key, uint32_t bits,
		   const char *(*name)(unsigned int), unsigned int max);
const char *rbi_cat_word(unsigned int i);

/* "554,443", "8800/udp": a port list as the policy writes it. */
void rbi_ports_text(const struct rbi_port_range *v, size_t n,
		    struct rbi_buf *out);

/* The newest retrieved date among an entry's evidence, or "". */
const char *rbi_service_newest(const struct rbi_service *s);

#endif
