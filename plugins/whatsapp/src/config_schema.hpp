// What [plugins.whatsapp] accepts; the core validates the file against it.
#pragma once

#include <parley/abi.h>

namespace parley::whatsapp {

inline constexpr parley_config_entry kConfigSchema[] = {
    {PARLEY_CONFIG_STRING, "graph_base_url", "\"https://graph.facebook.com\"",
     "Base URL of the Graph API; point it at a local stand-in for tests"},
    {PARLEY_CONFIG_STRING, "api_version", "\"v21.0\"", "Graph API version used in request paths"},
    {PARLEY_CONFIG_STRING, "app_secret_env", "\"WHATSAPP_APP_SECRET\"",
     "Environment variable holding the Meta app secret; unset: sandbox mode"},
    {PARLEY_CONFIG_STRING, "verify_token_env", "\"WHATSAPP_VERIFY_TOKEN\"",
     "Environment variable holding the webhook verify token"},
    {PARLEY_CONFIG_STRING, "access_token_env", "\"WHATSAPP_ACCESS_TOKEN\"",
     "Environment variable holding the Graph API access token"},
    {PARLEY_CONFIG_STRING_ARRAY, "phone_numbers", "[]",
     "Business numbers as \"phone_number_id=+E164\"; the E.164 number is a tenant's entry point"},
    {PARLEY_CONFIG_INT, "body_limit", "262144", "Largest webhook body in bytes; larger: 413"},
    {PARLEY_CONFIG_INT, "send_rate_per_number", "80", "Messages per second per business number"},
    {PARLEY_CONFIG_INT, "recipient_min_interval_ms", "1000", "Least time between two messages to one customer"},
    {PARLEY_CONFIG_INT, "max_retries", "5", "Retries of a send that failed with a transient error"},
    {PARLEY_CONFIG_INT, "retry_base_ms", "500", "First retry delay; it doubles each time, with jitter"},
    {PARLEY_CONFIG_STRING_ARRAY, "templates", "[]",
     "Approved message templates as \"name:language\", sendable outside the 24-hour window"},
    {PARLEY_CONFIG_STRING, "media_dir", "\"media\"", "Where downloaded media is stored (relative: to the current dir)"},
    {PARLEY_CONFIG_INT, "window_hours", "24", "Customer service window after the customer's last message"},
};

}  // namespace parley::whatsapp
