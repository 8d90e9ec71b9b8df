// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The ruleset kept for a boot that can't enforce its policy. The table
 * lives in the kernel: it outlasts the daemon, not a reboot. After each
 * apply, rbictl run writes the transaction that installs the policy's
 * ruleset in its fail-closed form (under on-failure: closed, camera
 * egress blocked except to recorders; under open, the policy's rules as
 * they are) and without a flowtable (the interfaces of the next boot are
 * not known). A later start whose policy can't be enforced (invalid,
 * missing, without a public zone) finds no table after a reboot and sends
 * that transaction again, so the gateway never comes up enforcing nothing.
 *
 * The file: a header of "key value" lines, an empty line, the batch.
 *
 *	rbiblock-kept 1
 *	applied SHA256 BACKEND	the ruleset applied when it was written
 *	policy SHA256 NAME	the policy it was built from
 *	saved SECONDS		since the epoch
 *	sha256 SHA256		of the batch
 *	length BYTES		of the batch
 *
 * A batch is sent only when its digest matches and every message in it
 * is one of table inet rbiblock's, between a batch's begin and end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>

#include "nft/defs.h"
#include "nft/internal.h"
#include "util/file.h"
#include "util/sha256.h"

enum {
	RBI_KEEP_HEADER_MAX = 1024,
	RBI_KEEP_BATCH_MAX = 1 << 30,
};

static const char rbi_keep_magic[] = "rbiblock-kept 1\n";

/* The header of the file at path, 0; -1 when it has none to read. */
static int rbi_keep_header(FILE *f, struct rbi_nft_kept *k, char sha[65],
			   size_t *batch)
{
	char line[RBI_KEEP_HEADER_MAX];
	unsigned long long v;
	bool magic = false;

	memset(k, 0, sizeof(*k));
	*batch = SIZE_MAX;
	sha[0] = '\0';
	while (fgets(line, sizeof(line), f) && line[0] != '\n') {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "rbiblock-kept 1"))
			magic = true;
		else if (sscanf(line, "applied %64s %15s", k->applied,
				k->backend) == 2)
			continue;
		else if (sscanf(line, "policy %64s %127[^\n]", k->policy,
				k->name) >= 1)
			continue;
		else if (sscanf(line, "saved %llu", &v) == 1)
			k->saved = (int64_t)v;
		else if (sscanf(line, "sha256 %64s", sha) == 1)
			continue;
		else if (sscanf(line, "length %llu", &v) == 1 &&
			 v <= RBI_KEEP_BATCH_MAX)
			*batch = (size_t)v;
	}
	return magic && sha[0] && *batch != SIZE_MAX ? 0 : -1;
}

