// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_vectors.h"

const struct rbi_vec_group *const rbi_vec_groups[] = {
	&rbi_vec_tls,
	&rbi_vec_dns,
	&rbi_vec_name,
	&rbi_vec_addr,
	&rbi_vec_http,
	&rbi_vec_rtsp,
	&rbi_vec_learn,
	&rbi_vec_analytics,
	&rbi_vec_inspect,
	NULL
};

uint8_t *rbi_vec_dup(const uint8_t *buf, size_t len)
{
	uint8_t *p = rbi_zalloc(len);

	if (p && len)
		rbi_memcpy(p, buf, len);
	return p;
}
