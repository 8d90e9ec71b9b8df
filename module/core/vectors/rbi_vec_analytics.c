// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Camera-analytics marker vectors: every marker of rbi-services.md table B
 * as it appears on the wire (request lines, headers, XML, JSON, SDP, event
 * streams), escaped and in mixed case, and the near misses that must not
 * count. Each input, and every strict prefix of it, is scanned from a
 * buffer of exactly its size: a prefix may only find markers the whole
 * finds, and scanning on from any prefix must find the rest.
 */
#include "../rbi_analytics.h"
#include "rbi_vectors.h"

#define RBI_VEC_LIB	RBI_MARKER_BIT(RBI_MARKER_FACE_LIBRARY)
#define RBI_VEC_REC	RBI_MARKER_BIT(RBI_MARKER_FACE_RECOGNITION)
#define RBI_VEC_DET	RBI_MARKER_BIT(RBI_MARKER_FACE_DETECTION)
#define RBI_VEC_ATTR	RBI_MARKER_BIT(RBI_MARKER_FACE_ATTRIBUTES)
#define RBI_VEC_EXPR	RBI_MARKER_BIT(RBI_MARKER_FACE_EXPRESSION)

/* Input s (NUL bytes allowed), in which the markers want are found. */
#define RBI_VEC_AN(n, s, w)	{ n, s, sizeof(s) - 1, w }

struct rbi_vec_analytics_case {
	const char *name;
	const char *in;
	size_t len;
	uint32_t want;
};

