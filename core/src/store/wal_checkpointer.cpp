#include "wal_checkpointer.hpp"

#include "parley/core/log.hpp"
#include "parley/core/store.hpp"

#include <sqlite3.h>

namespace parley::store {

WalCheckpointer::WalCheckpointer(sqlite3* writer, const std::string& path, const std::string& synchronous,
                                 Limits limits)
    : writer_(writer), limits_(limits) {
    int rc = sqlite3_open_v2(path.c_str(), &own_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_exec(own_, ("PRAGMA synchronous=" + synchronous).c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = own_ ? sqlite3_errmsg(own_) : sqlite3_errstr(rc);
        sqlite3_close_v2(own_);
        throw StoreError("event store " + path + ": cannot open the checkpoint connection: " + why);
    }
    // Replaces SQLite's automatic checkpoint on the writer's connection.
    sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);
    thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
    sqlite3_wal_hook(writer_, nullptr, nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    // The writer's connection closes last: SQLite then copies what is left and removes the WAL.
    sqlite3_close_v2(own_);
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
    static_cast<WalCheckpointer*>(self)->after_commit(frames);
    return SQLITE_OK;  // the commit itself succeeded whatever a checkpoint does
}

// On the writer's thread, right after a commit; `frames` is the WAL's length.
void WalCheckpointer::after_commit(int frames) {
    const std::uint64_t passes = passes_;
    const bool tail = frames >= limits_.start_frames && passes > tail_after_pass_;
    if (frames >= limits_.max_frames || tail) {
        tail_after_pass_ = passes;
        return writer_checkpoint();
    }
    if (frames < limits_.start_frames) return;
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    wake_.notify_one();
}

void WalCheckpointer::writer_checkpoint() {
    ++writer_checkpoints_;
    int rc = sqlite3_wal_checkpoint_v2(writer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // Busy: the background pass is running; the next commit tries again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        log::get("store")->warn("WAL checkpoint failed: {} (the WAL grows until one succeeds)", sqlite3_errstr(rc));
}

void WalCheckpointer::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return wanted_ || stopping_; });
        if (stopping_) return;
        wanted_ = false;
        lock.unlock();
        int rc = sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc == SQLITE_OK) ++passes_;  // (busy: the writer was copying; it asks again)
        else if (rc != SQLITE_BUSY) log::get("store")->warn("background WAL checkpoint failed: {}", sqlite3_errstr(rc));
        lock.lock();
    }
}

}  // namespace parley::store
