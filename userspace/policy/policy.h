/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The policy model: one in-memory form of a policy file and the catalogue
 * it includes, which every consumer (the nftables compiler, the module
 * configuration, the capture scanner, audit records) reads. There is no
 * second parser.
 */
#ifndef RBI_POLICY_H
#define RBI_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rbi_addr.h"
#include "policy/diag.h"
#include "rbi_item.h"
#include "rbi_verdict.h"

#define RBI_POLICY_DEFAULT_PATH	"/etc/rbiblock/policy.yaml"
#define RBI_POLICY_BUILTIN	"built-in"

/* Where in which file something was written, for messages. */
struct rbi_loc {
	const char *file;	/* owned by the policy's file list */
	unsigned int line;
	unsigned int col;
};

struct rbi_port_range {
	uint16_t lo;
	uint16_t hi;
};

struct rbi_network {
	struct rbi_prefix prefix;
	struct rbi_loc loc;
};

struct rbi_zone {
	char *name;
	bool public;
	struct rbi_network *nets;
	size_t n_nets;
	struct rbi_loc loc;
};

struct rbi_recorder {
	char *name;
	struct rbi_network *nets;
	size_t n_nets;
	struct rbi_port_range *ports;	/* none: any port */
	size_t n_ports;
	struct rbi_loc loc;
};

struct rbi_pattern {
	char *text;
	struct rbi_loc loc;
};

enum rbi_service_kind {
	RBI_KIND_SERVICE,	/* a biometric service */
	RBI_KIND_DOH,		/* a DNS-over-HTTPS resolver */
	__RBI_KIND_MAX
};

struct rbi_service {
	enum rbi_service_kind kind;
	char *id;
	char *provider;
	char *product;
	uint32_t categories;	/* RBI_CAT_BIT() set */
	bool shared;
	bool unconfirmed;
	struct rbi_pattern *names;
	size_t n_names;
	struct rbi_network *nets;
	size_t n_nets;
	struct rbi_port_range *ports;	/* none: any port */
	size_t n_ports;
	char **sources;
	size_t n_sources;
	char *notes;
	bool local;		/* from the policy's own catalog.services */
	struct rbi_loc loc;
};

enum rbi_timing {
	RBI_TIMING_REAL_TIME = 1 << 0,
	RBI_TIMING_POST = 1 << 1,
};

enum rbi_actor {
	RBI_ACTOR_PUBLIC = 1 << 0,
	RBI_ACTOR_PRIVATE = 1 << 1,
};

/* A rule of the policy: what it blocks and the legal text behind it. */
struct rbi_rule_info {
	enum rbi_rule rule;
	const char *id;
	const char *what;	/* one sentence */
	char *basis;
	bool active;		/* enforced by this policy */
};

struct rbi_file {
	char *path;		/* as shown in messages */
	char *text;
	size_t len;
};

/* Which entry a pattern or network id of the compiled form stands for. */
struct rbi_policy_ref {
	const struct rbi_service *svc;
	uint32_t item;		/* index into svc->names or svc->nets */
};

struct rbi_policy {
	/* The policy file first, then each catalogue file, in load order. */
	struct rbi_file *files;
	size_t n_files, cap_files;
	char sha256_hex[65];		/* of the policy file's bytes */
	char catalog_sha256_hex[65];	/* of the catalogue files, in order */

	char *name;
	char *basis;
	uint32_t prohibited;		/* RBI_CAT_BIT() set */
	uint32_t timing;		/* enum rbi_timing bits */
	uint32_t actors;		/* enum rbi_actor bits */
	size_t n_exceptions;
	struct rbi_loc prohibit_loc;

	struct rbi_zone *zones;
	size_t n_zones;
	struct rbi_recorder *recorders;
	size_t n_recorders;
	/* Catalogue services, then the policy's local services. */
	struct rbi_service *services;
	size_t n_services;
	struct rbi_service *doh;	/* DNS-over-HTTPS resolvers */
	size_t n_doh;

	uint8_t mode[__RBI_ENF_MAX];	/* enum rbi_mode */
	bool fail_closed;
	struct rbi_loc mode_loc[__RBI_ENF_MAX];
	struct rbi_loc on_failure_loc;

	struct {
		char *dir;
		char *origin;
		char *key;
		unsigned int heartbeat;	/* seconds */
		unsigned int retention;	/* seconds */
	} audit;

	struct rbi_rule_info rules[__RBI_RULE_MAX];

	/* The policy as the classifier runs it, built at load. */
	struct rbi_config *config;

	/* Indexed by pattern id and network id (see rbi_policy_compile). */
	struct rbi_policy_ref *pattern_refs;
	size_t n_pattern_refs;
	struct rbi_policy_ref *net_refs;
	size_t n_net_refs;
};

enum rbi_policy_flags {
	/* Skip the prohibition checks (scan: analyse whatever policy). */
	RBI_POLICY_NO_PROHIBITION = 1 << 0,
};

/*
 * Loads path, or the built-in default when path is NULL. Returns NULL with
 * errors in diags when the policy is invalid; warnings are added to diags
 * either way.
 */
struct rbi_policy *rbi_policy_load(const char *path, unsigned int flags,
				   struct rbi_diags *diags);
/* Same, from text in memory; file is the name used in messages. */
struct rbi_policy *rbi_policy_load_text(const char *file, const char *text,
					size_t len, unsigned int flags,
					struct rbi_diags *diags);
void rbi_policy_free(struct rbi_policy *p);

/*
 * The path rbictl uses when no -p is given: /etc/rbiblock/policy.yaml if it
 * exists, else NULL for the built-in default.
 */
const char *rbi_policy_default_path(void);

/*
 * What rbictl's commands and the daemon load: path, else the default path,
 * else the built-in default, with the diagnostics printed to f. NULL when
 * the policy is invalid.
 */
struct rbi_policy *rbi_policy_load_report(const char *path,
					  unsigned int flags, FILE *f);

/* Total name patterns and service networks, for sizing. */
void rbi_policy_counts(const struct rbi_policy *p, struct rbi_config_counts *n);

typedef int (*rbi_item_fn)(void *ctx, const struct rbi_item *it);

/*
 * Walks the model in configuration order and hands each item to emit: the
 * one mapping from the model to the classifier, whether the items build a
 * local rbi_config or travel to the kernel module. Stops at the first
 * error emit returns, which is returned with a located message in diags.
 */
int rbi_policy_items(const struct rbi_policy *p, rbi_item_fn emit, void *ctx,
		     struct rbi_diags *diags);

/*
 * Pattern ids number the name patterns of every service, then of every
 * resolver, in order; network ids number the services' networks. Lookups
 * by id are O(1) through pattern_refs and net_refs.
 */
const struct rbi_policy_ref *rbi_policy_pattern(const struct rbi_policy *p,
						uint32_t pattern_id);
const struct rbi_policy_ref *rbi_policy_net(const struct rbi_policy *p,
					    uint32_t net_id);

/*
 * The index of the service whose id is id[0..len), or RBI_NONE: what was
 * learned for a service under one policy, kept under the next.
 */
uint32_t rbi_policy_service_by_id(const struct rbi_policy *p, const char *id,
				  size_t len);

#endif
