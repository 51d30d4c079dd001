#include "sim/scenario/study_manifest.hpp"

#include <fmt/format.h>

#include "sim/config/config_error.hpp"

namespace tbsim::sim {

Json study_manifest(const Study& study) {
    Json j;
    j["name"] = study.name;
    j["description"] = study.description;
    j["model"] = study.model;
    j["seed"] = study.header.seed;
    j["duration_ns"] = study.header.duration.ns();
    j["replications"] = study.header.replications;
    Json axes = Json::array();
    for (const auto& a : study.sweep.axes) {
        Json values = Json::array();
        for (const auto& v : a.values) values.push_back({{"text", v.text}, {"number", v.number ? Json(*v.number) : Json(nullptr)}});
        axes.push_back({{"key", a.key}, {"column", a.column}, {"group", a.group}, {"values", values}});
    }
    j["axes"] = axes;
    Json fits = Json::array();
    for (const auto& f : study.sweep.fits) fits.push_back({{"x", f.x}, {"y", f.y}});
    j["fits"] = fits;
    j["collect"] = study.sweep.collect;
    j["precision"] = {{"relative", study.sweep.precision.relative}, {"min", study.sweep.precision.min}, {"max", study.sweep.precision.max}};
    Json points = Json::array();
    for (const auto& p : study.points) points.push_back({{"at", p.at}, {"identity", p.identity}, {"replications", p.replications}});
    j["points"] = points;
    Json figures = Json::array();
    for (const auto& f : study.figures) figures.push_back({{"key", f.key}, {"unit", f.unit}, {"meaning", f.meaning}});
    j["figures"] = figures;
    return j;
}

Study study_from_manifest(const Json& j, const std::string& source) {
    try {
        Study s;
        s.name = j.at("name").get<std::string>();
        s.description = j.at("description").get<std::string>();
        s.model = j.at("model").get<std::string>();
        s.header.name = s.name;
        s.header.model = s.model;
        s.header.seed = j.at("seed").get<std::uint64_t>();
        s.header.duration = Time::from_ns(j.at("duration_ns").get<std::int64_t>());
        s.header.replications = j.at("replications").get<std::uint64_t>();
        for (const auto& a : j.at("axes")) {
            SweepAxis axis;
            axis.key = a.at("key").get<std::string>();
            axis.column = a.at("column").get<std::string>();
            axis.group = a.at("group").get<std::size_t>();
            for (const auto& v : a.at("values"))
                axis.values.push_back({v.at("text").get<std::string>(), source,
                                       v.at("number").is_null() ? std::nullopt : std::optional<double>(v.at("number").get<double>())});
            s.sweep.axes.push_back(std::move(axis));
        }
        for (const auto& f : j.at("fits")) s.sweep.fits.push_back({f.at("x").get<std::string>(), f.at("y").get<std::string>(), source});
        s.sweep.collect = j.at("collect").get<std::vector<std::string>>();
        s.sweep.precision = {j.at("precision").at("relative").get<double>(), j.at("precision").at("min").get<std::uint64_t>(),
                             j.at("precision").at("max").get<std::uint64_t>()};
        for (const auto& p : j.at("points"))
            s.points.push_back({p.at("at").get<std::vector<std::size_t>>(), nullptr, p.at("identity").get<std::string>(),
                                p.at("replications").get<std::uint64_t>()});
        for (const auto& f : j.at("figures"))
            s.figures.push_back({f.at("key").get<std::string>(), f.at("unit").get<std::string>(), f.at("meaning").get<std::string>()});
        return s;
    } catch (const Json::exception& e) {
        throw ConfigError(fmt::format("{}: not a sweep manifest written by tbsim sweep: {}", source, e.what()));
    }
}

}  // namespace tbsim::sim
