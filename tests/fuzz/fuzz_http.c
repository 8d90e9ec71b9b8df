// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libFuzzer: HTTP and RTSP request heads, and the analytics markers. */
#include <stdint.h>
#include <stdlib.h>

#include "rbi_analytics.h"
#include "rbi_http.h"
#include "rbi_rtsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct rbi_http_req http;
	static struct rbi_rtsp_req rtsp;

	rbi_http_parse_request(data, len, &http);
	rbi_rtsp_parse_request(data, len, &rtsp);
	rbi_analytics_scan(data, len);
	return 0;
}
