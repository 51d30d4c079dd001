// The disk's flush queue (sim/resources/fifo_device.hpp): requests in order of arrival, on one
// channel or several.
#include <doctest/doctest.h>

#include "sim/resources/fifo_device.hpp"

using tbsim::sim::FifoDevice;
using tbsim::sim::Time;

TEST_CASE("a one-channel device completes each request after the one before it") {
    FifoDevice disk;
    // Three flushes of 2 ms arriving at 0, 1 and 10 ms: the second waits 1 ms, the third none.
    CHECK(disk.serve(Time::from_ms(0), Time::from_ms(2)) == Time::from_ms(2));
    CHECK(disk.serve(Time::from_ms(1), Time::from_ms(2)) == Time::from_ms(4));
    CHECK(disk.serve(Time::from_ms(10), Time::from_ms(2)) == Time::from_ms(12));
    CHECK(disk.busy_time() == Time::from_ms(6));
}

TEST_CASE("a device with several channels serves that many requests at once, the next on the first channel free") {
    FifoDevice disk(2);
    CHECK(disk.channels() == 2);
    // A 5 ms stall at 0 holds one channel; a 1 ms flush at 1 ms runs on the other, not behind it.
    CHECK(disk.serve(Time::from_ms(0), Time::from_ms(5)) == Time::from_ms(5));
    CHECK(disk.serve(Time::from_ms(1), Time::from_ms(1)) == Time::from_ms(2));
    // Both busy at 1.5 ms: the next starts when the second channel frees (2 ms).
    CHECK(disk.serve(Time::from_us(1500), Time::from_ms(1)) == Time::from_ms(3));
    // Then at 3 ms the first channel to free is the second again (3 ms, before the stall's 5 ms).
    CHECK(disk.serve(Time::from_ms(3), Time::from_ms(1)) == Time::from_ms(4));
    CHECK(disk.busy_time() == Time::from_ms(8));
    // Zero channels are read as one.
    CHECK(FifoDevice(0).channels() == 1);
}
