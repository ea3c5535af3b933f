// A test hook: make one rank fail at the start of a stage, as out of memory
// or a bug would, to prove that the job then stops instead of hanging the
// other ranks in a collective (tests/cli/check_count.py, mode rank-fault).
//
// JUGGLE_INJECT_FAULT="RANK:STAGE:KIND" (e.g. "2:count:bad_alloc") makes
// rank RANK, at the start of STAGE (count, tokenize; piece: as each worker
// thread of the piece engine starts its first piece; results: with the
// results file written under its temporary name; report-read: in the
// process reading a file for `juggle report`, rank 0), throw a
// std::bad_alloc (KIND bad_alloc) or a std::runtime_error (KIND exception),
// die by SIGSEGV (KIND crash), take address space in 256 MiB blocks up to
// 64 GiB, untouched (KIND hog: throws std::bad_alloc at a limit, a
// runtime_error if there is none), or stall for up to 60 s (KIND stall,
// announced on stderr) so a test can interrupt it there. Unset, it costs
// one getenv per stage.
#pragma once

#include <string_view>

namespace juggle::parallel {

void inject_fault_if_asked(int rank, std::string_view stage);

}  // namespace juggle::parallel
