#include "validation/validate/validation_plan.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "sim/core/units.hpp"
#include "validation/readers/openstack_capture.hpp"
#include "validation/readers/testbed_trace.hpp"

namespace tbsim::validation {

namespace fs = std::filesystem;

const std::vector<std::pair<std::string, std::string>>& known_testbed_metrics() {
    static const std::vector<std::pair<std::string, std::string>> metrics = [] {
        std::vector<std::pair<std::string, std::string>> m = {
            {"main_loop_s", "the slowest instance's main-loop span (s)"},
            {"slowdown", "main loop / (K/D)"},
            {"bytes_sent", "bytes sent per node (Ethernet frames at the veth)"},
            {"cpu_s", "CPU per container (s)"},
            {"limit_rate", "D*, the lowest rate with slowdown above 1.05, per ladder (N, AG) (1/min)"},
        };
        for (const auto kind : models::mysqlrep::kBenchmarkOps) {
            const std::string op(models::mysqlrep::op_name(kind));
            for (const char* q : {"p50_ms", "p95_ms", "p99_ms", "mean_ms"})
                m.emplace_back(fmt::format("{}.{}", op, q), fmt::format("{} latency, {} (ms)", op, q));
            m.emplace_back(fmt::format("{}.ks", op), fmt::format("{} latency, Kolmogorov-Smirnov distance (absolute tolerance)", op));
        }
        return m;
    }();
    return metrics;
}

const std::vector<std::pair<std::string, std::string>>& known_openstack_metrics() {
    static const std::vector<std::pair<std::string, std::string>> metrics = [] {
        std::vector<std::pair<std::string, std::string>> m;
        for (const char* figure : {"mean", "p95", "peak"}) {
            m.emplace_back(fmt::format("total.{}_kbps", figure), fmt::format("the controller's WAN, both directions, {} of 1 s bins (kb/s)", figure));
            for (const char* protocol : {"amqp", "http"})
                for (const char* direction : {"to_controller", "to_compute"})
                    m.emplace_back(fmt::format("{}.{}.{}_kbps", protocol, direction, figure),
                                   fmt::format("{} {}, {} of 1 s bins (kb/s)", protocol, direction, figure));
        }
        m.emplace_back("period.acf_10s", "autocorrelation of the total series at 10 s (the reports' period; absolute tolerance)");
        m.emplace_back("period.acf_60s", "autocorrelation of the total series at 60 s (the periodic tasks'; absolute tolerance)");
        m.emplace_back("run_s", "boot-and-delete: the run's duration, first create to last delete (s)");
        m.emplace_back("create_s", "workloads: mean create duration, request to active (s)");
        m.emplace_back("delete_s", "workloads: mean delete duration (s)");
        return m;
    }();
    return metrics;
}

bool ks_metric(const std::string& metric) { return metric.size() > 3 && metric.compare(metric.size() - 3, 3, ".ks") == 0; }

bool absolute_metric(const std::string& metric) { return ks_metric(metric) || metric.rfind("period.", 0) == 0; }

namespace {

std::string read_whole(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw sim::ConfigError(fmt::format("{}: no such validation file", path));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> trace_list(const sim::ConfigNode& node, const fs::path& base, ValidationKind kind) {
    std::vector<std::string> out;
    for (const auto& item : node.items()) {
        const auto path = (base / item.text()).lexically_normal().string();
        if (kind == ValidationKind::testbed && !is_testbed_trace(path))
            item.fail(fmt::format("\"{}\": no testbed trace there (a folder with meta.json)", item.text()));
        if (kind == ValidationKind::openstack && !is_openstack_capture(path))
            item.fail(fmt::format("\"{}\": no OpenStack capture there (a folder with its meta.json)", item.text()));
        if (std::find(out.begin(), out.end(), path) != out.end()) item.fail(fmt::format("\"{}\" is listed twice", item.text()));
        out.push_back(path);
    }
    if (out.empty()) node.fail("lists no trace");
    return out;
}

}  // namespace

ValidationPlan read_validation_plan(const std::string& path) { return parse_validation_plan(read_whole(path), path); }

ValidationPlan parse_validation_plan(std::string text, const std::string& path) {
    ValidationPlan plan;
    plan.source = path;
    plan.text = std::move(text);
    const auto doc = sim::ConfigDocument::from_text(plan.text, path);
    const auto root = doc->root();
    const auto base = fs::path(path).parent_path();
    plan.name = root.required("name").text();
    if (const auto d = root.child("description")) plan.description = d->text();
    const auto kind = root.required("kind");
    if (kind.text() == "testbed") plan.kind = ValidationKind::testbed;
    else if (kind.text() == "openstack") plan.kind = ValidationKind::openstack;
    else kind.fail(fmt::format("\"{}\": expected testbed (MySQL replication traces) or openstack (control plane captures)", kind.text()));
    if (const auto j = root.child("judge")) {
        if (j->text() == "mean") plan.judge = Judge::mean;
        else if (j->text() == "every") plan.judge = Judge::every;
        else j->fail("expected mean (the mean error over the held-out traces) or every (each trace's error)");
    }
    const auto profile = root.required("profile");
    plan.profile = profile.text();
    if (plan.kind == ValidationKind::openstack || plan.profile != "testbed") {
        plan.profile = (base / plan.profile).lexically_normal().string();
        if (!sim::input_path_exists(plan.profile)) profile.fail(fmt::format("\"{}\": no such profile file", profile.text()));
    }
    if (plan.kind == ValidationKind::openstack) {
        const auto scenarios = root.required("scenarios");
        auto scenario = [&](const char* key, std::string& out) {
            if (const auto n = scenarios.child(key)) {
                out = (base / n->text()).lexically_normal().string();
                if (!sim::input_path_exists(out)) n->fail(fmt::format("\"{}\": no such scenario file", n->text()));
            }
        };
        scenario("idle", plan.scenarios.idle);
        scenario("create-delete", plan.scenarios.create_delete);
        scenario("boot-and-delete", plan.scenarios.boot_and_delete);
    }
    const auto fit = root.required("fit");
    for (const auto& k : fit.items(true)) {
        if (std::find(plan.fit.begin(), plan.fit.end(), k.text()) != plan.fit.end())
            k.fail("named twice: a key is one parameter of the fit");
        plan.fit.push_back(k.text());
    }
    if (plan.fit.empty()) fit.fail("names no parameter");
    if (const auto b = root.child("bounds")) {
        for (const auto& key : b->keys()) {
            if (std::find(plan.fit.begin(), plan.fit.end(), key) == plan.fit.end())
                b->required(key).fail("bounds a key that `fit` does not name");
            plan.bounds[key] = b->required(key).text();
        }
    }
    plan.training = trace_list(root.required("training"), base, plan.kind);
    plan.held_out = trace_list(root.required("held_out"), base, plan.kind);
    for (const auto& h : plan.held_out)
        if (std::find(plan.training.begin(), plan.training.end(), h) != plan.training.end())
            root.required("held_out").fail(fmt::format("{} is also a training trace", fs::path(h).filename().string()));
    const auto metrics = root.required("metrics");
    if (!metrics.is_map()) metrics.fail("expected a map of metric: tolerance");
    const auto& known = plan.kind == ValidationKind::testbed ? known_testbed_metrics() : known_openstack_metrics();
    for (const auto& name : metrics.keys()) {
        const auto node = metrics.required(name);
        const bool exists = std::any_of(known.begin(), known.end(), [&](const auto& k) { return k.first == name; });
        if (!exists) {
            std::string names;
            for (const auto& k : known) names += (names.empty() ? "" : ", ") + k.first;
            node.fail(fmt::format("unknown metric; known: {}", names));
        }
        MetricTolerance m;
        m.metric = name;
        m.written = node.text();
        m.relative = !absolute_metric(name);
        if (m.relative) {
            // A relative error may exceed 100% (a limit rate off by a factor of two is +100%).
            const auto f = sim::parse_fraction(m.written);
            if (!f) node.fail(fmt::format("expected a relative error such as \"25%\", got \"{}\"", m.written));
            m.tolerance = f->value;
        } else {
            m.tolerance = node.number();
        }
        if (!(m.tolerance > 0.0)) node.fail("a tolerance must be positive");
        if (!m.relative && m.tolerance > 2.0) node.fail("an absolute tolerance of a KS distance or an autocorrelation is at most 2");
        plan.metrics.push_back(m);
    }
    if (plan.metrics.empty()) metrics.fail("names no metric");
    if (const auto r = root.child("replay")) {
        if (const auto m = r->child("mode")) {
            if (m->text() == "model") plan.replay.mode = ReplayMode::model;
            else if (m->text() == "driven") plan.replay.mode = ReplayMode::driven;
            else m->fail("expected model or driven");
        }
        if (const auto n = r->child("replications")) {
            plan.replay.replications = n->integer();
            if (plan.replay.replications < 1) n->fail("at least 1");
        }
        if (const auto s = r->child("seed")) plan.replay.seed = static_cast<std::uint64_t>(s->integer());
    }
    if (const auto n = root.child("fit_replications")) {
        plan.fit_replications = n->integer();
        if (*plan.fit_replications < 1) n->fail("at least 1");
    }
    if (const auto e = root.child("max_evaluations")) {
        plan.max_evaluations = static_cast<int>(e->integer());
        if (plan.max_evaluations < 2 * static_cast<int>(plan.fit.size()) + 2)
            e->fail(fmt::format("at least {} for {} parameter(s)", 2 * plan.fit.size() + 2, plan.fit.size()));
    }
    if (const auto n = root.child("starts")) {
        const std::int64_t starts = n->integer();
        if (starts < 1 || starts > 100) n->fail("expected 1 to 100 local searches");
        plan.starts = static_cast<int>(starts);
    }
    if (const auto n = root.child("start_spread")) {
        plan.start_spread = n->number();
        if (!valid_start_spread(plan.start_spread))
            n->fail("expected a factor above 1 (the other starts within it of the profile's values), or 0 for the whole bounds");
    }
    if (const auto n = root.child("other_draws")) {
        const std::int64_t draws = n->integer();
        if (draws < 0 || draws > 100) n->fail("expected 0 to 100 other draws (0: no replays with other seeds)");
        plan.other_draws = static_cast<int>(draws);
    }
    if (const auto n = root.child("robust_scale")) {
        plan.robust_scale = n->number();
        if (!(plan.robust_scale >= 0.0 && plan.robust_scale <= 10.0))
            n->fail("expected 0 (least squares) or a soft L1 loss's scale up to 10, in the residuals' units");
    }
    doc->check_unknown_keys();
    return plan;
}

}  // namespace tbsim::validation
