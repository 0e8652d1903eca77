// The SQLite event store: one connection, WAL journal, prepared statements kept for
// the life of the store.
//
// Threading: a store is used from one thread at a time (the engine's writer, or the
// strand while it replays, under the writer's lock), so it holds no lock of its own and
// the connection is opened without SQLite's mutex. Only last_seq() may be called from
// any thread at any time.
//
// Durability: a transaction is committed once COMMIT returns, when its pages are in
// the WAL file. With synchronous=FULL the WAL is fsynced at every commit, so it
// survives a process crash and power loss. With NORMAL the fsync waits for the next
// checkpoint: a process crash (SIGKILL) still loses nothing, because the writes
// already reached the OS, but power loss may drop the last transactions.
//
// Checkpoints (the WAL copied back into the database file) run on a thread and
// connection of their own (wal_checkpointer.hpp), not inside a commit.
#include "parley/core/store.hpp"

#include "wal_checkpointer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <limits>

namespace parley::store {

namespace {

constexpr int schema_version = 1;
constexpr int busy_timeout_ms = 5000;

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// Resets a statement however the scope is left, so a throwing callback or a failed
// step never leaves a read transaction open.
struct ResetOnExit {
    sqlite3_stmt* stmt;
    ~ResetOnExit() { sqlite3_reset(stmt); }
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string column_string(sqlite3_stmt* stmt, int col) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))) : "";
}

void assign_column(std::string& out, sqlite3_stmt* stmt, int col) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
    out.assign(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
}

class SqliteStore final : public Store {
public:
    SqliteStore(const std::string& path, const std::string& synchronous) : path_(path) {
        auto sync = lower(synchronous);
        if (sync != "full" && sync != "normal")
            throw StoreError("event store " + path_ + ": synchronous must be \"full\" or \"normal\", not \"" +
                             synchronous + "\"");
        open();
        const bool wal = configure(sync);
        create_schema();
        insert_ = prepare("INSERT INTO events (seq, tenant, type, time_ms, data) VALUES (?, ?, ?, ?, ?)");
        select_ = prepare("SELECT seq, tenant, type, time_ms, data FROM events WHERE seq > ? ORDER BY seq");
        // Prepared once: parsing them for every round showed in profiles of the webhook path.
        begin_ = prepare("BEGIN IMMEDIATE");
        commit_ = prepare("COMMIT");
        last_seq_ = read_last_seq();
        if (wal) checkpointer_ = std::make_unique<WalCheckpointer>(db_.get(), path_, sync, WalCheckpointer::Limits{});
    }

    void append(std::vector<Event>& events) override {
        if (events.empty()) return;
        const std::uint64_t last = last_seq_.load();
        for (std::size_t i = 0; i < events.size(); ++i)
            if (events[i].seq != 0 && events[i].seq != last + 1 + i)
                throw StoreError("event store " + path_ + ": event seq " + std::to_string(events[i].seq) +
                                 " does not follow " + std::to_string(last + i));
        step(begin_.get(), "BEGIN IMMEDIATE");
        try {
            for (std::size_t i = 0; i < events.size(); ++i) insert(events[i], last + 1 + i);
            step(commit_.get(), "COMMIT");
        } catch (...) {
            sqlite3_clear_bindings(insert_.get());
            rollback();
            throw;
        }
        sqlite3_clear_bindings(insert_.get());
        for (std::size_t i = 0; i < events.size(); ++i) events[i].seq = last + 1 + i;
        last_seq_ = last + events.size();
    }

    void replay(std::uint64_t after, const std::function<void(const Event&)>& fn) override {
        // fn must not call back into the store: the select is still running.
        if (after > static_cast<std::uint64_t>(std::numeric_limits<sqlite3_int64>::max())) return;
        sqlite3_stmt* stmt = select_.get();
        ResetOnExit reset{stmt};
        check(sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(after)), "replay");
        Event e;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            e.seq = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 0));
            assign_column(e.tenant, stmt, 1);
            assign_column(e.type, stmt, 2);
            e.time_ms = sqlite3_column_int64(stmt, 3);
            assign_column(e.data, stmt, 4);
            fn(e);
        }
        if (rc != SQLITE_DONE) fail("replay");
    }

    std::uint64_t last_seq() override { return last_seq_; }

