// Ctrl-C (SIGINT), SIGTERM and SIGHUP, turned into a flag that the launcher's waits check, so that
// an interrupted run still tears down everything it made before it exits.
#pragma once

namespace tbsim::testbed {

/// Installs the handlers (without SA_RESTART, so that a blocking wait returns early).
void catch_interrupts();

/// The signal that arrived, or 0.
int pending_interrupt();

/// Throws Interrupted if a signal arrived.
void throw_if_interrupted();

}  // namespace tbsim::testbed
