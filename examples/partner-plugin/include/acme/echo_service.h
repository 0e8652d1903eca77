/*
 * The "acme.echo" service, version 1, as other plugins see it:
 *
 *   if (auto svc = host.find_service(ACME_ECHO_SERVICE, ACME_ECHO_SERVICE_VERSION)) {
 *       auto* echo = static_cast<const acme_echo_service_v1*>(svc->table);
 *       char reply[256];
 *       size_t n = echo->format_reply(svc->user, parley::to_c(text), reply, sizeof reply);
 *   }
 *
 * Like the plugin ABI it is plain C. Functions are only ever appended, with a version
 * bump; a caller checks struct_size before using a function added later.
 */
#ifndef ACME_ECHO_SERVICE_H
#define ACME_ECHO_SERVICE_H

#include <parley/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ACME_ECHO_SERVICE "acme.echo"
#define ACME_ECHO_SERVICE_VERSION 1

typedef struct acme_echo_service_v1 {
    size_t struct_size;
    /* Writes the reply this channel would send for `text` (greeting + text, cut to
       max_length) into out[0..out_size), NUL-terminated, like snprintf. Returns the
       reply's full length in bytes. */
    size_t (*format_reply)(void* user, parley_str text, char* out, size_t out_size);
    /* Messages received through POST /acme/echo/inbound by this instance. */
    uint64_t (*received)(void* user);
} acme_echo_service_v1;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ACME_ECHO_SERVICE_H */
