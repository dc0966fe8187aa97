// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_json.c - json-c for `facet report`, loaded on demand
 *
 * Only `facet report` parses JSON: the other commands do not load json-c.
 */
#include "cli_report_json.h"

FACET_LIB_FN(json_object_array_get_idx);
FACET_LIB_FN(json_object_array_length);
FACET_LIB_FN(json_object_get_double);
FACET_LIB_FN(json_object_get_int64);
FACET_LIB_FN(json_object_get_string);
FACET_LIB_FN(json_object_is_type);
FACET_LIB_FN(json_object_object_get_ex);
FACET_LIB_FN(json_object_put);
FACET_LIB_FN(json_object_to_json_string);
FACET_LIB_FN(json_tokener_error_desc);
FACET_LIB_FN(json_tokener_free);
FACET_LIB_FN(json_tokener_get_error);
FACET_LIB_FN(json_tokener_get_parse_end);
FACET_LIB_FN(json_tokener_new);
FACET_LIB_FN(json_tokener_parse_ex);
FACET_LIB_FN(json_tokener_reset);
FACET_LIB_FN(json_tokener_set_flags);

static const struct facet_lib_sym report_json_syms[] = {
	FACET_LIB_SYM(json_object_array_get_idx),
	FACET_LIB_SYM(json_object_array_length),
	FACET_LIB_SYM(json_object_get_double),
	FACET_LIB_SYM(json_object_get_int64),
	FACET_LIB_SYM(json_object_get_string),
	FACET_LIB_SYM(json_object_is_type),
	FACET_LIB_SYM(json_object_object_get_ex),
	FACET_LIB_SYM(json_object_put),
	FACET_LIB_SYM(json_object_to_json_string),
	FACET_LIB_SYM(json_tokener_error_desc),
	FACET_LIB_SYM(json_tokener_free),
	FACET_LIB_SYM(json_tokener_get_error),
	FACET_LIB_SYM(json_tokener_get_parse_end),
	FACET_LIB_SYM(json_tokener_new),
	FACET_LIB_SYM(json_tokener_parse_ex),
	FACET_LIB_SYM(json_tokener_reset),
	FACET_LIB_SYM(json_tokener_set_flags),
};

static struct facet_lib report_json_lib =
	FACET_LIB(FACET_SONAME_JSONC, "libjson-c5", report_json_syms);

/**
 * report_json_load() - Load json-c, before the first trace is parsed
 * @err:	Error message
 *
 * Return: 0, or -ENOENT if json-c cannot be loaded
 */
int report_json_load(struct facet_err *err)
{
	return facet_lib_load(&report_json_lib, "facet report", err);
}
