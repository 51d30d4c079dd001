#include "validation/testbed/launcher/host_probe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "validation/testbed/launcher/testbed_error.hpp"

namespace tbsim::testbed {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kGap = std::chrono::milliseconds(1);

double microseconds_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

ProbeQuantiles quantiles_of(std::vector<double> us) {
    std::sort(us.begin(), us.end());
    ProbeQuantiles q;
    if (us.empty()) return q;
    q.p50_us = us[us.size() / 2];
    q.p90_us = us[us.size() * 9 / 10];
    return q;
}

[[noreturn]] void fail(const std::string& what) { throw RunError(fmt::format("host probe: {}: {}", what, std::strerror(errno))); }

// A descriptor closed when it goes out of scope.
struct Descriptor {
    int fd = -1;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

ProbeQuantiles probe_wake_round_trip(int samples) {
    int to_echo[2], from_echo[2];
    if (::pipe(to_echo) != 0) fail("pipe");
    Descriptor ping_read{to_echo[0]}, ping_write{to_echo[1]};
    if (::pipe(from_echo) != 0) fail("pipe");
    Descriptor pong_read{from_echo[0]}, pong_write{from_echo[1]};
    // The echoing thread answers each byte and stops at end of file (its pipe's write end closed),
    // or at an error: the loop below then reads end of file and stops too.
    std::thread echo([in = ping_read.fd, out = pong_write.fd] {
        char byte = 0;
        while (::read(in, &byte, 1) == 1)
            if (::write(out, &byte, 1) != 1) break;
        ::close(out);
    });
    pong_write.fd = -1;  // the thread closes it
    std::vector<double> us;
    const char byte = 'p';
    for (int i = 0; i < samples; ++i) {
        std::this_thread::sleep_for(kGap);
        const auto start = Clock::now();
        char back = 0;
        if (::write(ping_write.fd, &byte, 1) != 1 || ::read(pong_read.fd, &back, 1) != 1) break;
        us.push_back(microseconds_since(start));
    }
    ::close(ping_write.fd);
    ping_write.fd = -1;
    echo.join();
    if (static_cast<int>(us.size()) != samples) throw RunError("host probe: the echoing thread stopped answering");
    return quantiles_of(std::move(us));
}

ProbeQuantiles probe_fdatasync(const std::string& directory, int samples) {
    const std::string path = directory + "/host-probe.log";
    Descriptor file{::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (file.fd < 0) fail("open " + path);
    char block[512];
    std::memset(block, 'l', sizeof block);
    // Written whole and synced first, as InnoDB's redo log is a file of fixed size: each flush
    // below then writes data only, no change of the file's size for the journal to commit.
    for (int i = 0; i < samples; ++i)
        if (::write(file.fd, block, sizeof block) != static_cast<ssize_t>(sizeof block)) fail("write " + path);
    if (::fsync(file.fd) != 0) fail("fsync " + path);
    std::vector<double> us;
    for (int i = 0; i < samples; ++i) {
        std::this_thread::sleep_for(kGap);
        const auto start = Clock::now();
        const auto offset = static_cast<off_t>(i) * static_cast<off_t>(sizeof block);
        if (::pwrite(file.fd, block, sizeof block, offset) != static_cast<ssize_t>(sizeof block)) fail("write " + path);
        if (::fdatasync(file.fd) != 0) fail("fdatasync " + path);
        us.push_back(microseconds_since(start));
    }
    ::unlink(path.c_str());
    return quantiles_of(std::move(us));
}

}  // namespace

HostProbe probe_host(const std::string& directory, int samples) {
    HostProbe p;
    p.samples = samples;
    p.wake_round_trip = probe_wake_round_trip(samples);
    p.fdatasync = probe_fdatasync(directory, samples);
    return p;
}

}  // namespace tbsim::testbed
