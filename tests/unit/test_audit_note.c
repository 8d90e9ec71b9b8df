// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Keys, signed notes and checkpoints: the vectors of audit-vectors.md,
 * RFC 8032's first Ed25519 vector, signing determinism with a fixed seed and
 * the note parsing edge cases of the C2SP signed-note spec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "audit/b64.h"
#include "audit/note.h"

static const char vec_vkey[] =
	"example.com/rbi-test+af9ce395+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char vec_note[] =
	"example.com/rbi-test\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
	"\n"
	"\xe2\x80\x94 example.com/rbi-test r5zjlV5iYwRiiHx2chteyozUbgVil/whc/gqe4jYc0AUqn1otiMlhXpGH2y8RDRigqXTeZAAmCVLtoh9tK7DjLb9VAM=\n";
static const char root8_hex[] =
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

/* Seed 00 01 02 ... 1f: our own, since the vectors give no private key. */
static void own_key(const char *name, struct rbi_audit_key *k)
{
	uint8_t seed[32];
	int i;

	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	assert_int_equal(rbi_audit_key_from_seed(name, seed, k), RBI_AUDIT_OK);
}

static void test_vkey_vector(void **state)
{
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_audit_key k;
	uint8_t id[4];

	assert_int_equal(rbi_audit_vkey_parse(vec_vkey, strlen(vec_vkey), &k),
			 RBI_AUDIT_OK);
	assert_string_equal(k.name, "example.com/rbi-test");
	rbi_audit_key_id(k.name, k.pub, id);
	assert_memory_equal(id, "\xaf\x9c\xe3\x95", 4);
	rbi_audit_vkey_format(&k, &out);
	assert_string_equal(rbi_buf_str(&out), vec_vkey);
	rbi_buf_free(&out);
}

static void test_checkpoint_vector(void **state)
{
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_key k;
	char hex[65];

	rbi_audit_vkey_parse(vec_vkey, strlen(vec_vkey), &k);
	assert_int_equal(rbi_audit_checkpoint_open(vec_note, strlen(vec_note),
			 &k, 1, &cp), RBI_AUDIT_OK);
	assert_string_equal(cp.origin, "example.com/rbi-test");
	assert_int_equal(cp.size, 8);
	rbi_audit_hash_hex(&cp.root, hex);
	assert_string_equal(hex, root8_hex);
}

static void test_checkpoint_format_exact(void **state)
{
	struct rbi_audit_checkpoint cp = { "example.com/rbi-test", 8, { { 0 } } };
	struct rbi_buf out = RBI_BUF_INIT;
	unsigned int i, v;

	for (i = 0; i < 32; i++) {
		sscanf(root8_hex + 2 * i, "%2x", &v);
		cp.root.b[i] = (uint8_t)v;
	}
	rbi_audit_checkpoint_format(&cp, &out);
	/* The signed text of the vector, byte for byte. */
	assert_int_equal(out.len,
			 (size_t)(strstr(vec_note, "\n\n") - vec_note) + 1);
	assert_memory_equal(out.data, vec_note, out.len);
	rbi_buf_free(&out);
}

static void test_rfc8032_vector(void **state)
{
	static const char seed_hex[] =
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
	static const char pub_hex[] =
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
	static const char sig_hex[] =
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
	uint8_t seed[32], pub[32], want[64], sig[64];
	struct rbi_audit_key k;
	unsigned int i, v;

	for (i = 0; i < 32; i++) {
		sscanf(seed_hex + 2 * i, "%2x", &v);
		seed[i] = (uint8_t)v;
		sscanf(pub_hex + 2 * i, "%2x", &v);
		pub[i] = (uint8_t)v;
	}
	for (i = 0; i < 64; i++) {
		sscanf(sig_hex + 2 * i, "%2x", &v);
		want[i] = (uint8_t)v;
	}
	assert_int_equal(rbi_audit_key_from_seed("rfc8032", seed, &k), 0);
	assert_memory_equal(k.pub, pub, 32);
	assert_int_equal(rbi_audit_ed25519_sign(&k, "", 0, sig), 0);
	assert_memory_equal(sig, want, 64);
	assert_true(rbi_audit_ed25519_verify(&k, "", 0, sig, 64));
	sig[5] ^= 1;
	assert_false(rbi_audit_ed25519_verify(&k, "", 0, sig, 64));
	assert_false(rbi_audit_ed25519_verify(&k, "", 0, sig, 63));
}

