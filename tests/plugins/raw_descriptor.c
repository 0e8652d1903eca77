/* A plugin written against the raw C ABI, bent by macros into the broken shapes
   the plugin host must refuse. */
#include <parley/abi.h>

#ifndef RAW_MAGIC
#define RAW_MAGIC PARLEY_ABI_MAGIC
#endif
#ifndef RAW_MAJOR
#define RAW_MAJOR PARLEY_ABI_MAJOR
#endif
#ifndef RAW_MINOR
#define RAW_MINOR PARLEY_ABI_MINOR
#endif
#ifndef RAW_EXTRA_SIZE
#define RAW_EXTRA_SIZE 0
#endif

static int instance_token;

static parley_status create(const parley_host_api* api, parley_host* host, const parley_config* config,
                            void** instance, parley_error* err) {
    (void)config;
    (void)err;
    parley_str text = {"raw plugin created", 18};
    api->log(host, PARLEY_LOG_INFO, text);
    *instance = &instance_token;
    return PARLEY_OK;
}

static void destroy(void* instance) { (void)instance; }

#ifdef RAW_DEP
static const char* const dependencies[] = {RAW_DEP, 0};
#define RAW_DEPENDENCIES dependencies
#else
#define RAW_DEPENDENCIES 0
#endif

static const parley_plugin_descriptor descriptor = {
    RAW_MAGIC, RAW_MAJOR, RAW_MINOR, sizeof(parley_plugin_descriptor) + RAW_EXTRA_SIZE,
    RAW_ID, "1.0.0", PARLEY_KIND_FEATURE, "raw C plugin", RAW_DEPENDENCIES,
    0, 0, create, 0, 0, destroy,
};

PARLEY_EXPORT const parley_plugin_descriptor* parley_plugin_entry(void) { return &descriptor; }
