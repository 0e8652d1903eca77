// The SQLite event store: seq assignment, replay, reopening, atomic appends, errors,
// and that a committed append survives the process being killed.
#include "parley/core/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using parley::store::Event;
using parley::store::StoreError;

namespace {

Event make_event(std::string type, std::string data = R"({"n":1})") {
    return Event{0, "acme", std::move(type), 1700000000000, std::move(data)};
}

std::vector<Event> replay_all(parley::store::Store& store, std::uint64_t after = 0) {
    std::vector<Event> out;
    store.replay(after, [&](const Event& e) { out.push_back(e); });
    return out;
}

// Runs one statement on the file through a second connection, as another tool would.
void exec_on(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
}

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("parley-store-test-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path file() const { return dir_ / "events.db"; }
    std::unique_ptr<parley::store::Store> open(const std::string& sync = "full") const {
        return parley::store::open_sqlite(file().string(), sync);
    }

    fs::path dir_;
};

}  // namespace

TEST_F(StoreTest, AppendAssignsIncreasingSeqAcrossCalls) {
    auto store = open();
    EXPECT_EQ(store->last_seq(), 0u);
    std::vector<Event> first{make_event("a"), make_event("b")};
    store->append(first);
    EXPECT_EQ(first[0].seq, 1u);
    EXPECT_EQ(first[1].seq, 2u);
    std::vector<Event> second{make_event("c")};
    store->append(second);
    EXPECT_EQ(second[0].seq, 3u);
    EXPECT_EQ(store->last_seq(), 3u);
}

TEST_F(StoreTest, EmptyAppendIsANoOp) {
    auto store = open();
    std::vector<Event> none;
    store->append(none);
    EXPECT_EQ(store->last_seq(), 0u);
    EXPECT_TRUE(replay_all(*store).empty());
}

TEST_F(StoreTest, ReplayReturnsLaterEventsInOrderWithAllFields) {
    auto store = open();
    std::vector<Event> events{
        make_event("interaction.created"),
        Event{0, "bäckerei-ß", "message.received", -5, R"({"text":"Grüße, \"Zoë\" 👋 — it's 'quoted'"})"},
        Event{0, "acme", "interaction.ended", 1700000000123, R"({"reason":"a\\b\nc"})"},
    };
    store->append(events);

    auto got = replay_all(*store, 1);
    ASSERT_EQ(got.size(), 2u);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].seq, i + 2);
        EXPECT_EQ(got[i].tenant, events[i + 1].tenant);
        EXPECT_EQ(got[i].type, events[i + 1].type);
        EXPECT_EQ(got[i].time_ms, events[i + 1].time_ms);
        EXPECT_EQ(got[i].data, events[i + 1].data);
    }
    EXPECT_EQ(replay_all(*store, 0).size(), 3u);
    EXPECT_TRUE(replay_all(*store, 3).empty());
}

TEST_F(StoreTest, ReopeningKeepsEventsAndContinuesSeq) {
    {
        auto store = open();
        std::vector<Event> events{make_event("a"), make_event("b")};
        store->append(events);
    }
    auto store = open("normal");
    EXPECT_EQ(store->last_seq(), 2u);
    std::vector<Event> more{make_event("c")};
    store->append(more);
    EXPECT_EQ(more[0].seq, 3u);
    auto got = replay_all(*store);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].type, "a");
    EXPECT_EQ(got[2].type, "c");
}

TEST_F(StoreTest, FailedAppendLeavesNothingHalfWritten) {
    auto store = open();
    std::vector<Event> good{make_event("a")};
    store->append(good);
    // A trigger added from outside makes the third row of the next append fail,
    // after two rows were already inserted in the same transaction.
    exec_on(file(), "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'poison' "
                    "BEGIN SELECT RAISE(ABORT, 'poisoned event'); END");

    std::vector<Event> batch{make_event("b"), make_event("c"), make_event("poison")};
    try {
        store->append(batch);
        FAIL() << "append should have thrown";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("poisoned event"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store->last_seq(), 1u);
    EXPECT_EQ(batch[0].seq, 0u);
    EXPECT_EQ(replay_all(*store).size(), 1u);

    std::vector<Event> after{make_event("d")};
    store->append(after);
    EXPECT_EQ(after[0].seq, 2u);
    auto got = replay_all(*store);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].type, "d");
}

