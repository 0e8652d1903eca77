// parley passwd: hashes a password read from stdin for an agent's password_hash.
#include "common.hpp"

#include "parley/core/password.hpp"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <string>

namespace parley::cli {
namespace {

constexpr int exit_refused = 1;  // empty password, or the two entries differ

// The terminal's settings while echo is off, for the signal handler to put back.
termios saved_terminal{};

extern "C" void restore_terminal_and_die(int sig) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Echo off for its lifetime, also if the user presses Ctrl-C.
class NoEcho {
public:
    NoEcho() {
        ok_ = ::tcgetattr(STDIN_FILENO, &saved_terminal) == 0;
        if (!ok_) return;
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, restore_terminal_and_die);
        termios quiet = saved_terminal;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ~NoEcho() {
        if (!ok_) return;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, SIG_DFL);
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

private:
    bool ok_ = false;
};

// A password, zeroed when it goes out of scope (best effort: getline may have
// reallocated it on the way).
struct Secret {
    std::string text;
    Secret() { text.reserve(256); }
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret() { sodium_memzero(text.data(), text.size()); }
};

// One line without its end ("\n" or "\r\n"); "" at end of input.
void read_line(Secret& out) {
    std::getline(std::cin, out.text);
    if (!out.text.empty() && out.text.back() == '\r') out.text.pop_back();
}

void prompt(const char* text, Secret& out) {
    std::cerr << text << std::flush;
    NoEcho quiet;
    read_line(out);
    std::cerr << "\n";
}

// From a terminal: asked twice without echo; false if the two entries differ.
bool read_from_terminal(Secret& password) {
    prompt("Password: ", password);
    if (password.text.empty()) return true;
    Secret again;
    prompt("Again: ", again);
    return password.text == again.text;
}

}  // namespace

int passwd() {
    Secret password;
    if (::isatty(STDIN_FILENO) != 1) read_line(password);
    else if (!read_from_terminal(password)) {
        std::cerr << "parley passwd: the passwords do not match\n";
        return exit_refused;
    }
    if (password.text.empty()) {
        std::cerr << "parley passwd: empty password refused\n";
        return exit_refused;
    }
    std::cout << auth::hash_password(password.text) << "\n";
    return exit_ok;
}

}  // namespace parley::cli
