/* A shared library that is not a Parley plugin: it exports no entry symbol. */
int parley_test_no_entry_marker(void);
int parley_test_no_entry_marker(void) { return 42; }
