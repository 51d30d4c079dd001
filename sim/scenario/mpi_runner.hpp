// A study's runs spread over the ranks of an MPI job (`mpirun -n K tbsim sweep SWEEP.yaml`), with
// dynamic scheduling: rank 0 holds the schedule and the store; every rank, rank 0 included, runs
// `jobs` worker threads, and a worker that finishes a run sends its result and gets the next task.
// Only rank 0 writes: the result files are those of one process. Built only where CMake found MPI
// (TBSIM_WITH_MPI); elsewhere mpi_available() is false and a sweep under mpirun says so.
#pragma once

#include <memory>

#include "sim/scenario/study_runner.hpp"

namespace tbsim::sim {

/// Whether this build has MPI.
bool mpi_available();

/// Whether this process was started by an MPI launcher with more than one rank (from the
/// environment: OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_SIZE...).
bool launched_by_mpirun();

/// MPI initialised for the life of the object (MPI_Init_thread, serialized threads), finalised after.
class MpiSession {
public:
    MpiSession();
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    int rank_ = 0;
    int size_ = 1;
};

/// Runs the study over every rank. On rank 0, the runs (and failures); elsewhere, nothing. The
/// store and the progress counters are used on rank 0 only.
RunReport run_study_mpi(const Study& study, const RunOptions& options, const MpiSession& session);

}  // namespace tbsim::sim
