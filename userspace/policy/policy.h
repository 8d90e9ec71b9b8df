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
	uint8_t l4;		/* RBI_L4_TCP or RBI_L4_UDP; 0: both */
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

/*
 * A DNS resolver the cameras use. Once a policy names its resolvers, DNS
 * from public zones to any other server is what dns-over-https says of
 * unseen DNS, and no answer may teach a resolver's address as a service.
 */
struct rbi_resolver {
	char *name;
	struct rbi_network *nets;
	size_t n_nets;
	struct rbi_loc loc;
};

/* A string with the place it was written. */
struct rbi_text {
	char *s;
	struct rbi_loc loc;
};

/* What a piece of evidence is: only the vendor's own words confirm. */
enum rbi_evidence_kind {
	RBI_EV_VENDOR_DOCS,	/* the vendor's documentation or site */
	RBI_EV_VENDOR_SDK,	/* source code the vendor publishes */
	RBI_EV_CLIENT_CODE,	/* third parties' code that calls it */
	RBI_EV_THIRD_PARTY,	/* other third-party text */
	__RBI_EV_MAX
};

/* Public evidence, as an auditor can look it up again. */
struct rbi_evidence {
	char *id;		/* cited by this id within its entry */
	enum rbi_evidence_kind kind;
	char *url;		/* a URL, or a repository and a path in it */
	char *repo;		/* owner/name */
	char *path;
	char retrieved[11];	/* YYYY-MM-DD */
	char *shows;		/* what it shows */
	struct rbi_loc loc;
};

/* The evidence a fact cites: indexes into its entry's evidence. */
struct rbi_cites {
	size_t *v;
	size_t n;
};

struct rbi_pattern {
	char *text;
	struct rbi_loc loc;
	bool shared;		/* the host also serves other APIs */
	bool unconfirmed;	/* no vendor evidence, or said so */
	bool listed;		/* from the policy's catalog.operator-names */
	struct rbi_cites ev;
};

/* A category a service offers, and the operation that provides it. */
struct rbi_service_cat {
	enum rbi_category cat;
	char *operation;
	struct rbi_cites ev;
	struct rbi_loc loc;
};

enum rbi_lifecycle_status {
	RBI_LIFE_ACTIVE,
	RBI_LIFE_CLOSED,	/* closed to new customers */
	RBI_LIFE_RETIRED,	/* gone: kept for the record, not enforced */
	__RBI_LIFE_MAX
};

struct rbi_lifecycle {
	enum rbi_lifecycle_status status;
	char since[11];		/* when the status began; "" unknown */
	char retires[11];	/* an announced end; "" none */
	struct rbi_cites ev;
	struct rbi_loc loc;
};

/*
 * Names the catalogue cannot know but the operator can, such as Azure
 * resource names: the policy lists labels that take the place of "{}".
 */
struct rbi_operator_names {
	char *pattern;		/* "{}.cognitiveservices.azure.com" */
	char *what;		/* what the operator lists */
	struct rbi_cites ev;
	struct rbi_loc loc;
};

enum rbi_service_kind {
	RBI_KIND_SERVICE,	/* a biometric service */
	RBI_KIND_DOH,		/* a DNS-over-HTTPS resolver */
	__RBI_KIND_MAX
};

/* A source index: the policy itself (too wide for an enum). */
#define RBI_LOCAL	((size_t)-1)

struct rbi_service {
	enum rbi_service_kind kind;
	char *id;
	char *provider;
	char *product;
	char *company;		/* the operating company */
	char *jurisdiction;	/* its country, ISO 3166-1 alpha-2 */
	uint32_t categories;	/* RBI_CAT_BIT() set */
	struct rbi_service_cat *cats;
	size_t n_cats;
	/* Enforced per entry: every name and network agrees. */
	bool shared;
	bool unconfirmed;	/* some name or network is */
	struct rbi_pattern *names;
	size_t n_names;
	struct rbi_network *nets;
	size_t n_nets;
	struct rbi_port_range *ports;	/* none: any port */
	size_t n_ports;
	struct rbi_cites nets_ev;	/* for networks and ports */
	bool nets_unconfirmed;
	struct rbi_evidence *evidence;
	size_t n_evidence;
	struct rbi_lifecycle life;
	struct rbi_operator_names *listed;	/* NULL: none */
	struct rbi_text *must_match;	/* names the entry must match */
	size_t n_must_match;
	struct rbi_text *must_not_match;
	size_t n_must_not_match;
	char **sources;		/* free text, before structured evidence */
	size_t n_sources;
	char *notes;
	bool local;		/* from the policy's own catalog.services */
	size_t source;		/* index into catalogs, or RBI_LOCAL */
	struct rbi_loc loc;
};

