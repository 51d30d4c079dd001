// The reference in docs/ is generated from the declarations the code reads and reports with: every
// block between `<!-- generated: tbsim ARGS -->` and `<!-- end generated -->` must be what
// `tbsim ARGS` prints now (scripts/update-docs rewrites them).
#include <doctest/doctest.h>

#include <sstream>

#include "tests/support/cli_support.hpp"

TEST_CASE("the parameter and figure tables of docs/ are those the code declares") {
    int blocks = 0;
    for (const char* doc : {"docs/scenarios.md", "docs/outputs.md"}) {
        std::istringstream in(read_file(std::string(TBSIM_SOURCE_DIR) + "/" + doc));
        const std::string start = "<!-- generated: tbsim ", end = "<!-- end generated -->";
        std::string line, args, block;
        bool inside = false;
        while (std::getline(in, line)) {
            if (line.rfind(start, 0) == 0) {
                args = line.substr(start.size(), line.size() - start.size() - 4);
                block.clear();
                inside = true;
            } else if (line == end && inside) {
                inside = false;
                ++blocks;
                const auto r = run_tbsim(args);
                INFO(doc << ": `tbsim " << args << "` now prints something else: run scripts/update-docs");
                CHECK(r.exit_code == 0);
                CHECK(r.out == block);
            } else if (inside) {
                block += line + "\n";
            }
        }
        CHECK_FALSE(inside);
    }
    CHECK(blocks == 7);  // every scenario, three models' keys, three models' figures
}
