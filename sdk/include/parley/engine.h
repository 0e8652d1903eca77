/*
 * The engine service: how a channel plugin hands customer messages and delivery
 * statuses to the core. Found with get_service(PARLEY_ENGINE_SERVICE, 1).
 *
 * Commands (args are JSON objects):
 *   "inbound"         {"channel","origin","customer_number","customer_name","text",
 *                      "channel_message_id","time_ms"}
 *                     -> {"interaction","message"} (+ "duplicate":true for a repeat)
 *   "message_status"  {"interaction","message","status","channel_message_id","error"}
 *                     status: sent, delivered, read, failed; it only moves forward.
 * `done` runs on the core thread once the command's events are committed (or the
 * command was refused): status PARLEY_OK with the result JSON, or PARLEY_ERR_INVALID
 * with {"code","message"}. It is not called if the caller was unloaded meanwhile.
 *
 * Outbound messages reach the channel on the bus topic "channel.outbound.<channel>":
 *   {"tenant","interaction","message","origin","to","text"}
 */
#ifndef PARLEY_ENGINE_H
#define PARLEY_ENGINE_H

#include <parley/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PARLEY_ENGINE_SERVICE "parley.engine"
#define PARLEY_ENGINE_SERVICE_VERSION 1u

typedef void (*parley_engine_done_fn)(void* ctx, parley_status status, parley_str result);

typedef struct parley_engine_service {
    size_t struct_size;
    parley_status (*submit)(void* user, parley_host* caller, parley_str command, parley_str args,
                            parley_engine_done_fn done, void* ctx);
} parley_engine_service;

#ifdef __cplusplus
}
#endif

#endif /* PARLEY_ENGINE_H */
