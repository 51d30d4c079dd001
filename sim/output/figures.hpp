// Typed figures, declared once (OMNeT++'s @statistic, CloudSim Plus's table columns).
//
// A model returns its figures as a plain struct. Next to it, one function declares every figure
// once, with its name, unit and meaning:
//
//   struct RateFigures { double bytes = 0, mean_kbps = 0; };
//   template <FiguresOf<RateFigures> F, class V> void visit_figures(F& f, V& v) {   // F: RateFigures, const or not
//       v.number("bytes", f.bytes, "B", "wire bytes in [0, duration)");
//       v.number("mean_kbps", f.mean_kbps, "kb/s", "bytes x 8 / duration / 1000");
//   }
//
// Nested figures are groups (`v.group("by_protocol", f.by_protocol)`), present-or-absent groups are
// std::optional, figures per named thing (a link, a tag) are `v.each(...)` over (name, struct) pairs.
// That one declaration drives everything else: the record a run hands to the engine (key paths
// such as "by_protocol.rabbitmq.mean_kbps" with their values, pooled across replications and
// named by sweeps and searches), the typed struct back from a pooled record (for a model's readable
// account), the JSON and CSV written at the output edge, and the figure reference in docs/outputs.md.
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tbsim::sim {

/// F is the figures struct S, const or not: what a visit_figures declaration accepts.
template <class F, class S>
concept FiguresOf = std::same_as<std::remove_const_t<F>, S>;

/// A figure's value: a number, a flag, a text, or nothing (a figure that does not apply, JSON null).
using FigureValue = std::variant<std::monostate, double, bool, std::string>;

/// The figures of one run, or of pooled runs: (key path, value) in declaration order.
class FigureRecord {
public:
    void add(std::string key, FigureValue value) { entries_.emplace_back(std::move(key), std::move(value)); }
    const std::vector<std::pair<std::string, FigureValue>>& entries() const { return entries_; }
    bool empty() const { return entries_.empty(); }
    /// The value at `key`, or nullptr.
    const FigureValue* find(std::string_view key) const;
    /// The number at `key`, or nothing if absent or not a number.
    std::optional<double> number(std::string_view key) const;

private:
    std::vector<std::pair<std::string, FigureValue>> entries_;
};

/// One declared figure, for the reference and for checking that a name a user gives exists.
struct FigureDoc {
    std::string key;  // path with placeholders for named things: "links.<link>.forward.total.mean_kbps"
    std::string unit;
    std::string meaning;
};

/// Whether `key` names a declared figure (placeholders such as <link> match any name).
bool is_declared_figure(const std::vector<FigureDoc>& declared, std::string_view key);

namespace figure_detail {

// A key path being walked: "by_protocol.rabbitmq." while inside those groups.
class Path {
public:
    std::string key(std::string_view name) const { return prefix_ + std::string(name); }
    void push(std::string_view name) {
        marks_.push_back(prefix_.size());
        prefix_ += name;
        prefix_ += '.';
    }
    void pop() {
        prefix_.resize(marks_.back());
        marks_.pop_back();
    }
    const std::string& prefix() const { return prefix_; }

private:
    std::string prefix_;
    std::vector<std::size_t> marks_;
};

}  // namespace figure_detail

/// Writes a figures struct into a record.
class FigureRecorder {
public:
    explicit FigureRecorder(FigureRecord& out) : out_(out) {}
    void number(std::string_view name, double value, const char*, const char*) { out_.add(path_.key(name), value); }
    void number(std::string_view name, const std::optional<double>& value, const char*, const char*) {
        out_.add(path_.key(name), value ? FigureValue(*value) : FigureValue());
    }
    void flag(std::string_view name, bool value, const char*) { out_.add(path_.key(name), value); }
    void text(std::string_view name, const std::string& value, const char*) { out_.add(path_.key(name), value); }
    void numbers(std::string_view name, const std::vector<double>& values, const char*, const char*) {
        for (std::size_t i = 0; i < values.size(); ++i) out_.add(path_.key(name) + "[" + std::to_string(i) + "]", values[i]);
    }
    template <class S>
    void group(std::string_view name, const S& figures, const char* = nullptr) {
        path_.push(name);
        visit_figures(figures, *this);
        path_.pop();
    }
    template <class S>
    void group(std::string_view name, const std::optional<S>& figures, const char* = nullptr) {
        if (figures) group(name, *figures);
    }
    template <class S>
    void each(std::string_view name, const std::vector<std::pair<std::string, S>>& items, const char*, const char* = nullptr) {
        path_.push(name);
        for (const auto& [item, figures] : items) group(item, figures);
        path_.pop();
    }

private:
    FigureRecord& out_;
    figure_detail::Path path_;
};

/// Reads a record back into a figures struct (a pooled record, for a model's readable account).
/// Absent numbers stay as they are; groups and named items are created where the record has keys.
class FigureRestorer {
public:
    explicit FigureRestorer(const FigureRecord& in) : in_(in) {}
    void number(std::string_view name, double& value, const char*, const char*);
    void number(std::string_view name, std::optional<double>& value, const char*, const char*);
    void flag(std::string_view name, bool& value, const char*);
    void text(std::string_view name, std::string& value, const char*);
    void numbers(std::string_view name, std::vector<double>& values, const char*, const char*);
    template <class S>
    void group(std::string_view name, S& figures, const char* = nullptr) {
        path_.push(name);
        visit_figures(figures, *this);
        path_.pop();
    }
    template <class S>
    void group(std::string_view name, std::optional<S>& figures, const char* = nullptr) {
        if (!has_keys_below(path_.key(name) + ".")) {
            figures.reset();
            return;
        }
        figures.emplace();
        group(name, *figures);
    }
    template <class S>
    void each(std::string_view name, std::vector<std::pair<std::string, S>>& items, const char*, const char* = nullptr) {
        path_.push(name);
        items.clear();
        for (const auto& item : names_below(path_.prefix())) {
            items.emplace_back(item, S{});
            group(item, items.back().second);
        }
        path_.pop();
    }

private:
    bool has_keys_below(const std::string& prefix) const;
    // The distinct next path segments of keys under `prefix`, in record order.
    std::vector<std::string> names_below(const std::string& prefix) const;
    const FigureRecord& in_;
    figure_detail::Path path_;
};

/// Lists the declared figures of a (prototype) struct.
class FigureDocumenter {
public:
    explicit FigureDocumenter(std::vector<FigureDoc>& out) : out_(out) {}
    template <class N>
    void number(std::string_view name, const N&, const char* unit, const char* meaning) {
        out_.push_back({path_.key(name), unit, meaning});
    }
    void flag(std::string_view name, bool, const char* meaning) { out_.push_back({path_.key(name), "boolean", meaning}); }
    void text(std::string_view name, const std::string&, const char* meaning) { out_.push_back({path_.key(name), "text", meaning}); }
    void numbers(std::string_view name, const std::vector<double>&, const char* unit, const char* meaning) {
        out_.push_back({path_.key(name) + "[]", unit, meaning});
    }
    template <class S>
    void group(std::string_view name, const S& figures, const char* meaning = nullptr) {
        if (meaning != nullptr) out_.push_back({path_.key(name) + ".*", "", meaning});
        path_.push(name);
        visit_figures(figures, *this);
        path_.pop();
    }
    template <class S>
    void group(std::string_view name, const std::optional<S>&, const char* meaning = nullptr) {
        group(name, S{}, meaning);
    }
    template <class S>
    void each(std::string_view name, const std::vector<std::pair<std::string, S>>&, const char* placeholder, const char* meaning = nullptr) {
        const std::string item = std::string("<") + placeholder + ">";
        if (meaning != nullptr) out_.push_back({path_.key(name) + "." + item + ".*", "", meaning});
        path_.push(name);
        group(item, S{});
        path_.pop();
    }

private:
    std::vector<FigureDoc>& out_;
    figure_detail::Path path_;
};

template <class F>
FigureRecord record_figures(const F& figures) {
    FigureRecord record;
    FigureRecorder recorder(record);
    visit_figures(figures, recorder);
    return record;
}

template <class F>
F restore_figures(const FigureRecord& record) {
    F figures{};
    FigureRestorer restorer(record);
    visit_figures(figures, restorer);
    return figures;
}

template <class F>
std::vector<FigureDoc> declared_figures() {
    std::vector<FigureDoc> docs;
    FigureDocumenter documenter(docs);
    const F prototype{};
    visit_figures(prototype, documenter);
    return docs;
}

/// The figures as text (key, unit, meaning) and as a Markdown table, for the reference.
std::string figures_as_text(const std::vector<FigureDoc>& figures);
std::string figures_as_markdown(const std::vector<FigureDoc>& figures);

}  // namespace tbsim::sim