static FILE *rbi_keep_open(const char *path, char *err, size_t len)
{
	struct stat st;
	int fd = rbi_file_open(AT_FDCWD, path, &st);
	FILE *f;

	if (fd < 0) {
		snprintf(err, len, "%s: %s", path, errno == EINVAL ?
			 "not a regular file" : strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

/*
 * Whether path keeps plan's ruleset already. Its fail-closed form depends
 * on the policy and the backends alone, not on why the ruleset applied
 * fails closed now, nor on its flowtable: applies that change only those
 * write nothing.
 */
static bool rbi_keep_current(const char *path,
			     const struct rbi_nft_plan *plan,
			     const struct rbi_nft_apply_opts *o)
{
	char err[RBI_NFT_ERR_LEN], sha[65];
	struct rbi_nft_kept k;
	FILE *f = rbi_keep_open(path, err, sizeof(err));
	size_t n;
	bool same;

	if (!f)
		return false;
	same = !rbi_keep_header(f, &k, sha, &n) &&
	       !strcmp(k.backend, o->backend) &&
	       !strcmp(k.policy, plan->p->sha256_hex);
	fclose(f);
	return same;
}

static int rbi_keep_write(const char *path, const struct rbi_buf *batch,
			  const struct rbi_nft_plan *plan,
			  const struct rbi_nft_apply_opts *o,
			  const struct rbi_nft_apply_result *res, char *err,
			  size_t len)
{
	char tmp[4096 + 8], sha[65];
	size_t n = batch->len;
	FILE *f;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(err, len, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	fchmod(fileno(f), 0600);
	rbi_sha256_hex(batch->data, n, sha);
	fprintf(f, "%sapplied %s %s\npolicy %s %s\nsaved %lld\nsha256 %s\n"
		"length %zu\n\n", rbi_keep_magic, res->sha256, o->backend,
		plan->p->sha256_hex, plan->p->name, (long long)time(NULL), sha,
		n);
	fwrite(batch->data, 1, n, f);
	ok = !ferror(f) && !fflush(f) && !fsync(fileno(f));
	ok &= !fclose(f);
	if (!ok || rename(tmp, path)) {
		snprintf(err, len, "%s: %s", ok ? path : tmp,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int rbi_nft_keep_save(struct rbi_nft_nl *nl, const struct rbi_nft_plan *plan,
		      const struct rbi_nft_apply_opts *o,
		      const struct rbi_nft_apply_result *res, const char *path,
		      char *err, size_t len)
{
	struct rbi_nft_plan kept = *plan;
	struct rbi_nft_apply_result kres;
	struct rbi_nft_objs want;
	struct rbi_buf batch = RBI_BUF_INIT;
	char light[65];
	int rc;

	if (rbi_keep_current(path, plan, o))
		return 0;
	kept.offload_devs = NULL;
	if (plan->p->fail_closed)
		kept.fail_closed = RBI_NFT_KEPT_WHY;
	memset(&kres, 0, sizeof(kres));
	if (rbi_nft_want(&kept, o, 0, &want, light, &kres, err, len))
		return -1;
	rc = rbi_nft_nl_batch(nl, &want, &batch, err, len);
	rbi_nft_objs_free(&want);
	if (!rc)
		rc = rbi_keep_write(path, &batch, plan, o, res, err, len);
	rbi_buf_free(&batch);
	return rc;
}

/*
 * A message of table inet rbiblock: every nf_tables object names its
 * table in attribute 1 (NFTA_TABLE_NAME, NFTA_CHAIN_TABLE, NFTA_SET_TABLE,
 * NFTA_SET_ELEM_LIST_TABLE, NFTA_RULE_TABLE...), so a kept batch can't
 * touch another table, whatever its bytes say.
 */
static bool rbi_keep_msg_ok(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g) ||
	    g->nfgen_family != NFPROTO_INET)
		return false;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == 1)
			return !mnl_attr_validate(a, MNL_TYPE_NUL_STRING) &&
			       !strcmp(mnl_attr_get_str(a), RBI_NFT_TABLE);
	return false;
}

/* Only table inet rbiblock's messages, between a batch's begin and end. */
static bool rbi_keep_batch_ok(const void *batch, size_t n)
{
	const struct nlmsghdr *nlh = batch;
	int left = (int)n;
	bool first = true, ended = false;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (ended)
			return false;
		if (first && nlh->nlmsg_type != NFNL_MSG_BATCH_BEGIN)
			return false;
		if (nlh->nlmsg_type == NFNL_MSG_BATCH_END)
			ended = true;
		else if (!first && !rbi_keep_msg_ok(nlh))
			return false;
		first = false;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return ended && !left;
}

static void *rbi_keep_read(const char *path, struct rbi_nft_kept *k,
			   size_t *n, char *err, size_t len)
{
	FILE *f = rbi_keep_open(path, err, len);
	char sha[65], got[65];
	void *batch = NULL;

	if (!f)
		return NULL;
	if (rbi_keep_header(f, k, sha, n)) {
		snprintf(err, len, "%s: not a ruleset rbictl run kept", path);
	} else if (!(batch = malloc(*n ? *n : 1))) {
		snprintf(err, len, "out of memory");
	} else if (fread(batch, 1, *n, f) != *n || fgetc(f) != EOF) {
		snprintf(err, len, "%s: the batch is not %zu bytes long",
			 path, *n);
	} else {
		rbi_sha256_hex(batch, *n, got);
		if (!strcmp(got, sha) && rbi_keep_batch_ok(batch, *n)) {
			fclose(f);
			return batch;
		}
		snprintf(err, len, "%s: the batch does not match its digest "
			 "or holds a message for another table", path);
	}
	free(batch);
	fclose(f);
	return NULL;
}

int rbi_nft_keep_restore(const char *path, struct rbi_nft_kept *k,
			 char *err, size_t len)
{
	struct rbi_nft_nl *nl = rbi_nft_nl_open(err, len);
	struct rbi_nft_objs have;
	void *batch = NULL;
	size_t n;
	int rc = -1;

	memset(k, 0, sizeof(*k));
	if (!nl)
		return -1;
	rc = rbi_nft_nl_dump(nl, &have, false, err, len);
	if (!rc) {
		rbi_nft_objs_free(&have);
		rc = 1;
	} else if (rc == -ENOENT) {
		batch = rbi_keep_read(path, k, &n, err, len);
		rc = batch ? rbi_nft_nl_replay(nl, batch, n, err, len) : -1;
	} else {
		rc = -1;
	}
	free(batch);
	rbi_nft_nl_close(nl);
	return rc;
}
