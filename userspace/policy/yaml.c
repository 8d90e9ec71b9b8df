// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/utf8.h"
#include "policy/yaml.h"
#include "util/grow.h"

static const char rbi_bom[3] = { '\xef', '\xbb', '\xbf' };

struct rbi_anchor {
	char *name;
	struct rbi_ynode *node;
};

struct rbi_ybuild {
	struct rbi_ydoc *doc;
	struct rbi_diags *diags;
	struct rbi_ynode *stack[RBI_YAML_DEPTH_MAX + 1];
	char *stack_anchor[RBI_YAML_DEPTH_MAX + 1];
	unsigned int depth;
	struct rbi_anchor *anchors;
	size_t n_anchors;
	size_t cap_anchors;
	size_t nodes;		/* in the file */
	size_t aliased;		/* added by aliases, once expanded */
};

const char *rbi_ynode_kind_name(enum rbi_ynode_kind k)
{
	static const char *const names[__RBI_Y_MAX] = {
		[RBI_Y_SCALAR] = "a scalar",
		[RBI_Y_SEQ] = "a list",
		[RBI_Y_MAP] = "a mapping",
	};

	return (unsigned int)k < __RBI_Y_MAX ? names[k] : "?";
}

/* 1-based line and column of byte offset off, counting characters. */
static void rbi_offset_pos(const char *buf, size_t off, unsigned int *line,
			   unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static void rbi_ybuild_err(struct rbi_ybuild *b, const yaml_mark_t *mark,
			   const char *msg)
{
	rbi_diag_add(b->diags, RBI_DIAG_ERROR, b->doc->file,
		     (unsigned int)mark->line + 1,
		     (unsigned int)mark->column + 1, "%s", msg);
}

/*
 * The budgets: nodes in the file, and nodes aliases expand to. Each
 * message says which one ran out, so that a large policy is never taken
 * for an alias bomb.
 */
static bool rbi_ybuild_budget(struct rbi_ybuild *b, const yaml_mark_t *mark)
{
	if (b->nodes > RBI_YAML_NODES_MAX) {
		rbi_diag_add(b->diags, RBI_DIAG_ERROR, b->doc->file,
			     (unsigned int)mark->line + 1,
			     (unsigned int)mark->column + 1,
			     "more than %d YAML nodes: the policy is too "
			     "large (write networks as fewer, wider prefixes)",
			     RBI_YAML_NODES_MAX);
		return false;
	}
	if (b->aliased > RBI_YAML_ALIAS_MAX) {
		rbi_ybuild_err(b, mark, "too many nodes once aliases are "
			       "expanded (is this an alias bomb?)");
		return false;
	}
	return true;
}

static struct rbi_ynode *rbi_ynode_new(struct rbi_ybuild *b,
				       enum rbi_ynode_kind kind,
				       const yaml_mark_t *mark)
{
	struct rbi_ynode *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	b->nodes++;
	n->kind = kind;
	n->line = (unsigned int)mark->line + 1;
	n->col = (unsigned int)mark->column + 1;
	n->weight = 1;
	n->next_alloc = b->doc->allocs;
	b->doc->allocs = n;
	return n;
}

static bool rbi_ynode_push_kid(struct rbi_ynode *parent, struct rbi_ynode *kid)
{
	struct rbi_ynode **slot = rbi_grow_push(parent->kids, &parent->n_kids,
						&parent->cap_kids);

	if (!slot)
		return false;
	*slot = kid;
	parent->weight += kid->weight;
	return true;
}

static bool rbi_ybuild_anchor(struct rbi_ybuild *b, const yaml_char_t *anchor,
			      struct rbi_ynode *n)
{
	struct rbi_anchor *a;

	if (!anchor)
		return true;
	if (rbi_grow_to(&b->anchors, &b->cap_anchors, b->n_anchors + 1,
			sizeof(*b->anchors)))
		return false;
	a = &b->anchors[b->n_anchors];
	a->name = strdup((const char *)anchor);
	if (!a->name)
		return false;
	a->node = n;
	b->n_anchors++;
	return true;
}

static struct rbi_ynode *rbi_ybuild_alias(struct rbi_ybuild *b,
					  const char *name)
{
	size_t i = b->n_anchors;

	/* A later anchor of the same name shadows an earlier one. */
	while (i--)
		if (!strcmp(b->anchors[i].name, name))
			return b->anchors[i].node;
	return NULL;
}

/* Attaches a finished node to its parent, or makes it the root. */
static bool rbi_ybuild_attach(struct rbi_ybuild *b, struct rbi_ynode *n,
			      const yaml_mark_t *mark)
{
	if (!rbi_ybuild_budget(b, mark))
		return false;
	if (!b->depth) {
		b->doc->root = n;
		return true;
	}
	if (!rbi_ynode_push_kid(b->stack[b->depth - 1], n)) {
		rbi_ybuild_err(b, mark, "out of memory");
		return false;
	}
	return true;
}

/* An explicit tag, which a policy never has a use for. */
static bool rbi_ybuild_tagged(struct rbi_ybuild *b, const yaml_event_t *ev)
{
	static const char core[] = "tag:yaml.org,2002:";
	const char *tag = NULL;

	if (ev->type == YAML_SCALAR_EVENT && !ev->data.scalar.plain_implicit &&
	    !ev->data.scalar.quoted_implicit)
		tag = (const char *)ev->data.scalar.tag;
	else if (ev->type == YAML_SEQUENCE_START_EVENT &&
		 !ev->data.sequence_start.implicit)
		tag = (const char *)ev->data.sequence_start.tag;
	else if (ev->type == YAML_MAPPING_START_EVENT &&
		 !ev->data.mapping_start.implicit)
		tag = (const char *)ev->data.mapping_start.tag;
	if (!tag)
		return false;
	/* Said as it was written: "!!binary" for the core schema's. */
	rbi_diag_add(b->diags, RBI_DIAG_ERROR, b->doc->file,
		     (unsigned int)ev->start_mark.line + 1,
		     (unsigned int)ev->start_mark.column + 1,
		     "YAML tag '%s%s': a policy uses no tags; write the value "
		     "itself", strncmp(tag, core, sizeof(core) - 1) ? "" : "!!",
		     strncmp(tag, core, sizeof(core) - 1) ? tag :
		     tag + sizeof(core) - 1);
	return true;
}

static bool rbi_ybuild_event(struct rbi_ybuild *b, const yaml_event_t *ev)
{
	struct rbi_ynode *n;

	if (rbi_ybuild_tagged(b, ev))
		return false;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.length > RBI_YAML_SCALAR_MAX) {
			rbi_ybuild_err(b, &ev->start_mark, "a value longer "
				       "than 1 MiB: no policy setting needs "
				       "one");
			return false;
		}
		n = rbi_ynode_new(b, RBI_Y_SCALAR, &ev->start_mark);
		if (!n)
			break;
		n->str = malloc(ev->data.scalar.length + 1);
		if (!n->str)
			break;
		memcpy(n->str, ev->data.scalar.value, ev->data.scalar.length);
		n->str[ev->data.scalar.length] = '\0';
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (!rbi_ybuild_anchor(b, ev->data.scalar.anchor, n))
			break;
		return rbi_ybuild_attach(b, n, &ev->start_mark);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= RBI_YAML_DEPTH_MAX) {
			rbi_ybuild_err(b, &ev->start_mark,
				       "nested too deeply");
			return false;
		}
		n = rbi_ynode_new(b, ev->type == YAML_SEQUENCE_START_EVENT ?
				  RBI_Y_SEQ : RBI_Y_MAP, &ev->start_mark);
		if (!n)
			break;
		b->stack_anchor[b->depth] = NULL;
		if (ev->type == YAML_SEQUENCE_START_EVENT &&
		    ev->data.sequence_start.anchor)
			b->stack_anchor[b->depth] =
				strdup((const char *)ev->data.sequence_start.anchor);
		else if (ev->type == YAML_MAPPING_START_EVENT &&
			 ev->data.mapping_start.anchor)
			b->stack_anchor[b->depth] =
				strdup((const char *)ev->data.mapping_start.anchor);
		b->stack[b->depth++] = n;
		return true;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		char *anchor;

		n = b->stack[--b->depth];
		anchor = b->stack_anchor[b->depth];
		/* An anchor names the collection once it is complete. */
		if (anchor) {
			bool ok = rbi_ybuild_anchor(b, (yaml_char_t *)anchor, n);

			free(anchor);
			if (!ok)
				break;
		}
		return rbi_ybuild_attach(b, n, &ev->start_mark);
	}
	case YAML_ALIAS_EVENT:
		n = rbi_ybuild_alias(b, (const char *)ev->data.alias.anchor);
		if (!n) {
			rbi_ybuild_err(b, &ev->start_mark,
				       "alias to an unknown anchor");
			return false;
		}
		/*
		 * Shared, not copied: only the weight grows, so the walk
		 * that follows is bounded by the same budget.
		 */
		b->aliased += n->weight;
		if (!rbi_ybuild_budget(b, &ev->start_mark))
			return false;
		if (!b->depth) {
			b->doc->root = n;
			return true;
		}
		if (!rbi_ynode_push_kid(b->stack[b->depth - 1], n))
			break;
		return true;
	case YAML_DOCUMENT_START_EVENT:
		if (b->doc->root) {
			rbi_ybuild_err(b, &ev->start_mark,
				       "more than one YAML document in the "
				       "file; a policy is one document");
			return false;
		}
		return true;
	default:
		return true;
	}
	rbi_ybuild_err(b, &ev->start_mark, "out of memory");
	return false;
}

