// The real-testbed tests need root and MariaDB (CI has both: the README's test command installs
// mariadb-server). Elsewhere they report "skipped" to CTest (exit code 77) and say why, rather than
// pass without having run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const char* missing_prerequisite() {
    if (geteuid() != 0) return "not root";
    if (std::system("command -v mariadbd > /dev/null 2>&1") != 0) return "mariadb-server is not installed";
    const std::string launcher = std::string(TBSIM_BINARY_DIR) + "/validation/testbed/tbsim-testbed";
    if (access(launcher.c_str(), X_OK) != 0) return "tbsim-testbed was not built (libmariadb-dev missing)";
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const bool listing = context.shouldExit() || [&] {
        for (int k = 1; k < argc; ++k)
            if (std::string(argv[k]).starts_with("--list-test-cases")) return true;
        return false;
    }();
    if (!listing) {
        if (const char* reason = missing_prerequisite()) {
            std::fprintf(stderr, "real-testbed tests skipped: %s\n", reason);
            return 77;
        }
    }
    return context.run();
}
