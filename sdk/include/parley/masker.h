/*
 * The masker service, offered by the masking plugin: found with
 * get_service(PARLEY_MASKER_SERVICE, 1) by plugins and hosts that must not show or
 * log customer data. Version 2 adds mask_with; a caller that needs it asks for 2.
 */
#ifndef PARLEY_MASKER_H
#define PARLEY_MASKER_H

#include <parley/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PARLEY_MASKER_SERVICE "parley.masker"
#define PARLEY_MASKER_SERVICE_VERSION 2u

typedef struct parley_masker_service {
    size_t struct_size;
    /* Masks `text` as tenant `tenant` ("" = the defaults) asks for `surface` (a view
       surface such as "task_list", or "logs"). Text the policy leaves alone is
       written unchanged. The result goes to `out`. */
    parley_status (*mask)(void* user, parley_str tenant, parley_str surface, parley_str text, parley_buffer* out);
    /* Masks with an explicit entity list ("card,iban,ssn,email,phone"; "" = all) and
       mask character, whatever any tenant says; writes JSON
       {"masked":"...","spans":[{"entity":"card","start":0,"end":19}]} (byte offsets
       into `text`). */
    parley_status (*detect)(void* user, parley_str entities, parley_str mask_char, parley_str text,
                            parley_buffer* out);

    /* ---- since version 2 ---- */

    /* As detect, but writes the masked text alone: no JSON to build and parse when the
       spans are not wanted (parley mask). PARLEY_ERR_INVALID for an unknown entity or a
       mask character that cannot serve as one. */
    parley_status (*mask_with)(void* user, parley_str entities, parley_str mask_char, parley_str text,
                               parley_buffer* out);
} parley_masker_service;

#ifdef __cplusplus
}
#endif

#endif /* PARLEY_MASKER_H */
