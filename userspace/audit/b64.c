// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "audit/audit.h"
#include "audit/b64.h"

static const char rbi_b64_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t rbi_audit_b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void rbi_audit_b64_encode(struct rbi_buf *out, const void *p, size_t n)
{
	const uint8_t *s = p;
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = rbi_b64_alpha[s[i] >> 2];
		q[1] = rbi_b64_alpha[(s[i] & 3) << 4 | s[i + 1] >> 4];
		q[2] = rbi_b64_alpha[(s[i + 1] & 15) << 2 | s[i + 2] >> 6];
		q[3] = rbi_b64_alpha[s[i + 2] & 63];
		rbi_buf_add(out, q, 4);
	}
	if (i == n)
		return;
	q[0] = rbi_b64_alpha[s[i] >> 2];
	if (i + 1 == n) {
		q[1] = rbi_b64_alpha[(s[i] & 3) << 4];
		q[2] = '=';
	} else {
		q[1] = rbi_b64_alpha[(s[i] & 3) << 4 | s[i + 1] >> 4];
		q[2] = rbi_b64_alpha[(s[i + 1] & 15) << 2];
	}
	q[3] = '=';
	rbi_buf_add(out, q, 4);
}

static int rbi_b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int rbi_audit_b64_decode(const char *s, size_t n, uint8_t *out,
			 size_t out_max, size_t *out_len)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc;
	int j, v;

	*out_len = 0;
	if (n % 4)
		return RBI_AUDIT_EMALFORMED;
	if (n && s[n - 1] == '=')
		pad = (n >= 2 && s[n - 2] == '=') ? 2 : 1;
	if (n / 4 * 3 - pad > out_max)
		return RBI_AUDIT_EMALFORMED;
	for (i = 0; i < n; i += 4) {
		acc = 0;
		for (j = 0; j < 4; j++) {
			bool last = i + 4 == n;

			if (last && j >= 4 - (int)pad) {
				v = 0;
			} else {
				v = rbi_b64_val(s[i + j]);
				if (v < 0)
					return RBI_AUDIT_EMALFORMED;
			}
			acc = acc << 6 | (uint32_t)v;
		}
		/* Bits under the padding must be zero: one encoding per value. */
		if ((pad == 1 && i + 4 == n && (acc & 0xff)) ||
		    (pad == 2 && i + 4 == n && (acc & 0xffff)))
			return RBI_AUDIT_EMALFORMED;
		out[o++] = (uint8_t)(acc >> 16);
		if (i + 4 < n || pad < 2)
			out[o++] = (uint8_t)(acc >> 8);
		if (i + 4 < n || pad < 1)
			out[o++] = (uint8_t)acc;
	}
	*out_len = o;
	return RBI_AUDIT_OK;
}
