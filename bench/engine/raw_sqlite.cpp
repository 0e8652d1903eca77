#include "raw_sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

[[noreturn]] void fail(sqlite3* db, const std::string& doing) {
    throw std::runtime_error("raw sqlite bench: " + doing + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

DbPtr open_fresh(const std::string& path, bool synchronous_full) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) fail(db.get(), "open " + path);
    exec(db.get(), "PRAGMA journal_mode=WAL");
    exec(db.get(), synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec(db.get(), "DROP TABLE IF EXISTS raw_events");
    exec(db.get(), "CREATE TABLE raw_events (seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, "
                   "type TEXT NOT NULL, time_ms INTEGER NOT NULL, data TEXT NOT NULL)");
    return db;
}

// About 120 bytes, different for every row, like a real event payload.
std::string row_data(int i) {
    return R"({"interaction":"int-)" + std::to_string(1000000 + i) +
           R"(","channel":"whatsapp","from":"+4915112345678","text":"hello, I need help with my order"})";
}

void insert_row(sqlite3* db, sqlite3_stmt* stmt, int i, const std::string& data) {
    static const std::string tenant = "acme";
    static const std::string type = "message.received";
    sqlite3_bind_text(stmt, 1, tenant.data(), static_cast<int>(tenant.size()), SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, type.data(), static_cast<int>(type.size()), SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, 1700000000000 + i);
    sqlite3_bind_text(stmt, 4, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) fail(db, "insert");
}

}  // namespace

double raw_sqlite_inserts_per_second(const std::string& path, int batch, int total, bool synchronous_full) {
    if (batch <= 0 || total <= 0) throw std::invalid_argument("raw sqlite bench: batch and total must be positive");
    auto db = open_fresh(path, synchronous_full);
    sqlite3_stmt* raw = nullptr;
    const char* sql = "INSERT INTO raw_events (tenant, type, time_ms, data) VALUES (?, ?, ?, ?)";
    if (sqlite3_prepare_v2(db.get(), sql, -1, &raw, nullptr) != SQLITE_OK) fail(db.get(), "prepare");
    StmtPtr stmt(raw);

    auto start = std::chrono::steady_clock::now();
    for (int done = 0; done < total;) {
        exec(db.get(), "BEGIN IMMEDIATE");
        for (int end = std::min(done + batch, total); done < end; ++done) {
            std::string data = row_data(done);
            insert_row(db.get(), stmt.get(), done, data);
        }
        exec(db.get(), "COMMIT");
    }
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return total / elapsed.count();
}
