// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/backend.h"
#include "daemon/daemon.h"
#include "daemon/status.h"
#include "kmod/modctl.h"
#include "nft/defs.h"
#include "util/plural.h"

static void rbi_status_gap(struct rbi_status *s, const char *gap)
{
	if (s->n_gaps < RBI_STATUS_GAPS_MAX)
		s->gaps[s->n_gaps++] = gap;
}

/* Services the policy knows only by name: nft alone can't see names. */
static size_t rbi_status_name_only(const struct rbi_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_services; i++)
		if (!p->services[i].n_nets && p->services[i].n_names &&
		    p->services[i].categories & p->prohibited)
			n++;
	return n;
}

size_t rbi_status_public_zones(const struct rbi_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_zones; i++)
		n += p->zones[i].public;
	return n;
}

/*
 * The queue backend inspects what the module does, in the daemon: what
 * it leaves out, and what its rules do with no daemon to serve them.
 */
static void rbi_status_queue_gaps(struct rbi_status *s)
{
	if (!s->daemon)
		rbi_status_gap(s, s->p && !s->p->fail_closed ?
			       "'rbictl run' is not running: the queue "
			       "backend's rules let undecided public-zone "
			       "flows and DNS answers to cameras pass "
			       "uninspected (on-failure: open), and nothing "
			       "is learned or recorded" :
			       "'rbictl run' is not running: the queue "
			       "backend's rules hold undecided public-zone "
			       "flows and DNS answers to cameras, which are "
			       "dropped until it is (on-failure: closed); "
			       "nothing is recorded");
	rbi_status_gap(s, "the queue backend inspects flows through the "
		       "gateway only: flows to and from the gateway itself "
		       "(a proxy on it) are not inspected, where rbiblock.ko "
		       "hooks them too");
	rbi_status_gap(s, "DNS answers from the gateway's own resolver "
		       "teach the learned maps without being matched to a "
		       "query (rbiblock.ko matches them)");
	rbi_status_gap(s, "the queue backend's inspection reads DNS to port "
		       "53 only: answers a server sends from port 5353 "
		       "through the gateway are not learned from");
}

static void rbi_status_gaps(struct rbi_status *s)
{
	const struct rbi_policy *p = s->p;
	size_t n = p ? rbi_status_name_only(p) : 0;

	if (p && !rbi_status_public_zones(p))
		rbi_status_gap(s, "the policy names no publicly accessible "
			       "zone: it blocks nothing (name the camera "
			       "networks: 'rbictl init')");
	if (!s->nft.present) {
		rbi_status_gap(s, "nothing is enforced: table inet rbiblock is "
			       "not installed (run 'rbictl apply')");
		return;
	}
	if (!s->nft.verified)
		rbi_status_gap(s, "the ruleset read back is not the one rbictl "
			       "applied: it was changed outside rbictl (run "
			       "'rbictl apply')");
	if (s->nft.fail_closed[0])
		rbi_status_gap(s, "on-failure: closed is in force: camera "
			       "egress from public zones is blocked except "
			       "to recorders (see fail_closed)");
	if (p && !s->policy_applied)
		rbi_status_gap(s, "the policy file differs from the applied "
			       "one (run 'rbictl apply')");
	if (s->module && !s->mod_read)
		rbi_status_gap(s, "rbiblock.ko is loaded but its state can't "
			       "be read (see module_error)");
	if (s->mod_read && !rbi_modstat_in_step(&s->mod))
		rbi_status_gap(s, "rbiblock.ko does not hold the applied "
			       "policy: names are not inspected as it says "
			       "(run 'rbictl apply')");
	if (s->queue)
		rbi_status_queue_gaps(s);
	else if (!s->module) {
		snprintf(s->names_gap, sizeof(s->names_gap), "no TLS SNI, "
			 "HTTP Host or RTSP inspection without rbiblock.ko: "
			 "%zu %s blocked once DNS learning has seen their "
			 "addresses", n, rbi_plural(n, "service known only by "
						    "name is", "services known "
						    "only by name are"));
		rbi_status_gap(s, s->names_gap);
		if (p && p->mode[RBI_ENF_ECH] != RBI_MODE_ALLOW)
			rbi_status_gap(s, "encrypted-client-hello is not "
				       "enforced without rbiblock.ko");
		if (p && p->mode[RBI_ENF_ANALYTICS] != RBI_MODE_ALLOW)
			rbi_status_gap(s, "camera-analytics is not enforced "
				       "without rbiblock.ko");
		rbi_status_gap(s, "DNS learning races the camera: a "
			       "connection opened within milliseconds of "
			       "the DNS answer may pass before the address "
			       "is learned");
	}
	if (s->offload_gap[0])
		rbi_status_gap(s, s->offload_gap);
	if (!s->daemon && !s->queue)
		rbi_status_gap(s, "'rbictl run' is not running: no DNS "
			       "learning and no audit records (what is "
			       "installed stays enforced)");
	else if (s->state_read && !s->state.watch)
		rbi_status_gap(s, "'rbictl run' does not watch the table: a "
			       "change to it is undone at its next heartbeat "
			       "only");
	s->n_gaps += rbi_status_limits(p, s->gaps + s->n_gaps,
				       RBI_STATUS_GAPS_MAX - s->n_gaps);
}