private:
    void open() {
        sqlite3* raw = nullptr;
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        int rc = sqlite3_open_v2(path_.c_str(), &raw, flags, nullptr);
        db_.reset(raw);  // SQLite allocates a handle even when opening fails
        if (rc != SQLITE_OK) fail("cannot open");
        sqlite3_extended_result_codes(db_.get(), 1);
        sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
    }

    // Returns true for a WAL journal (a file; an in-memory database has none).
    bool configure(const std::string& sync) {
        // The first statement reads the file header, so this is where a file that is
        // not a database is caught. An in-memory database reports "memory" and keeps it.
        auto mode = lower(query_text("PRAGMA journal_mode=WAL", "cannot open"));
        if (mode != "wal" && mode != "memory")
            throw StoreError("event store " + path_ + ": cannot switch to WAL mode (journal mode is " + mode + ")");
        exec("PRAGMA synchronous=" + sync);
        return mode == "wal";
    }

    void create_schema() {
        exec("BEGIN IMMEDIATE");
        try {
            check_schema_version();
            exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            exec("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, "
                 "type TEXT NOT NULL, time_ms INTEGER NOT NULL, data TEXT NOT NULL)");
            exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '" +
                 std::to_string(schema_version) + "')");
            exec("COMMIT");
        } catch (...) {
            rollback();
            throw;
        }
    }

    void check_schema_version() {
        if (query_text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") == "0") return;
        auto found = query_text("SELECT value FROM meta WHERE key = 'schema_version'");
        if (found.empty()) return;
        long long version = 0;
        try {
            version = std::stoll(found);
        } catch (const std::exception&) {
            throw StoreError("event store " + path_ + ": schema version \"" + found + "\" is not a number");
        }
        if (version > schema_version)
            throw StoreError("event store " + path_ + " has schema version " + std::to_string(version) +
                             ", newer than the " + std::to_string(schema_version) +
                             " this Parley understands; upgrade Parley to open it");
    }

    std::uint64_t read_last_seq() {
        return static_cast<std::uint64_t>(std::stoull(query_text("SELECT coalesce(max(seq), 0) FROM events")));
    }

    void insert(const Event& e, std::uint64_t seq) {
        sqlite3_stmt* stmt = insert_.get();
        ResetOnExit reset{stmt};
        check(sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(seq)), "append");
        bind_text(2, e.tenant);
        bind_text(3, e.type);
        check(sqlite3_bind_int64(stmt, 4, e.time_ms), "append");
        bind_text(5, e.data);
        if (sqlite3_step(stmt) != SQLITE_DONE) fail("append");
    }

    // SQLITE_STATIC: the event outlives the step, and bindings are cleared before
    // append() returns so no pointer into the caller's events is kept.
    void bind_text(int index, const std::string& s) {
        check(sqlite3_bind_text64(insert_.get(), index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8), "append");
    }

    void rollback() {
        // SQLite may have rolled back already (e.g. after an I/O error).
        if (!sqlite3_get_autocommit(db_.get())) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }

    StmtPtr prepare(const std::string& sql, const char* doing = "prepare") {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &raw, nullptr);
        StmtPtr stmt(raw);
        check(rc, doing);
        return stmt;
    }

    void step(sqlite3_stmt* stmt, const char* doing) {
        ResetOnExit reset{stmt};
        if (sqlite3_step(stmt) != SQLITE_DONE) fail(doing);
    }

    void exec(const std::string& sql) {
        check(sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr), sql.c_str());
    }

    // The first column of the first row as text, or "" when there is no row.
    std::string query_text(const std::string& sql, const char* doing = nullptr) {
        if (!doing) doing = sql.c_str();
        auto stmt = prepare(sql, doing);
        int rc = sqlite3_step(stmt.get());
        if (rc == SQLITE_ROW) return column_string(stmt.get(), 0);
        if (rc != SQLITE_DONE) fail(doing);
        return "";
    }

    void check(int rc, const char* doing) {
        if (rc != SQLITE_OK) fail(doing);
    }

    [[noreturn]] void fail(const char* doing) { throw StoreError(what(doing)); }

    std::string what(const char* doing) {
        return "event store " + path_ + ": " + doing + ": " + sqlite3_errmsg(db_.get());
    }

    std::string path_;
    DbPtr db_;  // declared before the statements, so they are finalized first
    StmtPtr insert_;
    StmtPtr select_;
    StmtPtr begin_;
    StmtPtr commit_;
    std::unique_ptr<WalCheckpointer> checkpointer_;  // stops before the connection closes
    std::atomic<std::uint64_t> last_seq_{0};  // read from any thread
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& path, const std::string& synchronous) {
    return std::make_unique<SqliteStore>(path, synchronous);
}

}  // namespace parley::store
