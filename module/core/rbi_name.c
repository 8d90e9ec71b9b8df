// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The table is a trie over each pattern's labels read from the right
 * (com -> amazonaws -> * -> rekognition). Literal children are not listed in
 * their parent: one open-addressed hash table keyed by (parent node, label)
 * holds every edge, so a step costs one probe whatever the fan-out ("com"
 * may have 100,000 children). Nodes sit in one array of 32-bit words, each
 * followed by its own label, so that a step touches one slot and one node
 * and nothing else. A one-label '*' child hangs off its parent directly. A
 * "*." pattern is a mark on the node of the name it sits below, not a child.
 *
 * Lookup walks the name's labels from the right and keeps the set of nodes
 * its suffix reaches: each steps to its literal child and to its '*' child.
 * The set grows only at nodes that have both (forks). Adding refuses a
 * pattern that would put more than RBI_NAME_FORKS_MAX forks on one path, so
 * the set fits a fixed array on the stack and lookup needs no allocation and
 * no recursion. Every node keeps the most forks on any path from it down,
 * which turns that check into a walk along the new pattern's own path.
 */
#include "rbi_name.h"

enum {
	RBI_NAME_STATES = 1 << RBI_NAME_FORKS_MAX,
	/* Keeps word and slot indices and sizes far from 32-bit overflow. */
	RBI_NAME_WORDS_MAX = 1 << 26,
	RBI_NAME_FIRST_SLOTS = 64,
};

/*
 * A node is named by the index of its first word in the array; the root
 * is at 0, and as nobody's child, 0 also means "no node".
 */
struct rbi_name_node {
	uint32_t parent;
	uint32_t star;		/* child through a one-label '*' */
	uint32_t exact;		/* pattern ending here, index + 1; 0: none */
	uint32_t below;		/* the same for "*." over this node */
	uint8_t has_literal;
	uint8_t forks;		/* most forks on a path from here down */
	uint8_t len;		/* of the label; 0 for the root and '*' */
	char label[];		/* lower case */
};

struct rbi_name_slot {
	uint32_t hash;
	uint32_t node;
};

struct rbi_name_pat {
	uint32_t value;
	uint8_t literals;
	uint8_t stars;
	bool below;
};

struct rbi_name_table {
	uint32_t *words;	/* the nodes */
	struct rbi_name_slot *slots;
	struct rbi_name_pat *pats;
	uint32_t n_words, cap_words;
	uint32_t n_edges;	/* literal nodes, one slot each */
	uint32_t cap_slots;	/* a power of two */
	uint32_t n_pats, cap_pats;
};

/* A valid pattern taken apart; body excludes the "*." and trailing dot. */
struct rbi_name_shape {
	const char *body;
	size_t len;
	bool below;
	uint8_t labels;
	uint8_t literals;
	uint8_t stars;
	size_t words;		/* that its nodes would take */
};

/*
 * Labels of s[0..len) from the right. An empty label comes out with length
 * 0, so that callers can refuse "a..b", ".a" and "".
 */
struct rbi_labels {
	const char *s;
	size_t left;
	bool done;
};

static void rbi_labels_init(struct rbi_labels *it, const char *s, size_t len)
{
	it->s = s;
	it->left = len;
	it->done = false;
}

static bool rbi_labels_next(struct rbi_labels *it, const char **label,
			    size_t *len)
{
	size_t i = it->left;

	if (it->done)
		return false;
	while (i && it->s[i - 1] != '.')
		i--;
	*label = it->s + i;
	*len = it->left - i;
	if (i)
		it->left = i - 1;
	else
		it->done = true;
	return true;
}

static struct rbi_name_node *rbi_name_at(const struct rbi_name_table *t,
					 uint32_t node)
{
	return (struct rbi_name_node *)(t->words + node);
}

static size_t rbi_name_node_words(size_t label_len)
{
	return (sizeof(struct rbi_name_node) + label_len + 3) / 4;
}

static size_t rbi_name_trim(const char *s, size_t len)
{
	return (len && s[len - 1] == '.') ? len - 1 : len;
}

static bool rbi_name_is_star(const char *label, size_t len)
{
	return len == 1 && label[0] == '*';
}

