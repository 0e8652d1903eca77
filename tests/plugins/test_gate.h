/* A core service the unit tests provide to the concurrent_route test plugin
   ("test.gate", version 1): the plugin reports each step of its calls through it,
   and the test may hold a call at a step to see what runs meanwhile. */
#ifndef PARLEY_TEST_GATE_H
#define PARLEY_TEST_GATE_H

#include <parley/abi.h>

#define PARLEY_TEST_GATE_SERVICE "test.gate"

typedef struct parley_test_gate {
    size_t struct_size;
    /* step: "enter", "leave", "held", "stop", "destroyed"; query: the request's query
       ("" outside a request). May block. */
    void (*pass)(void* user, parley_str step, parley_str query);
} parley_test_gate;

#endif
