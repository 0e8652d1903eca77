/*
 * The engine service: how a channel plugin hands customer messages and delivery
 * statuses to the core. Found with get_service(PARLEY_ENGINE_SERVICE, 1).
 *
 * Commands (args are JSON objects):
 *   "inbound"         {"channel","origin","customer_number","customer_name","text",
 *                      "channel_message_id","time_ms","kind","attachment"}
 *                     kind: text (default), image, video, audio, document, sticker,
 *                     location, reply, reaction, unsupported; attachment: an object the
 *                     agent desktop shows (media url, caption, location...)
 *                     -> {"interaction","message"} (+ "duplicate":true for a repeat of
 *                     the same channel_message_id, at any time)
 *   "message_status"  {"interaction","message","status","channel_message_id","error"}, or
 *                     {"channel","origin","channel_message_id","status","error"} once the
 *                     channel id is known (what a status webhook carries)
 *                     status: sent, delivered, read, failed; it only moves forward.
 *   "channel_numbers" {"channel","numbers":["+15550001111",...]}: the business numbers
 *                     this channel serves; live conversations on its other numbers are
 *                     interrupted (send it at start, and after each reload)
 * `done` runs on the core thread once the command's events are committed (or the
 * command was refused): status PARLEY_OK with the result JSON, or PARLEY_ERR_INVALID
 * with {"code","message"}. It is not called if the caller was unloaded meanwhile.
 *
 * Outbound messages reach the channel on the bus topic "channel.outbound.<channel>":
 *   {"tenant","interaction","message","origin","to","text"} (+ "template","language",
 *   "reply_to_channel_message_id" when the agent replied to a customer message)
 * Before a send is recorded, the engine runs the filters of
 * "channel.before_send.<channel>" over that object plus "last_customer_message_at" and
 * "now" (ms); a filter that vetoes and rewrites it to {"code","message"} refuses the
 * send with that code (WhatsApp's 24-hour window).
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
