// tbsim-testbed-delay: a constant one-way network delay without netem (this kernel has none). Run
// inside a node's network namespace, it takes the packets that iptables sends to an NFQUEUE on the
// INPUT chain (what the node receives), holds each for the delay, and lets it through in arrival
// order. Holding on INPUT rather than OUTPUT keeps TCP's own pacing intact (on OUTPUT the held
// packets count against the sender's socket and TCP throughput collapses).
#include <arpa/inet.h>
#include <poll.h>
#include <time.h>
// After the libc network headers, which the kernel's netfilter headers would otherwise clash with.
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void stop_on_signal(int) { g_stop = 1; }

std::int64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct HeldPacket {
    std::int64_t release_ns;
    std::uint32_t id;
};

struct Delayer {
    std::int64_t delay_ns = 0;
    std::deque<HeldPacket> held;  // a constant delay keeps arrival order: a FIFO is a timer queue
};

int on_packet(nfq_q_handle*, nfgenmsg*, nfq_data* packet, void* data) {
    auto* delayer = static_cast<Delayer*>(data);
    const nfqnl_msg_packet_hdr* header = nfq_get_msg_packet_hdr(packet);
    if (header) delayer->held.push_back({now_ns() + delayer->delay_ns, ntohl(header->packet_id)});
    return 0;
}

int usage() {
    std::fprintf(stderr, "usage: tbsim-testbed-delay QUEUE_NUMBER DELAY_US\n"
                         "Holds every packet of NFQUEUE QUEUE_NUMBER for DELAY_US microseconds; stops on SIGTERM.\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return usage();
    char* end = nullptr;
    const long queue = std::strtol(argv[1], &end, 10);
    if (*end || queue < 0 || queue > 65535) return usage();
    const double delay_us = std::strtod(argv[2], &end);
    if (*end || !(delay_us >= 0) || delay_us > 10e6) return usage();

    std::signal(SIGTERM, stop_on_signal);
    std::signal(SIGINT, stop_on_signal);
    Delayer delayer;
    delayer.delay_ns = static_cast<std::int64_t>(delay_us * 1e3);

    nfq_handle* handle = nfq_open();
    if (!handle) {
        std::perror("nfq_open");
        return 1;
    }
    nfq_q_handle* q = nfq_create_queue(handle, static_cast<std::uint16_t>(queue), &on_packet, &delayer);
    if (!q || nfq_set_mode(q, NFQNL_COPY_META, 0) < 0) {
        std::perror("nfq_create_queue");
        nfq_close(handle);
        return 1;
    }
    nfq_set_queue_maxlen(q, 100000);
    nfq_set_queue_flags(q, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);  // overflow: pass, not drop
    const int fd = nfq_fd(handle);
    std::fprintf(stderr, "tbsim-testbed-delay: holding queue %ld for %.0f us\n", queue, delay_us);

    alignas(16) char buffer[65536];
    while (!g_stop) {
        // ppoll: a nanosecond timeout (poll's milliseconds would add up to 1 ms to every packet).
        timespec timeout{};
        timespec* timeout_ptr = nullptr;
        if (!delayer.held.empty()) {
            const std::int64_t wait = std::max<std::int64_t>(0, delayer.held.front().release_ns - now_ns());
            timeout = {static_cast<time_t>(wait / 1'000'000'000), static_cast<long>(wait % 1'000'000'000)};
            timeout_ptr = &timeout;
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ppoll(&p, 1, timeout_ptr, nullptr);
        if (ready < 0 && errno != EINTR) break;
        if (ready > 0) {
            const auto got = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (got > 0) nfq_handle_packet(handle, buffer, static_cast<int>(got));
        }
        const std::int64_t now = now_ns();
        while (!delayer.held.empty() && delayer.held.front().release_ns <= now) {
            nfq_set_verdict(q, delayer.held.front().id, NF_ACCEPT, 0, nullptr);
            delayer.held.pop_front();
        }
    }
    for (const auto& h : delayer.held) nfq_set_verdict(q, h.id, NF_ACCEPT, 0, nullptr);
    nfq_destroy_queue(q);
    nfq_close(handle);
    return 0;
}
