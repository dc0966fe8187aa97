// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_json.h - json-c for `facet report`, loaded when a report
 *			   reads a trace (core/lib.h)
 */
#ifndef FACET_CLI_REPORT_JSON_H
#define FACET_CLI_REPORT_JSON_H

#include <json-c/json.h>

#include "../core/lib.h"

extern FACET_LIB_FN(json_object_array_get_idx);
extern FACET_LIB_FN(json_object_array_length);
extern FACET_LIB_FN(json_object_get_double);
extern FACET_LIB_FN(json_object_get_int64);
extern FACET_LIB_FN(json_object_get_string);
extern FACET_LIB_FN(json_object_is_type);
extern FACET_LIB_FN(json_object_object_get_ex);
extern FACET_LIB_FN(json_object_put);
extern FACET_LIB_FN(json_object_to_json_string);
extern FACET_LIB_FN(json_tokener_error_desc);
extern FACET_LIB_FN(json_tokener_free);
extern FACET_LIB_FN(json_tokener_get_error);
extern FACET_LIB_FN(json_tokener_get_parse_end);
extern FACET_LIB_FN(json_tokener_new);
extern FACET_LIB_FN(json_tokener_parse_ex);
extern FACET_LIB_FN(json_tokener_reset);
extern FACET_LIB_FN(json_tokener_set_flags);

int report_json_load(struct facet_err *err);

#endif /* FACET_CLI_REPORT_JSON_H */
