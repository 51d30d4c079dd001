#include "validation/testbed/launcher/interrupt_flag.hpp"

#include "validation/testbed/launcher/testbed_error.hpp"

#include <csignal>

namespace tbsim::testbed {
namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void remember_signal(int signal) {
    if (g_signal == 0) g_signal = signal;
}

}  // namespace

void catch_interrupts() {
    struct sigaction action {};
    action.sa_handler = remember_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
}

int pending_interrupt() { return static_cast<int>(g_signal); }

void throw_if_interrupted() {
    if (const int s = pending_interrupt()) throw Interrupted(s);
}

}  // namespace tbsim::testbed
