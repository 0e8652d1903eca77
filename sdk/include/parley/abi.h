/*
 * Parley plugin boundary (C ABI).
 *
 * Only plain C crosses this line: POD structs, function pointers, opaque handles
 * and (pointer, size) string views. No C++ library type, no exception.
 *
 * Versioning: a plugin and the core must agree on PARLEY_ABI_MAJOR. A plugin built
 * against a newer PARLEY_ABI_MINOR than the core is refused. Every struct that may
 * grow starts with `struct_size`; the receiver copies min(struct_size, sizeof) into
 * a zeroed struct of its own, so old plugins keep working when tables grow.
 * New fields are only ever appended, and only with a minor bump.
 */
#ifndef PARLEY_ABI_H
#define PARLEY_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define PARLEY_NOEXCEPT noexcept
extern "C" {
#else
#define PARLEY_NOEXCEPT
#endif

#if defined(_WIN32)
#define PARLEY_EXPORT __declspec(dllexport)
#else
#define PARLEY_EXPORT __attribute__((visibility("default")))
#endif

#define PARLEY_ABI_MAGIC 0x59454C50u /* "PLEY" read as little-endian bytes */
#define PARLEY_ABI_MAJOR 1
#define PARLEY_ABI_MINOR 2 /* 1.1: register_route_concurrent; 1.2: prefix routes, file answers */

/* The one symbol a shared plugin exports. */
#define PARLEY_ENTRY_SYMBOL "parley_plugin_entry"

/* ---- basic types --------------------------------------------------------- */

/* A borrowed UTF-8 string; not NUL-terminated; valid only during the call. */
typedef struct parley_str {
    const char* data;
    size_t size;
} parley_str;

typedef enum parley_status {
    PARLEY_OK = 0,
    PARLEY_ERR_FAILED = 1,        /* generic failure, see the message */
    PARLEY_ERR_INVALID = 2,       /* bad argument */
    PARLEY_ERR_NOT_FOUND = 3,     /* unknown key, topic, service, command, id */
    PARLEY_ERR_EXISTS = 4,        /* name already registered */
    PARLEY_ERR_TYPE = 5,          /* config value of another type */
    PARLEY_ERR_VERSION = 6,       /* service version too old */
    PARLEY_ERR_EXCEPTION = 7,     /* the C++ wrapper caught an exception */
    PARLEY_ERR_REFUSED = 8,       /* the plugin is isolated or stopping */
    PARLEY_PENDING = 9            /* a route handler answers later with http_complete */
} parley_status;

typedef enum parley_plugin_kind {
    PARLEY_KIND_CHANNEL = 1, /* brings conversations in and out (WhatsApp) */
    PARLEY_KIND_FEATURE = 2  /* adds behaviour (masking, transfer, wrap-up) */
} parley_plugin_kind;

typedef enum parley_log_level {
    PARLEY_LOG_TRACE = 0,
    PARLEY_LOG_DEBUG = 1,
    PARLEY_LOG_INFO = 2,
    PARLEY_LOG_WARN = 3,
    PARLEY_LOG_ERROR = 4
} parley_log_level;

/* Message of a failure, written by the callee into the caller's buffer. */
#define PARLEY_ERROR_MESSAGE_SIZE 512
typedef struct parley_error {
    char message[PARLEY_ERROR_MESSAGE_SIZE];
} parley_error;

/* ---- opaque handles ------------------------------------------------------ */

/* One per plugin instance; every registration made through it is owned by it. */
typedef struct parley_host parley_host;
/* A read-only view of the instance's validated config; valid during the call. */
typedef struct parley_config parley_config;
/* A growable byte buffer owned by the core (results, replies, bodies). */
typedef struct parley_buffer parley_buffer;

/* ---- config schema (declared by the plugin, validated by the core) ------- */

typedef enum parley_config_type {
    PARLEY_CONFIG_STRING = 1,
    PARLEY_CONFIG_INT = 2,
    PARLEY_CONFIG_DOUBLE = 3,
    PARLEY_CONFIG_BOOL = 4,
    PARLEY_CONFIG_STRING_ARRAY = 5
} parley_config_type;

typedef struct parley_config_entry {
    parley_config_type type;
    const char* key;
    /* Default written as TOML would write the value ("8080", "true", "\"x\"",
       "[\"a\", \"b\"]"); NULL means the key is required. */
    const char* default_value;
    const char* description;
} parley_config_entry;

/* ---- callbacks ----------------------------------------------------------- */

/* An "after" notification. Returning non-OK is logged against the plugin. */
typedef parley_status (*parley_event_fn)(void* user, parley_str topic, parley_str payload,
                                         parley_error* err);

/* A "before" filter. It may replace the payload by writing the new one into
   `replacement` (leave it empty to keep the payload) and may veto delivery. */
typedef parley_status (*parley_filter_fn)(void* user, parley_str topic, parley_str payload,
                                          parley_buffer* replacement, int* veto,
                                          parley_error* err);

/* A command by name; args and result are JSON. */
typedef parley_status (*parley_command_fn)(void* user, parley_str args, parley_buffer* result,
                                           parley_error* err);

typedef void (*parley_timer_fn)(void* user, uint64_t timer_id);

typedef struct parley_http_header {
    parley_str name;
    parley_str value;
} parley_http_header;

typedef struct parley_http_request {
    size_t struct_size;
    parley_str method;
    parley_str target; /* path and query as received */
    parley_str path;
    parley_str query;
    parley_str body; /* the raw bytes, as received */
    const parley_http_header* headers;
    size_t header_count;
} parley_http_request;

typedef struct parley_http_response {
    size_t struct_size;
    int32_t status;              /* 200 unless set */
    parley_buffer* content_type; /* "application/json" unless written */
    parley_buffer* body;
    /* since 1.2: a file's path. When written, the core sends that file as the body,
       read from disk as the client takes it, and ignores `body` (404 if it cannot be
       opened). For media and downloads, which need not be in memory. */
    parley_buffer* file;
} parley_http_response;

typedef parley_status (*parley_http_fn)(void* user, const parley_http_request* request,
                                        parley_http_response* response, parley_error* err);

/* A service found by name: a function table and the provider's user pointer. */
typedef struct parley_service {
    const void* table;
    void* user;
    uint32_t version;
} parley_service;

/* ---- the host API (core -> plugin) --------------------------------------- */

typedef struct parley_host_api {
    size_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;

    /* Logging: the core tags each line with the plugin id and masks customer data. */
    void (*log)(parley_host* host, parley_log_level level, parley_str message);

    /* Identity of this instance: plugin id, and tenant id ("" for the defaults). */
    parley_str (*plugin_id)(parley_host* host);
    parley_str (*tenant_id)(parley_host* host);

    /* Config view. Keys are those the plugin declared; values are already validated. */
    parley_status (*config_string)(const parley_config* config, parley_str key, parley_str* out);
    parley_status (*config_int)(const parley_config* config, parley_str key, int64_t* out);
    parley_status (*config_double)(const parley_config* config, parley_str key, double* out);
    parley_status (*config_bool)(const parley_config* config, parley_str key, int* out);
    parley_status (*config_array_size)(const parley_config* config, parley_str key, size_t* out);
    parley_status (*config_array_string)(const parley_config* config, parley_str key, size_t index,
                                         parley_str* out);

    /* Buffers: the core hands some to callbacks; a plugin may make its own (for
       filter) and must destroy those. A view is valid until the next write or destroy. */
    void (*buffer_write)(parley_buffer* buffer, parley_str bytes);
    parley_buffer* (*buffer_create)(void);
    parley_str (*buffer_view)(const parley_buffer* buffer);
    void (*buffer_destroy)(parley_buffer* buffer);

    /* Bus. Lower priority runs first. Ids are owned by the core. */
    parley_status (*subscribe)(parley_host* host, parley_str topic, int32_t priority,
                               parley_event_fn fn, void* user, uint64_t* id);
    parley_status (*add_filter)(parley_host* host, parley_str topic, int32_t priority,
                                parley_filter_fn fn, void* user, uint64_t* id);
    parley_status (*unsubscribe)(parley_host* host, uint64_t id);
    parley_status (*publish)(parley_host* host, parley_str topic, parley_str payload);
    /* Runs the "before" filters of `topic` over payload; the result goes to `out`. */
    parley_status (*filter)(parley_host* host, parley_str topic, parley_str payload,
                            parley_buffer* out, int* vetoed);

    /* Services by name and version. */
    parley_status (*register_service)(parley_host* host, parley_str name, uint32_t version,
                                      const void* table, void* user);
    parley_status (*get_service)(parley_host* host, parley_str name, uint32_t min_version,
                                 parley_service* out);

    /* Commands by name (agent API commands a plugin adds). */
    parley_status (*register_command)(parley_host* host, parley_str name, parley_command_fn fn,
                                      void* user);

    /* Timers run on the core's thread. repeat_ms = 0 fires once. */
    parley_status (*timer_start)(parley_host* host, uint64_t delay_ms, uint64_t repeat_ms,
                                 parley_timer_fn fn, void* user, uint64_t* id);
    parley_status (*timer_cancel)(parley_host* host, uint64_t id);

    /* HTTP routes served by `parley serve`, by exact path. Since 1.2 a path whose last
       segment is a lone '*' (say "/media/whatsapp/" then '*') is a prefix: it takes
       every path under it that has no exact route (the longest such prefix first), and
       the handler reads which from request->path. The handler runs on the core thread. A handler that returns PARLEY_PENDING keeps `response` (not the
       request: copy what you need) and answers later, on the core thread, by filling it
       and calling http_complete (also allowed before the handler returns). */
    parley_status (*register_route)(parley_host* host, parley_str method, parley_str path,
                                    parley_http_fn fn, void* user);
    /* Sends the answer held in `response`, once. Thread-safe (since 1.1): callable from
       the core thread and from the thread running a concurrent route handler (see
       register_route_concurrent). After the plugin is stopped the core has already
       answered 503 and this returns PARLEY_OK without sending anything. */
    parley_status (*http_complete)(parley_host* host, parley_http_response* response);

    /* Runs fn(user) on the core thread, soon. The one host call that is safe from a
       plugin's own threads (a sender thread hands its results back with it). */
    parley_status (*post)(parley_host* host, void (*fn)(void* user), void* user);

    /* Where `parley serve` listens, "http://127.0.0.1:8080" (no trailing slash); empty
       until the server listens, and in hosts that serve no HTTP. Valid until the next call. */
    parley_str (*server_url)(parley_host* host);

    /* Adds `delta` to a counter shown at /metrics as parley_<name> with the labels
       given (Prometheus text, without braces: code="401") plus plugin="<id>". */
    parley_status (*count)(parley_host* host, parley_str name, parley_str help, parley_str labels, int64_t delta);

    /* ---- since ABI 1.1 ---- */

    /* An HTTP route whose handler runs on the HTTP I/O thread that read the request,
       not on the core thread: several calls of it (and of the instance's other
       concurrent routes) may run at once, on different threads, concurrently with the
       core thread. For work that needs nothing of the plugin's core-thread state:
       checking a signature, parsing a body. The handler answers like a register_route
       handler (fill `response` and return PARLEY_OK, or return PARLEY_PENDING and call
       http_complete later), and hands the rest to the core thread with post().

       From inside the handler only these host calls are allowed: log, plugin_id,
       tenant_id, buffer_write/create/view/destroy, count, post, http_complete. Every
       other call returns PARLEY_ERR_REFUSED there (server_url returns ""). The handler
       must not block, nor wait for the core thread (stopping the plugin waits for
       running handlers, on the core thread).

       Lifetime: the core stops calling the instance's concurrent routes before its
       stop(), and waits for those already running to return; so stop() and destroy
       never overlap such a call, and none starts afterwards (the request gets 503).
       A handler that fails or throws answers 500; a throw isolates the plugin (on the
       core thread, after the call). In a host without HTTP the route is ignored. */
    parley_status (*register_route_concurrent)(parley_host* host, parley_str method, parley_str path,
                                               parley_http_fn fn, void* user);
} parley_host_api;

/* ---- the plugin descriptor (plugin -> core) ------------------------------ */

typedef struct parley_plugin_descriptor {
    uint32_t magic; /* PARLEY_ABI_MAGIC */
    uint16_t abi_major;
    uint16_t abi_minor;
    size_t struct_size; /* sizeof(parley_plugin_descriptor) as the plugin saw it */

    const char* id;      /* matches plugin.toml */
    const char* version; /* matches plugin.toml */
    parley_plugin_kind kind;
    const char* description;
    const char* const* dependencies; /* NULL-terminated plugin ids, or NULL */

    const parley_config_entry* config;
    size_t config_count;

    /* One instance per configured scope (defaults, then each tenant that overrides).
       The config view is valid during the call only. */
    parley_status (*create)(const parley_host_api* api, parley_host* host,
                            const parley_config* config, void** instance, parley_error* err);
    parley_status (*start)(void* instance, parley_error* err);
    void (*stop)(void* instance);
    void (*destroy)(void* instance);
} parley_plugin_descriptor;

typedef const parley_plugin_descriptor* (*parley_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PARLEY_ABI_H */