TEST_F(StoreTest, ThrowingReplayCallbackLeavesStoreUsable) {
    auto store = open();
    std::vector<Event> events{make_event("a"), make_event("b")};
    store->append(events);
    EXPECT_THROW(store->replay(0, [](const Event&) { throw std::runtime_error("stop"); }), std::runtime_error);
    std::vector<Event> more{make_event("c")};
    store->append(more);
    EXPECT_EQ(replay_all(*store).size(), 3u);
}

TEST_F(StoreTest, BadSynchronousValueIsRejected) {
    try {
        open("off");
        FAIL() << "open should have thrown";
    } catch (const StoreError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("synchronous"), std::string::npos) << what;
        EXPECT_NE(what.find("\"off\""), std::string::npos) << what;
    }
    EXPECT_FALSE(fs::exists(file()));
    EXPECT_NO_THROW(open("FULL"));
}

TEST_F(StoreTest, MissingDirectoryIsReported) {
    auto path = (dir_ / "no-such-dir" / "events.db").string();
    try {
        parley::store::open_sqlite(path);
        FAIL() << "open should have thrown";
    } catch (const StoreError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find(path), std::string::npos) << what;
        EXPECT_NE(what.find("unable to open database file"), std::string::npos) << what;
    }
}

TEST_F(StoreTest, FileThatIsNotADatabaseIsReported) {
    std::ofstream(file()) << std::string(4096, 'x');
    try {
        open();
        FAIL() << "open should have thrown";
    } catch (const StoreError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find(file().string()), std::string::npos) << what;
        EXPECT_NE(what.find("not a database"), std::string::npos) << what;
    }
}

TEST_F(StoreTest, NewerSchemaVersionIsRefused) {
    open();
    exec_on(file(), "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    try {
        open();
        FAIL() << "open should have thrown";
    } catch (const StoreError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("schema version 99"), std::string::npos) << what;
        EXPECT_NE(what.find("newer"), std::string::npos) << what;
    }
}

TEST_F(StoreTest, InMemoryStoreWorks) {
    auto store = parley::store::open_sqlite(":memory:");
    std::vector<Event> events{make_event("a"), make_event("b")};
    store->append(events);
    EXPECT_EQ(store->last_seq(), 2u);
    auto got = replay_all(*store, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].type, "b");
}

// The child appends batches, reports each committed seq through a pipe, and is
// killed right after its last append returns: no destructor, no checkpoint.
TEST_F(StoreTest, CommittedAppendsSurviveSigkill) {
    constexpr int batches = 50;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        try {
            auto store = open();
            for (int i = 0; i < batches; ++i) {
                std::vector<Event> events{make_event("x", R"({"i":)" + std::to_string(i) + "}"), make_event("y")};
                store->append(events);
                std::uint64_t seq = store->last_seq();
                if (write(fds[1], &seq, sizeof seq) != sizeof seq) _exit(3);
            }
            raise(SIGKILL);
        } catch (...) {
            _exit(2);
        }
        _exit(4);
    }
    close(fds[1]);
    std::uint64_t reported = 0, seq = 0;
    while (read(fds[0], &seq, sizeof seq) == sizeof seq) reported = seq;
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
    EXPECT_EQ(reported, 2u * batches);

    auto store = open();
    EXPECT_EQ(store->last_seq(), reported);
    auto got = replay_all(*store);
    ASSERT_EQ(got.size(), reported);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].seq, i + 1);
    EXPECT_EQ(got[98].data, R"({"i":49})");
}
