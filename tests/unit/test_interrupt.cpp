#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "files/interrupt.hpp"

using juggle::files::registered_temporaries;
using juggle::files::RemoveOnInterrupt;

TEST_CASE("temporaries are registered while their guard lives", "[files][interrupt]") {
  const int before = registered_temporaries();
  {
    RemoveOnInterrupt a("/tmp/juggle-test-a.partial");
    RemoveOnInterrupt b(AT_FDCWD, "juggle-test-b.partial");
    CHECK(registered_temporaries() == before + 2);
    RemoveOnInterrupt moved(std::move(a));  // the slot moves with it, once
    CHECK(registered_temporaries() == before + 2);
    b.release();
    CHECK(registered_temporaries() == before + 1);
    b.release();  // twice is harmless
    CHECK(registered_temporaries() == before + 1);
  }
  CHECK(registered_temporaries() == before);
  RemoveOnInterrupt empty("");  // nothing to remove: not registered
  RemoveOnInterrupt too_long(std::string(5000, 'x'));
  CHECK(registered_temporaries() == before);
}

// Property: a rank that stops the job removes the temporaries it registered
// (the launcher may kill the rank that made them before its handler runs).
TEST_CASE("registered temporaries are removed on demand, once", "[files][interrupt]") {
  const std::string made = "/tmp/juggle-test-remove-" + std::to_string(::getpid()) + ".partial";
  const std::string gone = made + ".never-made";
  { std::ofstream(made) << "partial"; }
  RemoveOnInterrupt a(made), b(gone);
  CHECK(juggle::files::remove_registered_temporaries() == 1);  // the one that existed
  CHECK(!std::filesystem::exists(made));
  CHECK(registered_temporaries() >= 2);  // still registered: removing twice is harmless
  CHECK(juggle::files::remove_registered_temporaries() == 0);
}
