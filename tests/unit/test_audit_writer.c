// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The writer API as the daemon uses it: configuration checks, the key
 * mode check, one writer per directory, group commit (nothing durable
 * before sync), heartbeats signing checkpoints, clean close and reopen,
 * and a log that verify accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit/store.h"
#include "audit/verify.h"
#include "audit/writer.h"

struct fixture {
	char dir[64];
	char logdir[96];
	char key[96];
	struct rbi_audit_key k;
};

static int setup(void **state)
{
	struct rbi_buf line = RBI_BUF_INIT;
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t seed[32] = { 7 };
	FILE *fp;

	snprintf(f->dir, sizeof(f->dir), "/tmp/rbi-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->logdir, sizeof(f->logdir), "%s/log", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/k.key", f->dir);
	rbi_audit_key_from_seed("test.example/log", seed, &f->k);
	rbi_audit_privkey_format(&f->k, &line);
	fp = fopen(f->key, "w");
	fputs(rbi_buf_str(&line), fp);
	fclose(fp);
	chmod(f->key, 0600);
	rbi_buf_free(&line);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static struct rbi_audit_config config(struct fixture *f)
{
	struct rbi_audit_config c = { f->logdir, "test.example/log", f->key,
				      60, 0, NULL, NULL };

	return c;
}

static void test_config_checks(void **state)
{
	struct fixture *f = *state;
	struct rbi_audit_config c = config(f);
	enum rbi_audit_open_state st;
	struct rbi_audit_log *log;
	char err[512];

	c.heartbeat = 0;
	assert_int_equal(rbi_audit_open(&c, &log, &st, err, sizeof(err)),
			 RBI_AUDIT_ERANGE);
	c.heartbeat = 3601;
	assert_int_equal(rbi_audit_open(&c, &log, &st, err, sizeof(err)),
			 RBI_AUDIT_ERANGE);
	c.heartbeat = 1;
	c.origin = "has space";
	assert_int_equal(rbi_audit_open(&c, &log, &st, err, sizeof(err)),
			 RBI_AUDIT_EMALFORMED);
	assert_null(log);
}

static void test_key_mode(void **state)
{
	struct fixture *f = *state;
	struct rbi_audit_config c = config(f);
	enum rbi_audit_open_state st;
	struct rbi_audit_log *log;
	char err[512];

	chmod(f->key, 0640);
	assert_int_equal(rbi_audit_open(&c, &log, &st, err, sizeof(err)),
			 RBI_AUDIT_EKEY);
	assert_non_null(strstr(err, "chmod 600"));
	chmod(f->key, 0600);
}

static void test_group_commit(void **state)
{
	static const struct rbi_audit_counter ctr[] = { { "blocked", 2 } };
	struct fixture *f = *state;
	struct rbi_audit_config c = config(f);
	struct rbi_audit_block b = { "z", "10.0.0.1", "10.0.0.1", "192.0.2.1",
				     443, "tcp", "tls", "face.example", "svc",
				     "cat", "rule", "basis", NULL, "egress",
				     1, "nft" };
	struct rbi_audit_policy p = { "p", "built-in", "policy text\n", 12 };
	struct rbi_audit_heartbeat hb = { NULL, "00", false, "nft", ctr, 1 };
	struct rbi_audit_log *log, *second;
	enum rbi_audit_open_state st;
	struct rbi_audit_result res;
	struct rbi_audit_verify_opts vo = { false, NULL, NULL };
	char err[512], sha[65];
	uint64_t idx, durable;
	int i;

	assert_int_equal(rbi_audit_open(&c, &log, &st, err, sizeof(err)), 0);
	assert_int_equal(st, RBI_AUDIT_OPENED_NEW);
	/* One writer per directory. */
	assert_int_equal(rbi_audit_open(&c, &second, &st, err, sizeof(err)),
			 RBI_AUDIT_EBUSY);
	rbi_audit_policy_sha256(p.text, p.text_len, sha);
	b.policy_sha256 = sha;
	hb.policy_sha256 = sha;
	assert_int_equal(rbi_audit_append_policy(log, &p, &idx), 0);
	durable = rbi_audit_durable(log);
	for (i = 0; i < 10; i++)
		assert_int_equal(rbi_audit_append_block(log, &b, &idx), 0);
	/* A flow allowed but recorded, which verify must accept too. */
	assert_int_equal(rbi_audit_append_log(log, &b, &idx), 0);
	/* Appended is not logged: only a sync makes it durable. */
	assert_true(rbi_audit_durable(log) == durable);
	assert_true(idx >= durable);
	assert_int_equal(rbi_audit_sync(log), 0);
	assert_true(rbi_audit_durable(log) == idx + 1);
	assert_int_equal(rbi_audit_heartbeat(log, &hb, &idx), 0);
	assert_true(rbi_audit_durable(log) == idx + 1);
	assert_int_equal(rbi_audit_close(log, "test"), 0);

	assert_int_equal(rbi_audit_open(&c, &log, &st, err, sizeof(err)), 0);
	assert_int_equal(st, RBI_AUDIT_OPENED_CLEAN);
	assert_int_equal(rbi_audit_close(log, "test"), 0);

	assert_int_equal(rbi_audit_verify_dir(f->logdir, &f->k, &vo, &res,
					      err, sizeof(err)), 0);
	assert_true(res.ok);
	assert_int_equal(res.nepochs, 1);
	assert_string_equal(res.epochs[0].origin, "test.example/log");
	assert_true(res.epochs[0].signed_size == res.epochs[0].leaves);
	rbi_audit_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_checks),
		cmocka_unit_test(test_key_mode),
		cmocka_unit_test(test_group_commit),
	};

	return cmocka_run_group_tests_name("audit_writer", tests, setup,
					   teardown);
}
