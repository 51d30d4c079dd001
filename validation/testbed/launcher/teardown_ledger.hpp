// What a testbed run has made on the machine (processes, network namespaces, links, cgroups, work
// directories), written down as it is made, so that it can all be undone in reverse order: at the
// end of the run, on failure, on Ctrl-C, and, for a launcher that was killed outright, by the next
// launcher (`tbsim-testbed cleanup`, also done at the start of every run). The ledger lives in
// /run/tbsim-testbed/<run id>.ledger, one "kind value" line per thing made.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace tbsim::testbed {

class TeardownLedger {
public:
    /// Opens the ledger of this launcher's run (the run id is derived from the launcher's PID).
    TeardownLedger();
    TeardownLedger(const TeardownLedger&) = delete;
    TeardownLedger& operator=(const TeardownLedger&) = delete;
    ~TeardownLedger();

    /// A short id, unique among live launchers, that prefixes every name the run gives.
    [[nodiscard]] const std::string& run_id() const { return run_id_; }

    void made_process(pid_t pid);                     // a process-group leader we started
    void made_namespace(const std::string& name);     // ip netns
    void made_link(const std::string& name);          // a host-side link (bridge or veth)
    void made_cgroup(const std::string& path);        // a cgroup directory
    void made_directory(const std::string& path);     // a work directory, removed with its content
    void process_ended(pid_t pid);                    // reaped: nothing left to undo for it

    /// Undoes everything, last made first; collects failures as messages instead of stopping.
    std::vector<std::string> undo_all();

    /// Undoes the ledgers of launchers that are no longer alive; returns what was removed.
    static std::vector<std::string> clean_up_abandoned_runs();

    /// The folder that holds the ledgers.
    static std::string ledger_folder();

private:
    struct Entry {
        std::string kind;
        std::string value;
    };
    void append(const std::string& kind, const std::string& value);
    void save() const;
    static std::vector<std::string> undo(std::vector<Entry> entries);

    std::string run_id_;
    std::string path_;
    std::vector<Entry> entries_;
};

}  // namespace tbsim::testbed
