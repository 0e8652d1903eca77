// Copies the event store's WAL back into the database file on a thread and connection
// of its own, so that commits do not wait for it.
//
// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1000
// pages: it copies them all and syncs the database file while every request waiting on
// that commit waits too (bench/webhook: p99 9-13 ms with it, about 3 ms with none).
//
// Here the writer's WAL hook only asks: past `start_frames` the background thread copies
// what the WAL holds (a PASSIVE checkpoint: it never blocks the writer). A WAL that keeps
// growing under commits is never wholly copied, and SQLite starts it over only when it
// is; so once a background pass has ended, the writer copies the few frames committed
// since (the tail) itself, and its next transaction writes the WAL from the start again.
// Past `max_frames` (the background thread not keeping up) the writer copies everything
// itself, as SQLite would: the WAL stays bounded whatever happens.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace parley::store {

class WalCheckpointer {
public:
    struct Limits {
        int start_frames = 1000;  // SQLite's own automatic checkpoint threshold
        int max_frames = 8000;
    };

    // Opens a second connection to the database file, with the same synchronous setting,
    // and installs the WAL hook on `writer` (which must stay open longer than this).
    // Throws StoreError if the connection cannot be opened.
    WalCheckpointer(sqlite3* writer, const std::string& path, const std::string& synchronous, Limits limits);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // Background passes ended so far, and checkpoints the writer ran itself (for tests).
    std::uint64_t passes() const { return passes_; }
    std::uint64_t writer_checkpoints() const { return writer_checkpoints_; }

private:
    static int on_commit(void* self, sqlite3* db, const char* name, int frames);
    void after_commit(int frames);
    void writer_checkpoint();
    void run();

    sqlite3* writer_;
    sqlite3* own_ = nullptr;
    Limits limits_;
    std::uint64_t tail_after_pass_ = 0;  // writer thread only: the pass whose tail it copied
    std::atomic<std::uint64_t> passes_{0};
    std::atomic<std::uint64_t> writer_checkpoints_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace parley::store
