/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shared between the files that make up the policy loader. */
#ifndef RBI_POLICY_INT_H
#define RBI_POLICY_INT_H

#include "util/sha256.h"
#include "util/grow.h"
#include "policy/policy.h"
#include "policy/schema.h"
#include "policy/yaml.h"

void rbi_loc_set(struct rbi_loc *loc, const char *file,
		 const struct rbi_ynode *n);
/* A diagnostic at loc. */
void rbi_pdiag(struct rbi_diags *d, enum rbi_diag_level level,
	       const struct rbi_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Fills p->rules and the id indexes; false when out of memory. */
bool rbi_policy_finish(struct rbi_policy *p);
/* The checks on content: duplicates, overlaps, the prohibition. */
bool rbi_policy_check(const struct rbi_policy *p, unsigned int flags,
		      struct rbi_diags *diags);

/* The classifier configuration; NULL with a located error on failure. */
struct rbi_config *rbi_policy_compile(const struct rbi_policy *p,
				      struct rbi_diags *diags);

/* Adds a file (taking text) to the policy's file list, with its digest. */
struct rbi_file *rbi_policy_add_file(struct rbi_policy *p, const char *path,
				     char *text, size_t len);
/* Reads a whole regular file; NULL with a diagnostic naming it. */
char *rbi_read_file(const char *path, size_t *len, struct rbi_diags *diags);

/* Typed reads shared by the policy and the catalogue files. */

/* A name or id: letters, digits, '-', '_', '.'; what it is for messages. */
bool rbi_check_id(const struct rbi_yctx *y, const struct rbi_ynode *n,
		  const char *s, const char *what);
/* A required id (or name) under key, checked as rbi_check_id does. */
bool rbi_yget_id(const struct rbi_yctx *y, const struct rbi_ynode *map,
		 const char *key, char **out, const char *what);
/* Whether two port lists (none: any port) share a port and protocol. */
bool rbi_ports_meet(const struct rbi_port_range *a, size_t na,
		    const struct rbi_port_range *b, size_t nb);
/* A list of words into a bit set; unknown words are errors. */
bool rbi_read_words(const struct rbi_yctx *y, const struct rbi_ynode *map,
		    const char *key, const char *noun,
		    const char *const *words, uint32_t *bits, bool required);
bool rbi_read_nets(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   bool required, struct rbi_network **out, size_t *n_out);
/* Ports, each "554", "8000-8100", or with l4 "8800/udp" if l4 is true. */
bool rbi_read_ports(const struct rbi_yctx *y, const struct rbi_ynode *map,
		    bool l4, struct rbi_port_range **out, size_t *n_out);
/* key in map when it is a list (else NULL, with an error if not null). */
bool rbi_read_seq(const struct rbi_yctx *y, const struct rbi_ynode *map,
		  const char *key, struct rbi_ynode **seq);
/* A date YYYY-MM-DD into out ("" when absent and not required). */
bool rbi_read_date(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, char out[11], bool required);

/*
 * Reads a list of mappings with fn onto the end of the array of *n, grown
 * once for the whole list (what it holds is at least *n).
 */
#define RBI_READ_LIST(y, seq, arr, n, fn, ...)				\
	({								\
		size_t __i, __base = *(n), __cap = __base;		\
		bool __grown = !rbi_grow_to((arr), &__cap,		\
					    __base + (seq)->n_kids + 1,	\
					    sizeof(**(arr)));		\
		bool __ok = __grown;					\
		for (__i = 0; __grown && __i < (seq)->n_kids; __i++) {	\
			__ok &= fn(y, (seq)->kids[__i],			\
				   &(*(arr))[__base + __i], ##__VA_ARGS__);\
			*(n) = __base + __i + 1;			\
		}							\
		__ok;							\
	})

/* The catalogue files (catalog.c). */

/* The keys of a catalogue file: services, resolvers, exclusions, release. */
bool rbi_catalog_read_file(struct rbi_policy *p, const struct rbi_yctx *y,
			   const struct rbi_ynode *root, size_t source);
/* The policy's own catalog.services. */
bool rbi_catalog_read_local(struct rbi_policy *p, const struct rbi_yctx *y,
			    const struct rbi_ynode *cat);
/* The policy's catalog.operator-names, once every catalogue is read. */
bool rbi_catalog_read_listed(struct rbi_policy *p, const struct rbi_yctx *y,
			     const struct rbi_ynode *cat);
/*
 * After every catalogue and the policy are read: sets each entry's shared
 * and confidence, refuses entries that mix shared and dedicated names, and
 * moves retired entries out of the enforced ones.
 */
bool rbi_catalog_settle(struct rbi_policy *p, struct rbi_diags *diags);
void rbi_service_free(struct rbi_service *s);
void rbi_exclusion_free(struct rbi_exclusion *x);

/* Catalogue sources, their files and manifests (source.c). */

/* Adds a source (path copied) and returns its index, or RBI_LOCAL. */
size_t rbi_catalog_add(struct rbi_policy *p, enum rbi_catalog_kind kind,
		       const char *path);
/*
 * Once a source's files are read: its manifest digest, and (if signature)
 * the check of its signed manifest against the trusted keys (n_keys of
 * them, may be 0). at locates errors about the source as a whole.
 */
struct rbi_audit_key;
bool rbi_catalog_seal(struct rbi_policy *p, size_t source,
		      const struct rbi_audit_key *keys, size_t n_keys,
		      bool signature, const struct rbi_loc *at,
		      struct rbi_diags *diags);

#endif
