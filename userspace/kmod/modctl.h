/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The client of rbiblock.ko: its generic netlink family "rbiblock"
 * (module/uapi/rbiblock.h) through libmnl. It pushes a policy model as one
 * configuration transaction, reads status and the learned addresses, and
 * reads the events the module multicasts for the flows it blocks or marks
 * for logging.
 *
 * Every call works in the caller's network namespace. Errors come back as
 * a negative errno with a sentence in err: the kernel's extack message
 * when it sent one, naming the item it refused.
 */
#ifndef RBI_MODCTL_H
#define RBI_MODCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "util/nl.h"

#include "policy/policy.h"
#include "rbi_verdict.h"
#include "rbiblock.h"

struct rbi_modctl;

/* Whether rbiblock.ko is loaded in this kernel (its sysfs directory). */
bool rbi_module_loaded(void);

enum {
	/* Bytes of a request buffer for rbi_modctl_msg(). */
	RBI_MODCTL_MSG_BUF = 8192,
};

/*
 * Opens a socket to the family. -ENOENT when the module is not loaded
 * (the family does not exist), with err saying so.
 */
int rbi_modctl_open(struct rbi_modctl **out, char *err, size_t errlen);
/* The same, joined to the events group. */
int rbi_modctl_open_events(struct rbi_modctl **out, char *err, size_t errlen);
void rbi_modctl_close(struct rbi_modctl *m);

/*
 * Loads p into the module: begin, items in batches, commit. On any error
 * the transaction is dropped and the module keeps its configuration.
 * *generation (if not NULL) is the generation the commit made.
 */
int rbi_modctl_push(struct rbi_modctl *m, const struct rbi_policy *p,
		    uint32_t *generation, char *err, size_t errlen);

/* Opens, pushes and closes: what `rbictl apply` calls. */
int rbi_modctl_apply(const struct rbi_policy *p, char *err, size_t errlen);

/* Unloads the configuration: the module classifies nothing any more. */
int rbi_modctl_clear(struct rbi_modctl *m, char *err, size_t errlen);

struct rbi_modctl_status {
	uint32_t generation;		/* 0: no configuration loaded */
	char sha256[RBI_SHA256_HEX + 1];
	char name[RBI_LIMIT_POLICY_NAME + 1];
	struct rbi_config_counts counts;
	uint64_t mem_allocs;		/* the module's, all namespaces */
	uint64_t stats[__RBI_STAT_MAX];
};

int rbi_modctl_status(struct rbi_modctl *m, struct rbi_modctl_status *st,
		      char *err, size_t errlen);

/* "packets", "blocks", ...: the name of a counter, for output. */
const char *rbi_modctl_stat_name(enum rbi_stat s);

struct rbi_modctl_learned {
	struct rbi_ip ip;
	uint32_t service;
	char service_id[RBI_NAME_BUF];
	uint32_t expires;		/* seconds left */
};

/* Calls cb for each learned address; a non-zero return stops the walk. */
int rbi_modctl_learned(struct rbi_modctl *m,
		       int (*cb)(void *ctx, const struct rbi_modctl_learned *e),
		       void *ctx, char *err, size_t errlen);

struct rbi_modctl_event {
	uint64_t time_ns;		/* CLOCK_REALTIME */
	uint64_t suppressed;		/* held back before this one */
	uint32_t generation;		/* of the deciding configuration */
	uint8_t hook;			/* NF_INET_* */
	struct rbi_flow flow;		/* flow.name points to name */
	struct rbi_decision d;
	char name[RBI_NAME_BUF];
	char service_id[RBI_NAME_BUF];
};

/* The socket, for poll(). */
int rbi_modctl_fd(const struct rbi_modctl *m);

/*
 * The family's id: it changes when the module is loaded again, and an
 * events socket of the old one then hears nothing.
 */
uint16_t rbi_modctl_family(const struct rbi_modctl *m);

/*
 * Reads what one receive returns from an events socket and calls cb for
 * each event in it. Returns the number of events, or a negative errno:
 * -ENOBUFS means the socket overran and events were lost.
 */
int rbi_modctl_events_read(struct rbi_modctl *m,
			   void (*cb)(void *ctx,
				      const struct rbi_modctl_event *ev),
			   void *ctx, char *err, size_t errlen);

/*
 * Lower level, for tools that build their own requests: starts a request
 * for cmd in buf (RBI_MODCTL_MSG_BUF bytes) ...
 */
struct nlmsghdr *rbi_modctl_msg(struct rbi_modctl *m, void *buf, uint8_t cmd,
				uint16_t flags);
/* ... and sends it, calling cb (if any) for each reply, to the ack. */
int rbi_modctl_talk(struct rbi_modctl *m, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data, char *err, size_t errlen);

#endif
