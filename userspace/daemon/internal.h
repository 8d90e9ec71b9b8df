/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The daemon's state, shared by its parts: enforce.c (the backends,
 * fail-closed, and the watch that puts the table back), auditlog.c (the
 * audit log, on a thread of its own), flows.c (flow records), learn.c
 * (DNS learning), events.c (rbiblock.ko's events), heartbeat.c and
 * loop.c (signals, reloads, the poll loop), and the queue backend
 * (queuerun.c, queuedns.c). The loop's thread runs all of them but the
 * audit log's writes, so that no disk can hold up learning or
 * enforcement, and the queue backend's packet handlers, which run on its
 * threads (queues.h): they read the policy under plock, which the loop's
 * thread takes to swap it, learn under llock, and read the memo under
 * its own lock (in that order).
 */
#ifndef RBI_DAEMON_INTERNAL_H
#define RBI_DAEMON_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "audit/writer.h"
#include "daemon/daemon.h"
#include "daemon/dnslearn.h"
#include "daemon/dnsstream.h"
#include "daemon/journal.h"
#include "daemon/memo.h"
#include "daemon/nflog.h"
#include "daemon/queues.h"
#include "daemon/runrec.h"
#include "kmod/modctl.h"
#include "nft/defs.h"
#include "nft/watch.h"
#include "scan/frame.h"

enum {
	/* A write to the audit log that takes longer is a failure. */
	RBI_DAEMON_AUDIT_STALL_MS = 5000,
	/* Learning messages per answer before they are summed up. */
	RBI_DAEMON_SAY_MAX = 8,
};

struct rbi_daemon_audit;

/* What DNS learning could not do, by kind. */
struct rbi_daemon_unlearned {
	uint64_t refused[__RBI_LEARN_REF_MAX];
	uint64_t unread;	/* answer bytes that could not be read whole */
	uint64_t malformed;	/* answers with a broken record */
};

/* What the threads' tables hold between them, against their bounds. */
struct rbi_qflow_budget {
	uint64_t open;		/* undecided flows */
	uint64_t bytes;		/* bytes held for them */
};

struct rbi_daemon {
	struct rbi_policy *p;
	const char *path;
	const char *pidfile;
	enum rbi_backend backend;
	unsigned int grace;
	struct rbi_daemon_audit *audit;
	char fail[RBI_NFT_COMMENT_MAX];	/* why fail-closed, "" if not */
	/*
	 * Why the ruleset in force blocks camera egress, "" when it does not:
	 * whatever the cause (the audit log, a required module missing, a
	 * queue it can't bind, another table's flowtable), and only under
	 * on-failure: closed. What STATUS= says.
	 */
	char applied_fail[RBI_NFT_COMMENT_MAX];
	uint64_t fail_signed;		/* checkpoints signed when it began */
	bool no_offload;		/* --no-offload */
	const char *keep;		/* --keep */
	/* What other tables' flowtables leave unenforced, as last recorded */
	char unguarded[RBI_NFT_COMMENT_MAX];
	/* The last apply used rbiblock.ko, which has gone away since. */
	bool module_used;
	bool module_lost;
	char ruleset[65];
	struct rbi_nflog *nflog;
	struct rbi_runrecs *recs;
	/* rbiblock.ko's events, and its counts of those it did not send. */
	struct rbi_modctl *events;
	uint16_t events_family;
	uint64_t events_held, events_failed;
	bool events_check;
	/* The table, watched for changes by others, and put back. */
	struct rbi_nft_watch *watch;
	struct rbi_memo memo;
	/* DNS learning's state, under llock: one answer at a time. */
	pthread_mutex_t llock;
	int learn_rc;		/* -1 once a message's addresses were not set */
	struct rbi_dns_answer_set scratch;
	struct rbi_dnsstreams *streams;
	struct rbi_dnslearn lrn;
	struct rbi_nft_learn *entries;
	size_t cap_entries;
	/* Since the start (status), and not yet in the audit log. */
	struct rbi_daemon_unlearned unlearned, pending;
	char pending_example[160];
	int64_t pending_from;
	bool state_dirty;
	struct rbi_audit_counter last[RBI_AUDIT_COUNTERS_MAX];
	char last_names[RBI_AUDIT_COUNTERS_MAX][RBI_AUDIT_COUNTER_NAME_CAP];
	size_t n_last;
	uint64_t dropped;
	time_t next_heartbeat;
	/* The queue backend: its threads (NULL when not in force). */
	struct rbi_queues *queues;
	struct rbi_qflows *qflows[RBI_NFT_QUEUES_MAX];
	unsigned int n_qflows;
	struct rbi_qflow_budget qbudget;
	pthread_rwlock_t plock;
	char queue_fail[RBI_NFT_ERR_LEN];	/* why it is not, "" if so */
	bool queue_restart;	/* its rules were in force with no daemon */
	struct rbi_queues_stats qseen;	/* what gap records already said */
	/* DNS answers held: dropped unread (too long), learning failed. */
	uint64_t dns_unread, dns_failed;
	/* ... and with the inspection threads', what gap records said. */
	uint64_t unread_seen, learn_failed_seen;
	/*
	 * When the ruleset was last known as applied (us since 1970): read
	 * back so by a heartbeat, or, while the table is watched, the last
	 * time the loop found no change announced. Held while a change
	 * another rbictl made waits for the next heartbeat.
	 */
	int64_t proven_us;
	bool proven_hold;
};

/* One line per event on stdout, at LOG_INFO (journal.h: others). */
void rbi_daemon_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t rbi_daemon_now_ms(void);

/* enforce.c */
int rbi_daemon_enforce(struct rbi_daemon *d, const struct rbi_policy *p);
void rbi_daemon_fail(struct rbi_daemon *d, const char *why);
/*
 * Why the policy can't be guaranteed: the audit log, the queues, the
 * module gone; NULL.
 */
const char *rbi_daemon_fail_reason(const struct rbi_daemon *d);
/*
 * Records in the audit log that another table's flowtable takes flows
 * past what rbiblock reads (d->unguarded), with what on-failure made of
 * it: when that starts or changes, and when the log opens, so that an
 * auditor sees the time it was not enforced.
 */
void rbi_daemon_unguarded_record(struct rbi_daemon *d);
/*
 * Notices rbiblock.ko going away while the ruleset relies on it, and
 * coming back: fail-closed (under on-failure: closed) in between.
 */
void rbi_daemon_module_watch(struct rbi_daemon *d);
void rbi_daemon_watch_open(struct rbi_daemon *d);
void rbi_daemon_watch_read(struct rbi_daemon *d);
/* Puts what the memo learned back into the learned maps. */
void rbi_daemon_restore_learned(struct rbi_daemon *d);

/* auditlog.c: the audit log's thread and the loop's side of it. */
int rbi_daemon_audit_start(struct rbi_daemon *d);
void rbi_daemon_audit_stop(struct rbi_daemon *d, const char *reason);
/* Opens the log of d->p's audit settings (again), with a policy record. */
void rbi_daemon_audit_open(struct rbi_daemon *d);
/* Whether a log was asked for: records before that have nowhere to go. */
bool rbi_daemon_audit_asked(const struct rbi_daemon *d);
/* A new policy: its record, and its audit settings when they changed. */
void rbi_daemon_audit_policy(struct rbi_daemon *d,
			     const struct rbi_policy *old);
void rbi_daemon_gap(struct rbi_daemon *d, const char *what, uint64_t count,
		    const char *detail);
/* A gap that began at from: what was not proven since then. */
void rbi_daemon_gap_from(struct rbi_daemon *d, const char *what, int64_t from,
			 uint64_t count, const char *detail);
/*
 * A gap over [from_us, until_us], microseconds since the epoch; both 0:
 * at the time it is written (rbi_daemon_gap()).
 */
void rbi_daemon_gap_span(struct rbi_daemon *d, const char *what,
			 uint64_t count, int64_t from_us, int64_t until_us,
			 const char *detail);
void rbi_daemon_flow_record(struct rbi_daemon *d,
			    const struct rbi_audit_block *ab, bool log);
/* Queues a heartbeat; false when the last one is still waiting. */
bool rbi_daemon_heartbeat_record(struct rbi_daemon *d,
				 const struct rbi_audit_heartbeat *hb);
/* What the log's thread reported: fail closed, or well again. */
void rbi_daemon_audit_check(struct rbi_daemon *d);
int rbi_daemon_audit_fd(const struct rbi_daemon *d);
/* ms until a write in progress becomes a stall; -1 when none is. */
int rbi_daemon_audit_timeout(const struct rbi_daemon *d);

/* flows.c */
void rbi_daemon_record(void *ctx, const struct rbi_runrec *rec);
void rbi_daemon_copy(struct rbi_daemon *d, const struct rbi_nflog_pkt *l);
bool rbi_daemon_decode(const struct rbi_nflog_pkt *l, struct rbi_frame *f,
		       bool any);

/*
 * learn.c, under llock (taken here): -1 when the answer taught addresses
 * that could not be set in the learned maps, or could not be read whole
 * (a packet cut, a record broken, bytes of its TCP stream given up, now
 * or earlier in the stream): a held answer is dropped. rbi_daemon_learn_set()
 * learns from an answer the inspection engine collected, which from sent.
 */
int rbi_daemon_dns(struct rbi_daemon *d, const struct rbi_nflog_pkt *l);
int rbi_daemon_learn_set(struct rbi_daemon *d,
			 const struct rbi_dns_answer_set *set,
			 const struct rbi_ip *from);
/* What learning gave up since the last time, as a gap record. */
void rbi_daemon_learn_gaps(struct rbi_daemon *d);

/* queuerun.c */
enum rbi_backend rbi_daemon_backend(const struct rbi_daemon *d);
void rbi_daemon_queues_open(struct rbi_daemon *d);
void rbi_daemon_queues_audit(struct rbi_daemon *d);
void rbi_daemon_queues_check(struct rbi_daemon *d);
void rbi_daemon_queues_retry(struct rbi_daemon *d);
void rbi_daemon_queues_read(struct rbi_daemon *d);
void rbi_daemon_queues_close(struct rbi_daemon *d);

/* queueflow.c: the inspection queues' packets, one table per thread. */
struct rbi_qflow_stats {
	uint64_t flows;		/* states opened */
	uint64_t decided;
	uint64_t blocked;
	uint64_t expired;	/* undecided states forgotten */
	uint64_t table_full;	/* flows refused a state */
	uint64_t memory;	/* flows refused bytes */
	uint64_t unread;	/* packets not readable whole: dropped */
	uint64_t learn_failed;	/* answers dropped: learning failed */
	/* What rbiblock.ko counts, counted alike (rbi_insp_stats()). */
	uint64_t stat[__RBI_STAT_MAX];
};

struct rbi_qflows;

struct rbi_qflows *rbi_qflows_new(struct rbi_daemon *d,
				  struct rbi_qflow_budget *budget, bool inner);
void rbi_qflows_free(struct rbi_qflows *t);
void rbi_qflows_get_stats(const struct rbi_qflows *t,
			  struct rbi_qflow_stats *s);
void rbi_daemon_queue_flow(struct rbi_queue *q, const struct rbi_queue_pkt *pkt,
			   void *ctx);
/* What the inspection threads counted, summed (queuerun.c). */
void rbi_daemon_qflow_stats(const struct rbi_daemon *d,
			    struct rbi_qflow_stats *sum);

/* queuedns.c */
void rbi_daemon_queue_dns(struct rbi_queue *q, const struct rbi_queue_pkt *pkt,
			  void *ctx);

/* events.c */
void rbi_daemon_events_open(struct rbi_daemon *d);
void rbi_daemon_events_close(struct rbi_daemon *d);
void rbi_daemon_events_read(struct rbi_daemon *d);
void rbi_daemon_module_check(struct rbi_daemon *d);

/* heartbeat.c */
void rbi_daemon_heartbeat(struct rbi_daemon *d);
/* What status shows of the daemon, in the file beside its pid file. */
void rbi_daemon_state_write(struct rbi_daemon *d);

#endif