static const struct rbi_vec_analytics_case rbi_vec_analytics_cases[] = {
	/* Hikvision ISAPI face library: enrolment and search (RBI). */
	RBI_VEC_AN("isapi_fdlib_search",
		   "POST /ISAPI/Intelligent/FDLib/FDSearch?format=json "
		   "HTTP/1.1\r\nHost: 10.20.0.5\r\n"
		   "Content-Type: application/json\r\n\r\n"
		   "{\"searchResultPosition\":0,\"maxResults\":32,"
		   "\"faceLibType\":\"blackFD\",\"FDID\":\"1\"}",
		   RBI_VEC_LIB),
	RBI_VEC_AN("isapi_fdlib_mixed_case",
		   "GET /isapi/INTELLIGENT/fdLib?format=json HTTP/1.1\r\n"
		   "Host: cam7\r\n\r\n", RBI_VEC_LIB),
	RBI_VEC_AN("isapi_fdlib_escaped_letter",
		   "PUT /ISAPI/Intelligent/%46DLib/FaceDataRecord?format=json "
		   "HTTP/1.1\r\n", RBI_VEC_LIB),
	RBI_VEC_AN("isapi_fdlib_escaped_slashes",
		   "GET /cgi/proxy?u=%2fISAPI%2FIntelligent%2ffdlib HTTP/1.1"
		   "\r\n", RBI_VEC_LIB),
	RBI_VEC_AN("isapi_facelibtype_xml",
		   "<FDLibBaseCfg><faceLibType>whiteFD</faceLibType>"
		   "<name>staff</name></FDLibBaseCfg>", RBI_VEC_LIB),
	RBI_VEC_AN("isapi_facelibtype_query",
		   "GET /ISAPI/Intelligent/FDLib?format=json&FDID=2&"
		   "faceLibType=blackFD HTTP/1.1\r\n", RBI_VEC_LIB),
	/* Dahua: face database, and face events on the event manager. */
	RBI_VEC_AN("dahua_face_database",
		   "GET /cgi-bin/faceRecognitionServer.cgi?action=createGroup&"
		   "group.GroupName=watch HTTP/1.1\r\nHost: 10.20.0.9\r\n\r\n",
		   RBI_VEC_LIB | RBI_VEC_REC),
	RBI_VEC_AN("dahua_event_attach",
		   "GET /cgi-bin/eventManager.cgi?action=attach&"
		   "codes=[FaceDetection,FaceRecognition] HTTP/1.1\r\n"
		   "Host: 10.20.0.9\r\nConnection: keep-alive\r\n\r\n",
		   RBI_VEC_DET | RBI_VEC_REC),
	RBI_VEC_AN("dahua_event_attach_escaped",
		   "GET /cgi-bin/eventManager.cgi?action=attach&"
		   "codes=%5BFaceRecognition%5D HTTP/1.1\r\n", RBI_VEC_REC),
	RBI_VEC_AN("dahua_event_stream",
		   "HTTP/1.1 200 OK\r\n"
		   "Content-Type: multipart/x-mixed-replace; "
		   "boundary=myboundary\r\n\r\n--myboundary\r\n"
		   "Content-Type: text/plain\r\nContent-Length: 66\r\n\r\n"
		   "Code=FaceDetection;action=Start;index=0;"
		   "data={\"Sex\":\"Man\"}\r\n", RBI_VEC_DET),
	RBI_VEC_AN("marker_ends_the_input",
		   "Code=VideoMotion;action=Stop;index=0\r\n"
		   "Code=FaceRecognition", RBI_VEC_REC),
	RBI_VEC_AN("marker_starts_the_input", "faceDetection;index=0",
		   RBI_VEC_DET),
	/* ONVIF: the recognition topic and item, the rule type. */
	RBI_VEC_AN("onvif_recognition_event",
		   "<wsnt:Topic Dialect=\"http://www.onvif.org/ver10/tev/"
		   "topicExpression/ConcreteSet\">tns1:RuleEngine/Recognition/"
		   "Face</wsnt:Topic><wsnt:Message><tt:Message UtcTime="
		   "\"2024-03-01T10:00:00Z\"><tt:Data><tt:SimpleItem "
		   "Name=\"EnrollmentID\" Value=\"42\"/></tt:Data>",
		   RBI_VEC_REC),
	RBI_VEC_AN("onvif_enrollment_single_quotes",
		   "<tt:SimpleItem Name='EnrollmentID' Value='7'/>",
		   RBI_VEC_REC),
	RBI_VEC_AN("onvif_rule_type",
		   "<tt:Rule Name=\"watchlist\" Type=\"tt:FaceRecognition\">"
		   "<tt:Parameters/></tt:Rule>", RBI_VEC_REC),
	/* ONVIF scene description: face objects and their attributes. */
	RBI_VEC_AN("onvif_humanface_object",
		   "<tt:Object ObjectId=\"12\"><tt:Appearance><tt:Class>"
		   "<tt:Type Likelihood=\"0.93\">HumanFace</tt:Type>"
		   "</tt:Class></tt:Appearance></tt:Object>", RBI_VEC_DET),
	RBI_VEC_AN("onvif_class_candidate_face",
		   "<tt:ClassCandidate><tt:Type>Face</tt:Type>"
		   "<tt:Likelihood>0.8</tt:Likelihood></tt:ClassCandidate>",
		   RBI_VEC_DET),
	RBI_VEC_AN("onvif_face_attributes",
		   "<tt:MetadataStream xmlns:tt=\"http://www.onvif.org/ver10/"
		   "schema\" xmlns:fc=\"http://www.onvif.org/ver20/analytics/"
		   "humanface\"><fc:Gender><fc:Male>0.9</fc:Male></fc:Gender>",
		   RBI_VEC_ATTR | RBI_VEC_DET),
	/* A camera's answer to DESCRIBE, then interleaved face metadata. */
	RBI_VEC_AN("rtsp_sdp_then_face_metadata",
		   "RTSP/1.0 200 OK\r\nCSeq: 2\r\n"
		   "Content-Type: application/sdp\r\nContent-Length: 112\r\n"
		   "\r\nv=0\r\no=- 1 1 IN IP4 10.20.0.5\r\ns=Live\r\n"
		   "m=application 0 RTP/AVP 107\r\n"
		   "a=rtpmap:107 vnd.onvif.metadata/90000\r\n"
		   "$\x02\x00\x64\x80\xeb\x00\x01\x00\x00\x00\x00\x12\x34\x56"
		   "\x78<tt:Class><tt:Type>HumanFace</tt:Type></tt:Class>",
		   RBI_VEC_DET),
	/* Hikvision alert stream and metadata: capture, expression. */
	RBI_VEC_AN("isapi_alert_json",
		   "{\"ipAddress\":\"10.20.0.5\",\"eventType\":\"faceSnap\","
		   "\"faceCapture\":[{\"faces\":[{\"faceExpression\":"
		   "{\"value\":\"happy\"},\"age\":{\"value\":30}}]}]}",
		   RBI_VEC_DET | RBI_VEC_EXPR),
	RBI_VEC_AN("isapi_alert_xml",
		   "<EventNotificationAlert version=\"2.0\"><ipAddress>"
		   "10.20.0.5</ipAddress><eventType>facedetection</eventType>"
		   "<eventState>active</eventState>", RBI_VEC_DET),
	RBI_VEC_AN("isapi_metadata_recognition_target",
		   "<type>activityTarget</type><subType>faceSnap</subType>"
		   "<recognition>face</recognition>", RBI_VEC_DET),
	RBI_VEC_AN("every_letter_escaped", "%66%61%63%65%53%6e%61%70",
		   RBI_VEC_DET),
	RBI_VEC_AN("escaped_separator_starts_a_word",
		   "rule%3DFaceDetection", RBI_VEC_DET),
	/* Near misses: ordinary traffic that must not count. */
	RBI_VEC_AN("facebook",
		   "GET /faces HTTP/1.1\r\nHost: graph.facebook.com\r\n"
		   "Referer: https://www.facebook.com/\r\n\r\n", 0),
	RBI_VEC_AN("isapi_device_info",
		   "GET /ISAPI/System/deviceInfo HTTP/1.1\r\n"
		   "Host: 10.20.0.5\r\n\r\n", 0),
	RBI_VEC_AN("isapi_other_intelligent_path",
		   "GET /ISAPI/Intelligent/channels/1/AlgParam HTTP/1.1\r\n",
		   0),
	RBI_VEC_AN("interface",
		   "<NetworkInterface><interfaceDetection>auto"
		   "</interfaceDetection><InterfaceCapture/>"
		   "</NetworkInterface>", 0),
	RBI_VEC_AN("surface",
		   "surfaceCapture=1&surfacedetection=on&typeface=Arial&"
		   "SURFACESNAP=0", 0),
	RBI_VEC_AN("capabilities_are_not_use",
		   "<isSupportFaceDetection>true</isSupportFaceDetection>"
		   "<isSupportFaceLib>true</isSupportFaceLib>", 0),
	RBI_VEC_AN("enrollment_id_elsewhere",
		   "{\"enrollmentId\":42,\"courseId\":7,"
		   "\"deviceEnrollmentID\":\"a1\"}", 0),
	RBI_VEC_AN("human_face_words",
		   "a human face; humanfactors; <tt:Type>Human</tt:Type>", 0),
	RBI_VEC_AN("face_words",
		   "<tt:Type>Faces</tt:Type><name>Faceplate</name>FaceTime "
		   "surface </face>", 0),
	RBI_VEC_AN("sdp_metadata_only",
		   "m=application 0 RTP/AVP 107\r\n"
		   "a=rtpmap:107 vnd.onvif.metadata/90000\r\n", 0),
	RBI_VEC_AN("escaped_letter_before",
		   "ref%72FaceDetection=1", 0),
	RBI_VEC_AN("nul_splits_words", "face\x00" "detection%00facesna", 0),
	RBI_VEC_AN("marker_cut_at_end", "GET /ISAPI/Intelligent/FDLi", 0),
	RBI_VEC_AN("escape_cut_at_end", "GET /ISAPI/Intelligent/%4", 0),
	RBI_VEC_AN("bad_escapes", "%zz%4g%%%", 0),
	RBI_VEC_AN("lone_percent", "%", 0),
	RBI_VEC_AN("empty", "", 0),
};

