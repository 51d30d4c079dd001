#include "sim/output/figure_json.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tbsim::sim {
namespace {

// The JSON slot for `key` below `root`, created on the way ("a.b[2].c").
Json& slot(Json& root, const std::string& key) {
    Json* node = &root;
    std::size_t start = 0;
    while (start <= key.size()) {
        std::size_t end = key.find('.', start);
        if (end == std::string::npos) end = key.size();
        std::string_view part(key.data() + start, end - start);
        const auto bracket = part.find('[');
        if (bracket == std::string_view::npos) {
            node = &(*node)[std::string(part)];
        } else {
            Json& array = (*node)[std::string(part.substr(0, bracket))];
            if (!array.is_array()) array = Json::array();
            const auto index = static_cast<std::size_t>(std::stoul(std::string(part.substr(bracket + 1))));
            while (array.size() <= index) array.push_back(nullptr);
            node = &array[index];
        }
        start = end + 1;
    }
    return *node;
}

void flatten(const Json& j, const std::string& key, FigureRecord& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) flatten(v, key.empty() ? k : key + "." + k, out);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], fmt::format("{}[{}]", key, i), out);
    } else if (j.is_boolean()) {
        out.add(key, j.get<bool>());
    } else if (j.is_number()) {
        out.add(key, j.get<double>());
    } else if (j.is_string()) {
        out.add(key, j.get<std::string>());
    } else {
        out.add(key, FigureValue());
    }
}

}  // namespace

Json number_to_json(double value) {
    if (!std::isfinite(value)) return nullptr;
    if (value == std::floor(value) && std::abs(value) < 9.0e15) return static_cast<std::int64_t>(value);
    return value;
}

void add_figures_to_json(const FigureRecord& record, Json& target) {
    for (const auto& [key, value] : record.entries()) {
        Json& s = slot(target, key);
        if (const auto* d = std::get_if<double>(&value)) s = number_to_json(*d);
        else if (const auto* b = std::get_if<bool>(&value)) s = *b;
        else if (const auto* t = std::get_if<std::string>(&value)) s = *t;
        else s = nullptr;
    }
}

Json figures_to_json(const FigureRecord& record) {
    Json j = Json::object();
    add_figures_to_json(record, j);
    return j;
}

FigureRecord figures_from_json(const Json& json) {
    FigureRecord out;
    flatten(json, "", out);
    return out;
}

}  // namespace tbsim::sim