static bool rbi_name_label_char(char c)
{
	c = rbi_tolower(c);
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static const char *rbi_name_label_why(const char *label, size_t len)
{
	size_t i;

	if (!len)
		return "empty label";
	if (len > RBI_NAME_LABEL_MAX)
		return "label longer than 63 characters";
	for (i = 0; i < len; i++) {
		if (label[i] == '*')
			return len == 1 ? NULL : "'*' must be a whole label";
		if (!rbi_name_label_char(label[i]))
			return "invalid character: a label has only letters, digits, '-' and '_'";
	}
	return NULL;
}

/* NULL when p is a valid pattern, with sh filled; else why it is not. */
static const char *rbi_name_shape(const char *p, size_t len,
				  struct rbi_name_shape *sh)
{
	struct rbi_labels it;
	const char *label, *why;
	size_t llen;

	len = rbi_name_trim(p, len);
	if (!len)
		return "empty pattern";
	if (len > RBI_NAME_MAX)
		return "pattern longer than 253 characters";
	if (rbi_name_is_star(p, len))
		return "'*' alone would match every name";
	sh->below = len > 2 && p[0] == '*' && p[1] == '.';
	sh->body = sh->below ? p + 2 : p;
	sh->len = sh->below ? len - 2 : len;
	sh->labels = 0;
	sh->literals = 0;
	sh->stars = 0;
	sh->words = 0;
	rbi_labels_init(&it, sh->body, sh->len);
	while (rbi_labels_next(&it, &label, &llen)) {
		why = rbi_name_label_why(label, llen);
		if (why)
			return why;
		sh->labels++;
		if (rbi_name_is_star(label, llen)) {
			sh->stars++;
			sh->words += rbi_name_node_words(0);
		} else {
			sh->literals++;
			sh->words += rbi_name_node_words(llen);
		}
	}
	return sh->literals ? NULL : "pattern needs at least one literal label";
}

int rbi_name_pattern_check(const char *pattern, size_t len, const char **why)
{
	struct rbi_name_shape sh;
	const char *reason = rbi_name_shape(pattern, len, &sh);

	if (why)
		*why = reason;
	return reason ? -EINVAL : 0;
}

/* FNV-1a over the folded label: the same for a pattern and for a name. */
static uint32_t rbi_name_label_hash(const char *label, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)rbi_tolower(label[i])) * 16777619u;
	return h;
}

/* Mixes in the parent so that "api" below "kairos" and below "x" differ. */
static uint32_t rbi_name_edge_hash(uint32_t parent, uint32_t label_hash)
{
	return rbi_hash32(label_hash ^ (parent * 0x9e3779b1u));
}

static bool rbi_name_label_is(const struct rbi_name_node *n,
			      const char *label, size_t len)
{
	size_t i;

	if (n->len != len)
		return false;
	for (i = 0; i < len; i++)
		if (rbi_tolower(label[i]) != n->label[i])
			return false;
	return true;
}

/*
 * The literal child of parent for label (hash from rbi_name_edge_hash), or
 * 0 with *free_slot (if not NULL) set to where that child would go.
 */
static uint32_t rbi_name_child(const struct rbi_name_table *t,
			       uint32_t parent, const char *label, size_t len,
			       uint32_t hash, uint32_t *free_slot)
{
	uint32_t mask = t->cap_slots - 1;
	const struct rbi_name_slot *s;
	const struct rbi_name_node *n;
	uint32_t i;

	for (i = hash & mask;; i = (i + 1) & mask) {
		s = &t->slots[i];
		if (!s->node)
			break;
		n = rbi_name_at(t, s->node);
		if (s->hash == hash && n->parent == parent &&
		    rbi_name_label_is(n, label, len))
			return s->node;
	}
	if (free_slot)
		*free_slot = i;
	return 0;
}

static bool rbi_name_is_fork(const struct rbi_name_node *n)
{
	return n->star && n->has_literal;
}

/*
 * Whether the pattern keeps every path at RBI_NAME_FORKS_MAX forks or
 * fewer. Only nodes on its path can gain a child, so it is enough to check
 * at each of them the forks above, its own and the most below; the nodes it
 * would create form a chain without forks.
 */
static bool rbi_name_forks_ok(const struct rbi_name_table *t,
			      const struct rbi_name_shape *sh)
{
	uint32_t node = 0, up = 0, hash;
	const struct rbi_name_node *n;
	struct rbi_labels it;
	const char *label;
	bool star, fork;
	size_t llen;

	rbi_labels_init(&it, sh->body, sh->len);
	while (rbi_labels_next(&it, &label, &llen)) {
		n = rbi_name_at(t, node);
		star = rbi_name_is_star(label, llen);
		fork = (n->star || star) && (n->has_literal || !star);
		if (up + fork + n->forks - rbi_name_is_fork(n) >
		    RBI_NAME_FORKS_MAX)
			return false;
		up += fork;
		if (star) {
			node = n->star;
		} else {
			hash = rbi_name_edge_hash(node,
					rbi_name_label_hash(label, llen));
			node = rbi_name_child(t, node, label, llen, hash, NULL);
		}
		if (!node)
			break;
	}
	return true;
}