size_t rbi_status_limits(const struct rbi_policy *p, const char **out,
			 size_t max)
{
	size_t n = 0;

	if (!p || !max)
		return 0;
	if (p->mode[RBI_ENF_DOH] != RBI_MODE_ALLOW && n < max)
		out[n++] = "DNS-over-HTTPS to a resolver the catalogue does "
			   "not list looks like any HTTPS: names asked that "
			   "way are not learned";
	if (!p->n_resolvers && n < max)
		out[n++] = "the policy names no 'resolvers': DNS to any "
			   "server is allowed, and answers on ports other "
			   "than 53 and 5353 are not learned from (name the "
			   "resolvers to block DNS to the others)";
	else if (n < max)
		out[n++] = "DNS to ports other than 53, 853 and 5353 is "
			   "neither blocked nor learned from";
	if (n < max)
		out[n++] = "zones are told apart by source address: a camera "
			   "that takes an address of a zone that is not "
			   "publicly accessible leaves the public zone's "
			   "rules (tie zones to interfaces in rules of your "
			   "own)";
	return n;
}

uint64_t rbi_status_learned(const struct rbi_status *s, int fam)
{
	return s->nft.elements[RBI_NFT_MAP_LEARNED][fam];
}

void rbi_status_conntrack(const struct rbi_status *s, char mark[16],
			  char labels[16])
{
	snprintf(mark, 16, "0x%08x", (unsigned int)RBI_NFT_MARK_MASK);
	snprintf(labels, 16, "%d-%d", RBI_CT_LABEL_DECIDED,
		 RBI_CT_LABEL_HIGHEST);
}

/* The process pid runs rbictl, and not another that took its pid. */
static long rbi_status_rbictl(long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = pid > 0 ? fopen(path, "r") : NULL;
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strcmp(comm, "rbictl\n") ? 0 : pid;
}

/*
 * The unit's main process, found without asking systemd: the processes of
 * its control group (cgroup v2, else v1's name=systemd hierarchy).
 */
static long rbi_status_unit(void)
{
	static const char *const procs[] = {
		"/sys/fs/cgroup/system.slice/" RBI_DAEMON_UNIT "/cgroup.procs",
		"/sys/fs/cgroup/systemd/system.slice/" RBI_DAEMON_UNIT
			"/cgroup.procs",
	};
	long pid = 0;
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(procs) / sizeof(procs[0]) && !pid; i++) {
		f = fopen(procs[i], "r");
		while (f && !pid && fscanf(f, "%ld", &pid) == 1)
			pid = rbi_status_rbictl(pid);
		if (f)
			fclose(f);
	}
	return pid;
}

static void rbi_status_daemon(struct rbi_status *s, const char *pidfile)
{
	s->daemon_by = pidfile ? pidfile : RBI_DAEMON_PIDFILE;
	s->daemon = rbi_status_rbictl(rbi_daemon_pid(s->daemon_by));
	if (!s->daemon && !pidfile) {
		s->daemon_by = RBI_DAEMON_UNIT;
		s->daemon = rbi_status_unit();
	}
	if (!s->daemon)
		s->daemon_by = NULL;
}

/*
 * Other tables' flowtables, and what they leave unenforced with the
 * backend the ruleset was applied for.
 */
static void rbi_status_offload(struct rbi_status *s)
{
	bool module = s->module && strstr(s->nft.comment, "backend=nft+module");

	if (rbi_nft_foreign_read(&s->foreign, s->foreign_err,
				 sizeof(s->foreign_err)) == 0)
		s->foreign_err[0] = '\0';
	rbi_backend_offload_gap(&s->foreign, module,
				s->foreign_err[0] ? s->foreign_err : NULL,
				s->offload_gap, sizeof(s->offload_gap));
}

int rbi_status_read(struct rbi_status *s, const struct rbi_policy *p,
		    const char *pidfile, bool full, char *err, size_t len)
{
	memset(s, 0, sizeof(*s));
	if (rbi_nft_read(&s->nft, full, err, len))
		return -1;
	s->p = p;
	s->policy_applied = p && s->nft.present &&
			    !strcmp(s->nft.policy, p->sha256_hex);
	s->module = rbi_module_loaded();
	s->queue = s->nft.present && strstr(s->nft.comment,
					    "backend=nft+queue");
	if (s->module)
		s->mod_read = !rbi_modstat_read(&s->mod, s->nft.policy,
						s->mod_err,
						sizeof(s->mod_err));
	rbi_status_daemon(s, pidfile);
	s->state_read = s->daemon && !rbi_daemon_state_read(pidfile,
							    &s->state);
	rbi_status_offload(s);
	rbi_status_gaps(s);
	return 0;
}

void rbi_status_free(struct rbi_status *s)
{
	if (s->mod_read)
		rbi_modstat_free(&s->mod);
	rbi_nft_state_free(&s->nft);
}
