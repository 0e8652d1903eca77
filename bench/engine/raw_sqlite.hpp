// The peer for the engine benchmark: plain SQLite inserts of event-shaped rows, the
// ceiling a durable command path built on SQLite can hope to approach.
#pragma once

#include <string>

// Inserts `total` rows (tenant, type, time_ms, ~120-byte JSON data) into a fresh
// table of the database at `path`, in WAL mode, one transaction per `batch` rows,
// through one prepared statement. synchronous is FULL when `synchronous_full`,
// NORMAL otherwise. Returns rows per second; throws std::runtime_error on failure.
double raw_sqlite_inserts_per_second(const std::string& path, int batch, int total, bool synchronous_full);
