#include "validation/replay/capture_speed_gauge.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/stats/gauge_factor.hpp"
#include "validation/replay/sample_stats.hpp"

namespace tbsim::validation {

CaptureSpeed gauge_capture_speed(const OpenStackCapture& capture, const models::openstack::SpeedGauge& gauge) {
    CaptureSpeed out;
    if (gauge.pairs.empty() || !capture.messages) return out;
    // Each compute's calls to the controller in time order.
    std::vector<const CaptureMessage*> calls;
    for (const auto& m : *capture.messages)
        if (m.direction == "to_controller") calls.push_back(&m);
    std::stable_sort(calls.begin(), calls.end(), [](const CaptureMessage* a, const CaptureMessage* b) { return a->time_s < b->time_s; });
    std::map<std::string, const CaptureMessage*> previous;
    std::vector<double> ratios;
    for (const CaptureMessage* call : calls) {
        const auto& m = *call;
        auto& last = previous[m.compute];
        if (last != nullptr) {
            const double gap = m.time_s - last->time_s;
            for (const auto& pair : gauge.pairs) {
                const double reference = pair.gap.seconds();
                if (last->name == pair.after && m.name == pair.call && gap >= 0.0 && gap < 10.0 * reference) {
                    ratios.push_back(gap / reference);
                    break;
                }
            }
        }
        last = &m;
    }
    out.samples = ratios.size();
    if (ratios.empty() || static_cast<std::int64_t>(ratios.size()) < gauge.min_samples) return out;
    std::sort(ratios.begin(), ratios.end());
    const double median = quantile(ratios, 0.5);
    out.gauged = true;
    out.gap_ratio = median;
    out.factor = sim::gauge_factor(median, 1.0 / gauge.max_ratio, gauge.max_ratio, gauge.elasticity);
    return out;
}

}  // namespace tbsim::validation