static int rbi_name_rehash(struct rbi_name_table *t, uint32_t cap)
{
	struct rbi_name_slot *slots = rbi_zalloc((size_t)cap * sizeof(*slots));
	uint32_t i, j;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->cap_slots; i++) {
		if (!t->slots[i].node)
			continue;
		j = t->slots[i].hash & (cap - 1);
		while (slots[j].node)
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	rbi_free(t->slots);
	t->slots = slots;
	t->cap_slots = cap;
	return 0;
}

/*
 * Makes room for everything the pattern can add, so that the insertion
 * itself cannot fail half-way and leave a partial path behind.
 */
static int rbi_name_reserve(struct rbi_name_table *t,
			    const struct rbi_name_shape *sh)
{
	size_t words = t->n_words + sh->words;
	size_t edges = (size_t)t->n_edges + sh->labels;
	uint32_t cap = t->cap_slots;
	void *p;

	if (words > RBI_NAME_WORDS_MAX)
		return -ENOMEM;
	/* Linear probing stays short below 3/4 full. */
	while (edges * 4 > (size_t)cap * 3)
		cap *= 2;
	if (cap != t->cap_slots && rbi_name_rehash(t, cap))
		return -ENOMEM;
	p = rbi_grow(t->words, &t->cap_words, words, sizeof(*t->words));
	if (!p)
		return -ENOMEM;
	t->words = p;
	p = rbi_grow(t->pats, &t->cap_pats, t->n_pats + 1, sizeof(*t->pats));
	if (!p)
		return -ENOMEM;
	t->pats = p;
	return 0;
}

/* A node for label (len 0: a '*' node); the space is reserved. */
static uint32_t rbi_name_new_node(struct rbi_name_table *t, uint32_t parent,
				  const char *label, size_t len)
{
	uint32_t i = t->n_words;
	struct rbi_name_node *n = rbi_name_at(t, i);
	size_t k;

	t->n_words += (uint32_t)rbi_name_node_words(len);
	n->parent = parent;
	n->len = (uint8_t)len;
	for (k = 0; k < len; k++)
		n->label[k] = rbi_tolower(label[k]);
	return i;
}

/* The child of parent for label, created if missing (space is reserved). */
static uint32_t rbi_name_add_child(struct rbi_name_table *t, uint32_t parent,
				   const char *label, size_t len)
{
	struct rbi_name_node *p = rbi_name_at(t, parent);
	bool was_fork = rbi_name_is_fork(p);
	uint32_t child, hash, slot;

	if (rbi_name_is_star(label, len)) {
		if (p->star)
			return p->star;
		child = rbi_name_new_node(t, parent, label, 0);
		p->star = child;
	} else {
		hash = rbi_name_edge_hash(parent,
					  rbi_name_label_hash(label, len));
		child = rbi_name_child(t, parent, label, len, hash, &slot);
		if (child)
			return child;
		child = rbi_name_new_node(t, parent, label, len);
		t->slots[slot].hash = hash;
		t->slots[slot].node = child;
		t->n_edges++;
		p->has_literal = 1;
	}
	/* A node's own fork counts on every path through it. */
	if (!was_fork && rbi_name_is_fork(p))
		p->forks++;
	return child;
}

/* Carries a path's fork count up to the root after the path grew. */
static void rbi_name_raise_forks(struct rbi_name_table *t, uint32_t node)
{
	struct rbi_name_node *n, *p;
	unsigned int f;

	while (node) {
		n = rbi_name_at(t, node);
		p = rbi_name_at(t, n->parent);
		f = rbi_name_is_fork(p) + n->forks;
		if (f > p->forks)
			p->forks = (uint8_t)f;
		node = n->parent;
	}
}

int rbi_name_table_add(struct rbi_name_table *t, const char *pattern,
		       size_t len, uint32_t value)
{
	struct rbi_name_shape sh;
	struct rbi_name_pat *pat;
	struct rbi_labels it;
	uint32_t node = 0, *mark;
	const char *label;
	size_t llen;
	int err;

	if (rbi_name_shape(pattern, len, &sh))
		return -EINVAL;
	if (!rbi_name_forks_ok(t, &sh))
		return -ENOSPC;
	err = rbi_name_reserve(t, &sh);
	if (err)
		return err;
	rbi_labels_init(&it, sh.body, sh.len);
	while (rbi_labels_next(&it, &label, &llen))
		node = rbi_name_add_child(t, node, label, llen);
	mark = sh.below ? &rbi_name_at(t, node)->below :
			  &rbi_name_at(t, node)->exact;
	/* An existing mark means the whole path existed: nothing changed. */
	if (*mark)
		return -EEXIST;
	pat = &t->pats[t->n_pats];
	pat->value = value;
	pat->literals = sh.literals;
	pat->stars = sh.stars;
	pat->below = sh.below;
	*mark = ++t->n_pats;
	rbi_name_raise_forks(t, node);
	return 0;
}

