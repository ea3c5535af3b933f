#include <catch2/catch.hpp>

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
