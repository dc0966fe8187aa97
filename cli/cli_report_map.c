// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_map.c - A string-keyed table that keeps insertion order
 *
 * DOC: Theory of operation
 *
 * A report counts per pid, syscall name, path and socket address, over
 * traces of a million events: lookups must not be linear.  Entries live in
 * two parallel arrays in insertion order (so an entry's index is stable and
 * events can refer to it), and an open-addressing index of entry numbers,
 * twice the size of the entry array, finds them by key (FNV-1a hash, linear
 * probing).  Entries are never removed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"

/* FNV-1a, 64 bits */
static uint64_t map_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Slot holding @key, or the empty slot where it would go */
static size_t map_slot(const struct report_map *m, const char *key)
{
	size_t mask = m->nslots - 1, i = map_hash(key) & mask;

	while (m->slots[i] && strcmp(m->keys[m->slots[i] - 1], key))
		i = (i + 1) & mask;
	return i;
}

/**
 * report_map_get() - Find a record by key
 * @m:		Map
 * @key:	Key
 *
 * Return: the record, NULL if absent
 */
void *report_map_get(const struct report_map *m, const char *key)
{
	size_t i;

	if (!m->nslots)
		return NULL;
	i = map_slot(m, key);
	return m->slots[i] ? m->vals[m->slots[i] - 1] : NULL;
}

/* Double the entry arrays and rebuild the index at twice their size */
static int map_grow(struct report_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16, i;
	char **keys;
	void **vals;

	keys = realloc(m->keys, cap * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	m->keys = keys;
	vals = realloc(m->vals, cap * sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	m->vals = vals;
	free(m->slots);
	m->slots = calloc(cap * 2, sizeof(*m->slots));
	if (!m->slots) {
		m->nslots = 0;
		return -ENOMEM;
	}
	m->cap = cap;
	m->nslots = cap * 2;
	for (i = 0; i < m->n; i++)
		m->slots[map_slot(m, m->keys[i])] = i + 1;
	return 0;
}

/**
 * report_map_add() - Find a record by key, adding a zeroed one if absent
 * @m:		Map
 * @key:	Key, copied
 * @size:	Size of a record, for a new one
 *
 * Return: the record, NULL if out of memory
 */
void *report_map_add(struct report_map *m, const char *key, size_t size)
{
	void *val = report_map_get(m, key);
	char *k;

	if (val)
		return val;
	if (m->n == m->cap && map_grow(m))
		return NULL;
	k = strdup(key);
	val = calloc(1, size);
	if (!k || !val) {
		free(k);
		free(val);
		return NULL;
	}
	m->keys[m->n] = k;
	m->vals[m->n] = val;
	m->slots[map_slot(m, k)] = ++m->n;
	return val;
}

/**
 * report_map_free() - Free a map, its keys and its records
 * @m:		Map, left empty
 */
void report_map_free(struct report_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