/*
 * Every strict prefix in a buffer of its own size: a subset of the whole,
 * and with what scanning on from there finds, the whole again.
 */
static int rbi_vec_analytics_prefixes(const struct rbi_vec_analytics_case *c,
				      const uint8_t *buf, char *why,
				      size_t why_len)
{
	uint32_t got, rest;
	uint8_t *cut;
	size_t n;

	for (n = 0; n < c->len; n++) {
		cut = rbi_vec_dup(buf, n);
		if (!cut) {
			rbi_snprintf(why, why_len, "out of memory");
			return -1;
		}
		got = rbi_analytics_scan(cut, n);
		rbi_free(cut);
		if (got & ~c->want) {
			rbi_snprintf(why, why_len, "prefix of %zu bytes: "
				     "markers 0x%x, not within 0x%x", n, got,
				     c->want);
			return -1;
		}
		rest = rbi_analytics_scan_more(buf, c->len, n);
		if ((got | rest) != c->want) {
			rbi_snprintf(why, why_len, "scanning on from %zu "
				     "bytes: markers 0x%x, want 0x%x", n,
				     got | rest, c->want);
			return -1;
		}
	}
	return 0;
}

static const char *rbi_vec_analytics_name(size_t i)
{
	return rbi_vec_analytics_cases[i].name;
}

static int rbi_vec_analytics_check(size_t i, char *why, size_t why_len)
{
	const struct rbi_vec_analytics_case *c = &rbi_vec_analytics_cases[i];
	uint8_t *buf = rbi_vec_dup((const uint8_t *)c->in, c->len);
	uint32_t got;
	int ret = -1;

	if (!buf) {
		rbi_snprintf(why, why_len, "out of memory");
		return -1;
	}
	got = rbi_analytics_scan(buf, c->len);
	if (got != c->want)
		rbi_snprintf(why, why_len, "markers 0x%x, want 0x%x", got,
			     c->want);
	else
		ret = rbi_vec_analytics_prefixes(c, buf, why, why_len);
	rbi_free(buf);
	return ret;
}

const struct rbi_vec_group rbi_vec_analytics = {
	.name = "analytics",
	.count = RBI_ARRAY_SIZE(rbi_vec_analytics_cases),
	.case_name = rbi_vec_analytics_name,
	.check = rbi_vec_analytics_check,
};