/* Of two pattern marks (index + 1, 0 for none), the more specific. */
static uint32_t rbi_name_better(const struct rbi_name_table *t, uint32_t a,
				uint32_t b)
{
	const struct rbi_name_pat *pa, *pb;

	if (!a || !b)
		return a ? a : b;
	pa = &t->pats[a - 1];
	pb = &t->pats[b - 1];
	if (pa->literals != pb->literals)
		return pa->literals > pb->literals ? a : b;
	if (pa->below != pb->below)
		return pa->below ? b : a;
	if (pa->stars != pb->stars)
		return pa->stars < pb->stars ? a : b;
	return a < b ? a : b;
}

static bool rbi_name_valid(const char *name, size_t len)
{
	size_t i, run = 0;

	if (!len || len > RBI_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (name[i] != '.') {
			if (++run > RBI_NAME_LABEL_MAX)
				return false;
			continue;
		}
		if (!run)
			return false;
		run = 0;
	}
	return run != 0;
}

static uint32_t rbi_name_push(uint32_t *set, uint32_t n, uint32_t node)
{
	/* The fork bound keeps the set from filling; this keeps it so. */
	if (node && n < RBI_NAME_STATES)
		set[n++] = node;
	return n;
}

/*
 * Moves every state in cur[0..n) over one more label into next and returns
 * how many there are. A state with a label still to come lies strictly
 * below its node, which is what a "*." mark there matches.
 */
static uint32_t rbi_name_step(const struct rbi_name_table *t,
			      const uint32_t *cur, uint32_t n,
			      const char *label, size_t len, uint32_t *next,
			      uint32_t *best)
{
	uint32_t label_hash = rbi_name_label_hash(label, len);
	const struct rbi_name_node *node;
	uint32_t i, m = 0, child;

	for (i = 0; i < n; i++) {
		node = rbi_name_at(t, cur[i]);
		*best = rbi_name_better(t, *best, node->below);
		if (node->has_literal) {
			child = rbi_name_child(t, cur[i], label, len,
					       rbi_name_edge_hash(cur[i],
								  label_hash),
					       NULL);
			m = rbi_name_push(next, m, child);
		}
		m = rbi_name_push(next, m, node->star);
	}
	return m;
}

bool rbi_name_table_lookup(const struct rbi_name_table *t, const char *name,
			   size_t len, uint32_t *value)
{
	uint32_t set[2][RBI_NAME_STATES];
	uint32_t *cur = set[0], *next = set[1], *swap;
	uint32_t n = 1, i, best = 0;
	struct rbi_labels it;
	const char *label;
	size_t llen;

	len = rbi_name_trim(name, len);
	if (!rbi_name_valid(name, len))
		return false;
	cur[0] = 0;
	rbi_labels_init(&it, name, len);
	while (n && rbi_labels_next(&it, &label, &llen)) {
		n = rbi_name_step(t, cur, n, label, llen, next, &best);
		swap = cur;
		cur = next;
		next = swap;
	}
	for (i = 0; i < n; i++)
		best = rbi_name_better(t, best, rbi_name_at(t, cur[i])->exact);
	if (!best)
		return false;
	*value = t->pats[best - 1].value;
	return true;
}

struct rbi_name_table *rbi_name_table_alloc(void)
{
	struct rbi_name_table *t = rbi_zalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->words = rbi_grow(NULL, &t->cap_words, rbi_name_node_words(0),
			    sizeof(*t->words));
	t->slots = rbi_zalloc(RBI_NAME_FIRST_SLOTS * sizeof(*t->slots));
	if (!t->words || !t->slots) {
		rbi_name_table_free(t);
		return NULL;
	}
	t->cap_slots = RBI_NAME_FIRST_SLOTS;
	t->n_words = (uint32_t)rbi_name_node_words(0);
	return t;
}

void rbi_name_table_free(struct rbi_name_table *t)
{
	if (!t)
		return;
	rbi_free(t->words);
	rbi_free(t->slots);
	rbi_free(t->pats);
	rbi_free(t);
}

size_t rbi_name_table_count(const struct rbi_name_table *t)
{
	return t->n_pats;
}

size_t rbi_name_table_mem(const struct rbi_name_table *t)
{
	return sizeof(*t) + (size_t)t->cap_words * sizeof(*t->words) +
	       (size_t)t->cap_slots * sizeof(*t->slots) +
	       (size_t)t->cap_pats * sizeof(*t->pats);
}