/*
 * Pinned: Ed25519 is deterministic, so these bytes only change if signing
 * does. tests/audit/interop.sh has Go sign the same text with the same key
 * line and compares.
 */
static const char own_note[] =
	"example.com/rbi-test\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
	"\n"
	"\xe2\x80\x94 example.com/rbi-test vnaJsHwyOLk2V60CCz7S5Q0xvidoJlkRKZpMzyLJQ8nhp20UOyPr3LlB/i1R/UPWsHcUJO1YpStZUhDFmBOKkbOTMA0=\n";

static void sign_root8(const struct rbi_audit_key *k, struct rbi_buf *out)
{
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_key vk;
	size_t tl;

	rbi_audit_vkey_parse(vec_vkey, strlen(vec_vkey), &vk);
	assert_int_equal(rbi_audit_checkpoint_open(vec_note, strlen(vec_note),
			 &vk, 1, &cp), 0);
	assert_int_equal(rbi_audit_checkpoint_sign(&cp, k, out), 0);
	assert_int_equal(rbi_audit_note_verify(out->data, out->len, k, 1, &tl),
			 0);
}

static void test_sign_deterministic(void **state)
{
	struct rbi_buf a = RBI_BUF_INIT, b = RBI_BUF_INIT;
	struct rbi_audit_key k;

	own_key("example.com/rbi-test", &k);
	sign_root8(&k, &a);
	sign_root8(&k, &b);
	assert_string_equal(rbi_buf_str(&a), rbi_buf_str(&b));
	assert_string_equal(rbi_buf_str(&a), own_note);
	rbi_buf_free(&a);
	rbi_buf_free(&b);
}

static void test_privkey_roundtrip(void **state)
{
	struct rbi_buf line = RBI_BUF_INIT;
	struct rbi_audit_key k, p;
	char *plus;

	own_key("example.com/rbi-test", &k);
	rbi_audit_privkey_format(&k, &line);
	assert_int_equal(strncmp(line.data, "PRIVATE+KEY+example.com/rbi-test+",
				 33), 0);
	rbi_buf_addc(&line, '\n');
	assert_int_equal(rbi_audit_privkey_parse(line.data, line.len, &p), 0);
	assert_memory_equal(p.seed, k.seed, 32);
	assert_memory_equal(p.pub, k.pub, 32);
	assert_memory_equal(p.id, k.id, 4);
	/* A wrong key ID is refused, and so is a vkey as a private key. */
	plus = strchr(line.data + 33, '+');
	plus[-1] = plus[-1] == '0' ? '1' : '0';
	assert_int_equal(rbi_audit_privkey_parse(line.data, line.len, &p),
			 RBI_AUDIT_EKEY);
	assert_int_equal(rbi_audit_privkey_parse(vec_vkey, strlen(vec_vkey),
			 &p), RBI_AUDIT_EKEY);
	rbi_buf_free(&line);
}

static void test_key_names(void **state)
{
	assert_true(rbi_audit_name_valid("gw1.city.example/rbiblock", 25));
	assert_false(rbi_audit_name_valid("", 0));
	assert_false(rbi_audit_name_valid("a b", 3));
	assert_false(rbi_audit_name_valid("a+b", 3));
	assert_false(rbi_audit_name_valid("a\xff" "b", 3));
}

/* Appends a signature line for text by key k to note. */
static void add_sig(struct rbi_buf *note, const char *text,
		    const struct rbi_audit_key *k)
{
	struct rbi_buf tmp = RBI_BUF_INIT;

	assert_int_equal(rbi_audit_note_sign(text, strlen(text), k, &tmp), 0);
	rbi_buf_adds(note, strstr(tmp.data, "\n\n") + 2);
	rbi_buf_free(&tmp);
}

