#include "sim/stats/confidence.hpp"

#include <array>
#include <cmath>

#include "sim/core/check.hpp"
#include "sim/stats/tally.hpp"

namespace tbsim::sim {

double student_t_975(std::size_t dof) {
    TBSIM_CHECK(dof >= 1, "Student's t needs at least one degree of freedom");
    // Exact quantiles for 1..30 degrees of freedom (standard tables, 7 significant digits).
    static constexpr std::array<double, 30> table{
        12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
        2.200985,  2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
        2.079614,  2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272};
    if (dof <= table.size()) return table[dof - 1];
    // Cornish-Fisher expansion around the normal quantile: error below 1e-6 beyond 30 dof.
    const double z = 1.959963984540054;
    const double n = static_cast<double>(dof);
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n);
}

ConfidenceInterval confidence_95(const std::vector<double>& values) {
    Tally t;
    for (const double v : values) t.add(v);
    ConfidenceInterval ci;
    ci.n = values.size();
    ci.mean = t.mean();
    if (ci.n >= 2) {
        ci.stddev = t.stddev();
        ci.half_width = student_t_975(ci.n - 1) * ci.stddev / std::sqrt(static_cast<double>(ci.n));
    }
    return ci;
}

}  // namespace tbsim::sim