/* Non-remote uses the catalogue leaves out, and why. */
enum rbi_exclusion_use {
	RBI_USE_LIVENESS,		/* is a live person presenting? */
	RBI_USE_VERIFICATION,		/* one-to-one: is this that person? */
	RBI_USE_DEVICE_UNLOCK,
	__RBI_USE_MAX
};

struct rbi_exclusion {
	char *id;
	char *provider;
	char *product;
	uint32_t uses;		/* enum rbi_exclusion_use bits */
	struct rbi_pattern *names;
	size_t n_names;
	char *reason;		/* the prohibition's own words */
	char *reason_source;	/* where those words are */
	char *applies;		/* why they apply to this product */
	struct rbi_evidence *evidence;
	size_t n_evidence;
	struct rbi_text *not_blocked;	/* names no entry may match */
	size_t n_not_blocked;
	size_t source;
	struct rbi_loc loc;
};

enum rbi_catalog_kind {
	RBI_CATALOG_BUILTIN,	/* compiled into rbictl */
	RBI_CATALOG_DIR,
	RBI_CATALOG_FILE,
	__RBI_CATALOG_MAX
};

/* One catalogue the policy uses: the built-in one or an included one. */
struct rbi_catalog {
	enum rbi_catalog_kind kind;
	char *path;
	char *version;		/* from its release: NULL when it has none */
	char *date;
	char *maintainer;
	struct rbi_loc release_loc;
	/* SHA-256 of its manifest: every file's name and digest. */
	char sha256_hex[65];
	char *signer;		/* trusted keys that signed it; NULL: none */
	char *unchecked;	/* a signature by a key the policy lacks */
	size_t first_file;	/* its files in the policy's file list */
	size_t n_files;
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
	char sha256_hex[65];
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
	struct rbi_resolver *resolvers;
	size_t n_resolvers;
	/* Catalogue services, then the policy's local services. */
	struct rbi_service *services;
	size_t n_services;
	struct rbi_service *doh;	/* DNS-over-HTTPS resolvers */
	size_t n_doh;
	struct rbi_service *retired;	/* kept for the record only */
	size_t n_retired;
	struct rbi_exclusion *exclusions;
	size_t n_exclusions;
	struct rbi_catalog *catalogs;	/* in load order */
	size_t n_catalogs;
	bool replaces_builtin;		/* catalog.replace-builtin */

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
	/* Leave catalogue signatures alone (catalog sign writes a new one). */
	RBI_POLICY_NO_SIGNATURE = 1 << 1,
};

/*
 * A catalogue alone, as `rbictl catalog` reads it: the directory or file
 * at path, or the built-in catalogue when path is NULL or "builtin". The
 * result is a policy with no zones, so that the same model and compiled
 * classifier serve both. trusted (n_trusted) are verifier key files its
 * signature is checked against, relative to the working directory; flags
 * as for rbi_policy_load (RBI_POLICY_NO_SIGNATURE).
 */
struct rbi_policy *rbi_catalog_load(const char *path,
				    const char *const *trusted,
				    size_t n_trusted, unsigned int flags,
				    struct rbi_diags *diags);
/* The word that names the built-in catalogue in catalog.include. */
#define RBI_CATALOG_BUILTIN_WORD	"builtin"

/* Names of the enums above, for output: NULL outside them. */
const char *rbi_evidence_kind_name(enum rbi_evidence_kind k);
const char *rbi_lifecycle_name(enum rbi_lifecycle_status s);
const char *rbi_exclusion_use_name(enum rbi_exclusion_use u);
const char *rbi_catalog_kind_name(enum rbi_catalog_kind k);

/* Whether s is a real calendar date written YYYY-MM-DD. */
bool rbi_date_valid(const char *s);

/* "554", "8000-8100", "8800/udp": a port range as the policy writes it. */
void rbi_port_range_format(const struct rbi_port_range *r, char *buf,
			   size_t len);

/* The exclusion with id, or NULL. */
const struct rbi_exclusion *rbi_policy_exclusion(const struct rbi_policy *p,
						 const char *id);

/* The service or resolver (or retired entry) with id, or NULL. */
const struct rbi_service *rbi_policy_entry(const struct rbi_policy *p,
					   const char *id);

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
