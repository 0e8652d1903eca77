// The event store's checkpoints off the commit path: the background pass copies the
// WAL, the writer copies the tail after it so that SQLite starts the WAL over, and past
// the limit the writer copies everything itself. Nothing committed is lost either way.
#include "store/wal_checkpointer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using parley::store::WalCheckpointer;

namespace {

class WalCheckpointerTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("parley-wal-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        file_ = dir_ / "events.db";
        ASSERT_EQ(sqlite3_open(file_.c_str(), &db_), SQLITE_OK);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=full");
        exec("CREATE TABLE t (n INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    }
    void TearDown() override {
        sqlite3_close(db_);
        fs::remove_all(dir_);
    }

    void exec(const std::string& sql) {
        char* error = nullptr;
        int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
        std::string message = error ? error : "";
        sqlite3_free(error);
        ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << message;
    }
    // One transaction of about three pages.
    void commit_one() { exec("INSERT INTO t (data) VALUES (randomblob(10000))"); }
    // Frames in the WAL now (a passive checkpoint from a new connection reports them).
    int wal_frames() {
        sqlite3* other = nullptr;
        EXPECT_EQ(sqlite3_open(file_.c_str(), &other), SQLITE_OK);
        int log = -1, copied = -1;
        sqlite3_wal_checkpoint_v2(other, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        sqlite3_close(other);
        return log;
    }
    int rows() {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db_, "SELECT count(*) FROM t", -1, &stmt, nullptr);
        sqlite3_step(stmt);
        int n = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        return n;
    }
    std::uintmax_t wal_bytes() const { return fs::exists(wal_file()) ? fs::file_size(wal_file()) : 0; }
    fs::path wal_file() const { return fs::path(file_.string() + "-wal"); }

    fs::path dir_, file_;
    sqlite3* db_ = nullptr;
};

}  // namespace

TEST_F(WalCheckpointerTest, UnderSteadyCommitsTheWalKeepsStartingOver) {
    // Commits back to back, so that every background pass has commits after its start:
    // without the writer copying that tail, SQLite would never start the WAL over and
    // it would hold all 900 frames.
    WalCheckpointer checkpointer(db_, file_.string(), "full", {30, 100000});
    std::uintmax_t largest = 0;
    for (int i = 0; i < 300; ++i) {
        commit_one();
        largest = std::max(largest, wal_bytes());
    }
    EXPECT_GT(checkpointer.passes(), 0u);
    EXPECT_GT(checkpointer.writer_checkpoints(), 0u);
    EXPECT_LE(largest, 32u + 450u * (4096u + 24u));
    EXPECT_EQ(rows(), 300);
}

TEST_F(WalCheckpointerTest, TheWalStaysBoundedWhenTheBackgroundPassLagsBehind) {
    // Start past the limit: every copy is the writer's own, the WAL never grows past it.
    WalCheckpointer checkpointer(db_, file_.string(), "full", {100000, 40});
    std::uintmax_t largest = 0;
    for (int i = 0; i < 300; ++i) {
        commit_one();
        largest = std::max(largest, wal_bytes());
    }
    EXPECT_GT(checkpointer.writer_checkpoints(), 10u);
    EXPECT_EQ(checkpointer.passes(), 0u);
    // 40 frames and one more transaction, of 4 KiB pages and 24-byte frame headers.
    EXPECT_LE(largest, 32u + (40u + 8u) * (4096u + 24u));
    EXPECT_EQ(rows(), 300);
}

TEST_F(WalCheckpointerTest, NothingCommittedIsLostAndTheHookIsRemovedOnDestruction) {
    {
        WalCheckpointer checkpointer(db_, file_.string(), "full", {20, 200});
        for (int i = 0; i < 200; ++i) commit_one();
    }
    for (int i = 0; i < 10; ++i) commit_one();  // no hook left to call into a destroyed object
    sqlite3_close(db_);
    db_ = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(rows(), 210);
}