static void test_note_edge_cases(void **state)
{
	static const char text[] = "example.com/rbi-test\n8\n"
		"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
	struct rbi_audit_key mine, other, third;
	struct rbi_buf n = RBI_BUF_INIT;
	size_t tl;
	char *p;
	int i;

	own_key("example.com/rbi-test", &mine);
	own_key("witness.example", &other);
	own_key("third.example", &third);

	/* Unknown keys are ignored; the trusted one is enough. */
	rbi_buf_adds(&n, text);
	rbi_buf_addc(&n, '\n');
	add_sig(&n, text, &other);
	add_sig(&n, text, &mine);
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_OK);
	assert_int_equal(tl, strlen(text));
	/* Only unknown signatures: no trusted signature. */
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &third, 1, &tl),
			 RBI_AUDIT_ENOSIG);

	/* More than 16 signature lines are read. */
	for (i = 0; i < 20; i++)
		add_sig(&n, text, &other);
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_OK);
	/* Past the cap of 100 lines the note is refused. */
	for (i = 0; i < 80; i++)
		add_sig(&n, text, &other);
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_EMALFORMED);

	/* A known key's bad signature rejects the note. */
	rbi_buf_reset(&n);
	rbi_buf_adds(&n, text);
	rbi_buf_addc(&n, '\n');
	add_sig(&n, text, &mine);
	p = strstr(n.data, "rbi-test ") + 30;
	*p = *p == 'A' ? 'B' : 'A';
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_EBADSIG);

	/* No blank line between text and signatures. */
	rbi_buf_reset(&n);
	rbi_buf_adds(&n, text);
	add_sig(&n, text, &mine);
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_EMALFORMED);

	/* No final newline; not UTF-8; a control character. */
	assert_int_equal(rbi_audit_note_verify(vec_note, strlen(vec_note) - 1,
			 &mine, 1, &tl), RBI_AUDIT_EMALFORMED);
	rbi_buf_reset(&n);
	rbi_buf_adds(&n, "caf\xe9\n");
	rbi_buf_addc(&n, '\n');
	add_sig(&n, "caf\xe9\n", &mine);
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_EUTF8);
	rbi_buf_reset(&n);
	rbi_buf_adds(&n, "a\tb\n");
	rbi_buf_addc(&n, '\n');
	add_sig(&n, "a\tb\n", &mine);
	assert_int_equal(rbi_audit_note_verify(n.data, n.len, &mine, 1, &tl),
			 RBI_AUDIT_EMALFORMED);
	/* A signature line without the em dash. */
	assert_int_equal(rbi_audit_note_verify("a\n\n- x AAAA\n", 12, &mine,
			 1, &tl), RBI_AUDIT_EMALFORMED);
	rbi_buf_free(&n);
}

static void test_checkpoint_parse_edges(void **state)
{
	struct rbi_audit_checkpoint cp;
	static const char ok_ext[] = "o\n8\n"
		"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nextension\n";

	assert_int_equal(rbi_audit_checkpoint_parse(ok_ext, strlen(ok_ext),
			 &cp), RBI_AUDIT_OK);
	assert_int_equal(rbi_audit_checkpoint_parse("o\n08\n"
			 "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", 50,
			 &cp), RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_checkpoint_parse("o\n8\nAAAA\n", 9, &cp),
			 RBI_AUDIT_EHASHLEN);
	assert_int_equal(rbi_audit_checkpoint_parse("\n8\n"
			 "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", 48,
			 &cp), RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_checkpoint_parse("o\n8\n"
			 "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", 49,
			 &cp), RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_checkpoint_parse("o\n99999999999999999999\n"
			 "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", 68,
			 &cp), RBI_AUDIT_EMALFORMED);
}

static void test_base64_strict(void **state)
{
	struct rbi_buf out = RBI_BUF_INIT;
	uint8_t buf[8];
	size_t n;

	rbi_audit_b64_encode(&out, "ab", 2);
	assert_string_equal(rbi_buf_str(&out), "YWI=");
	assert_int_equal(rbi_audit_b64_decode("YWI=", 4, buf, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rbi_audit_b64_decode("YWJ=", 4, buf, 8, &n),
			 RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_b64_decode("YWI", 3, buf, 8, &n),
			 RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_b64_decode("Y=I=", 4, buf, 8, &n),
			 RBI_AUDIT_EMALFORMED);
	assert_int_equal(rbi_audit_b64_decode("YWJjZGVmZ2hp", 12, buf, 8, &n),
			 RBI_AUDIT_EMALFORMED);
	rbi_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vkey_vector),
		cmocka_unit_test(test_checkpoint_vector),
		cmocka_unit_test(test_checkpoint_format_exact),
		cmocka_unit_test(test_rfc8032_vector),
		cmocka_unit_test(test_sign_deterministic),
		cmocka_unit_test(test_privkey_roundtrip),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_note_edge_cases),
		cmocka_unit_test(test_checkpoint_parse_edges),
		cmocka_unit_test(test_base64_strict),
	};

	return cmocka_run_group_tests_name("audit_note", tests, NULL, NULL);
}
