// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: HTTP request heads, whole and as a stream that grows: the
 * first answer that is not NEED_MORE is the whole's (stream.h), with the
 * same host and head length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rbi_http.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static struct rbi_http_req req[2];

static enum rbi_parse_result parse(const uint8_t *data, size_t len, int slot)
{
	return rbi_http_parse_request(data, len, &req[slot]);
}

static bool same(void)
{
	return req[0].has_host == req[1].has_host &&
	       req[0].head_len == req[1].head_len &&
	       req[0].host_conflict == req[1].host_conflict &&
	       (!req[0].has_host ||
		!strcmp(req[0].host.name, req[1].host.name));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	rbi_fuzz_stream(data, len, parse, same);
	if (parse(data, len, 0) == RBI_PARSE_OK && req[0].has_host)
		rbi_fuzz_host(&req[0].host);
	return 0;
}
