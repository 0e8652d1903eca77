#include "parley_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace bench {

namespace fs = std::filesystem;

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(10);

std::string make_folder() {
    std::string pattern = (fs::temp_directory_path() / "parley-bench-webhook-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary folder: " + std::string(std::strerror(errno)));
    return pattern;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The current environment plus (or overridden by) `extra`.
std::vector<std::string> environment(const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e) {
        std::string entry(*e);
        bool overridden = false;
        for (auto& [k, v] : extra) overridden = overridden || entry.rfind(k + "=", 0) == 0;
        if (!overridden) out.push_back(entry);
    }
    for (auto& [k, v] : extra) out.push_back(k + "=" + v);
    return out;
}

bool exited_within(pid_t pid, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace

ParleyProcess::ParleyProcess(const std::string& parley, const std::string& config,
                             const std::vector<std::pair<std::string, std::string>>& env)
    : folder_(make_folder()) {
    std::ofstream(fs::path(folder_) / "parley.toml") << replaced(config, "{dir}", folder_);
    spawn(parley, env);
    try {
        wait_for_port();
    } catch (...) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        throw;
    }
}

ParleyProcess::~ParleyProcess() {
    if (stdout_fd_ >= 0) close(stdout_fd_);
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        if (!exited_within(pid_, kStopTimeout)) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
}

void ParleyProcess::spawn(const std::string& parley, const std::vector<std::pair<std::string, std::string>>& env) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::string err = (fs::path(folder_) / "stderr.log").string();
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string config = (fs::path(folder_) / "parley.toml").string();
    std::vector<std::string> args = {parley, "serve", "--config", config};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    auto vars = environment(env);
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    int rc = posix_spawn(&pid_, parley.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_fd_ = out[0];
    if (rc != 0) throw std::runtime_error("cannot start " + parley + ": " + std::strerror(rc));
}

void ParleyProcess::wait_for_port() {
    static const std::regex serving(R"(serving on http://[^:]+:(\d+)/)");
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{stdout_fd_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        char buf[512];
        ssize_t n = read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) break;  // the server exited
        seen.append(buf, static_cast<std::size_t>(n));
        std::smatch m;
        if (std::regex_search(seen, m, serving)) {
            port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
            return;
        }
    }
    throw std::runtime_error("parley serve did not start; its stderr:\n" + stderr_text() + seen);
}

std::string ParleyProcess::stderr_text() const {
    std::ifstream in(fs::path(folder_) / "stderr.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string find_parley(const std::string& argument) {
    if (!argument.empty()) return argument;
    auto self = fs::read_symlink("/proc/self/exe");
    return (self.parent_path() / ".." / "bin" / "parley").lexically_normal().string();
}

namespace {

// utime + stime (fields 14 and 15) of /proc/<pid>/stat, in seconds.
double proc_cpu_seconds(const std::string& stat_path) {
    std::ifstream in(stat_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

double ParleyProcess::cpu_seconds() const { return proc_cpu_seconds("/proc/" + std::to_string(pid_) + "/stat"); }

double own_cpu_seconds() { return proc_cpu_seconds("/proc/self/stat"); }

}  // namespace bench
