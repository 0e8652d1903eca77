// A `parley serve` of the bench's own: a generated config in a fresh temporary folder
// (store, media and the server's stderr live there), started with extra environment
// variables, stopped with SIGTERM when the object goes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bench {

class ParleyProcess {
public:
    // Writes `config` to <folder>/parley.toml (the text "{dir}" replaced by the folder),
    // starts `parley serve --config` on it and waits (30 s at most) for the line that
    // names its port. Throws with the server's stderr when it does not start.
    ParleyProcess(const std::string& parley, const std::string& config,
                  const std::vector<std::pair<std::string, std::string>>& env);
    ~ParleyProcess();
    ParleyProcess(const ParleyProcess&) = delete;
    ParleyProcess& operator=(const ParleyProcess&) = delete;

    std::uint16_t port() const { return port_; }
    const std::string& folder() const { return folder_; }
    std::string stderr_text() const;
    // CPU time (user + system) the server has used so far, in seconds.
    double cpu_seconds() const;

private:
    void spawn(const std::string& parley, const std::vector<std::pair<std::string, std::string>>& env);
    void wait_for_port();

    std::string folder_;
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::uint16_t port_ = 0;
};

// CPU time (user + system) this process has used so far, in seconds.
double own_cpu_seconds();

// The parley binary: `argument` when given, else ../bin/parley next to this executable.
std::string find_parley(const std::string& argument);

}  // namespace bench