bool rbi_yaml_parse(struct rbi_ydoc *doc, const char *file, const char *buf,
		    size_t len, struct rbi_diags *diags)
{
	struct rbi_ybuild b = { .doc = doc, .diags = diags };
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned int line, col;
	bool ok = true, done = false;
	const char *nul;
	size_t bad, i;

	memset(doc, 0, sizeof(*doc));
	doc->file = file;
	if (len > RBI_YAML_SIZE_MAX) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, file, 0, 0,
			     "file is larger than %d MiB", RBI_YAML_SIZE_MAX >> 20);
		return false;
	}
	/* NUL is valid UTF-8 but never belongs in a policy. */
	bad = rbi_utf8_prefix(buf, len);
	nul = memchr(buf, 0, bad);
	if (nul)
		bad = (size_t)(nul - buf);
	if (bad < len) {
		rbi_offset_pos(buf, bad, &line, &col);
		rbi_diag_add(diags, RBI_DIAG_ERROR, file, line, col,
			     "%s; save the file as UTF-8",
			     buf[bad] ? "not valid UTF-8" : "NUL byte");
		return false;
	}
	if (!yaml_parser_initialize(&parser)) {
		rbi_diag_add(diags, RBI_DIAG_ERROR, file, 0, 0, "out of memory");
		return false;
	}
	/* Editors that save "UTF-8 with BOM" mean plain UTF-8. */
	if (len >= sizeof(rbi_bom) && !memcmp(buf, rbi_bom, sizeof(rbi_bom))) {
		buf += sizeof(rbi_bom);
		len -= sizeof(rbi_bom);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (ok && !done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			const yaml_mark_t *m = &parser.problem_mark;

			rbi_diag_add(diags, RBI_DIAG_ERROR, file,
				     (unsigned int)m->line + 1,
				     (unsigned int)m->column + 1,
				     "YAML syntax: %s%s%s",
				     parser.problem ? parser.problem : "error",
				     parser.context ? " " : "",
				     parser.context ? parser.context : "");
			ok = false;
			break;
		}
		ok = rbi_ybuild_event(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	while (b.depth)
		free(b.stack_anchor[--b.depth]);
	for (i = 0; i < b.n_anchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	if (!ok) {
		rbi_yaml_free(doc);
		doc->file = file;
	}
	return ok;
}

void rbi_yaml_free(struct rbi_ydoc *doc)
{
	struct rbi_ynode *n = doc->allocs, *next;

	while (n) {
		next = n->next_alloc;
		free(n->str);
		free(n->kids);
		free(n);
		n = next;
	}
	memset(doc, 0, sizeof(*doc));
}
