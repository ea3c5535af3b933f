#include "fetch/fetcher.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <thread>

#include "fetch/transfer.hpp"

namespace juggle::fetch {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl: global init failed");
  });
}

using EasyHandle = std::unique_ptr<CURL, void (*)(CURL*)>;

EasyHandle new_easy() {
  EasyHandle easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) throw std::runtime_error("libcurl: cannot create a handle");
  return easy;
}

void sleep_until(const results::Clock& clock, double when) {
  const double wait = when - clock.now();
  if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
}

// One URL, attempts in this thread until it is done (sequential, threads).
void run_blocking(Transfer& t, CURL* easy, const results::Clock& clock, double deadline) {
  for (;;) {
    if (!t.start_attempt(easy, clock.now(), deadline)) return;
    const CURLcode code = curl_easy_perform(easy);
    if (t.finish_attempt(easy, code, clock.now(), deadline) == Transfer::Next::done) return;
    sleep_until(clock, t.retry_at());
  }
}

class Stage {
 public:
  Stage(const FetchRequest& r, OutputDir& dir, const results::Clock& clock, const OnTransferDone& on_done)
      : request_(r), clock_(clock), on_done_(on_done), deadline_(clock.now() + r.policy.deadline) {
    std::random_device seed;
    const std::uint64_t base = (static_cast<std::uint64_t>(seed()) << 32) ^ seed();
    for (std::size_t i = 0; i < r.jobs.size(); ++i)
      transfers_.push_back(std::make_unique<Transfer>(r.jobs[i], i, dir, r.policy, base + i));
  }

  std::vector<TransferRecord> records() const {
    std::vector<TransferRecord> out;
    for (const auto& t : transfers_) out.push_back(t->record());
    return out;
  }

  void sequential() {
    EasyHandle easy = new_easy();
    for (auto& t : transfers_) {
      if (!skipped(*t)) run_blocking(*t, easy.get(), clock_, deadline_);
      done(*t);
    }
  }

  void threads() {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    std::mutex error_mutex;
    std::exception_ptr error;
    const int n = std::max(1, std::min<int>(request_.concurrency, static_cast<int>(transfers_.size())));
    for (int w = 0; w < n; ++w) {
      pool.emplace_back([&, w] {
        try {
          EasyHandle easy = new_easy();
          for (std::size_t i; (i = next++) < transfers_.size();) {
            Transfer& t = *transfers_[i];
            t.set_worker(w);
            if (!skipped(t)) run_blocking(t, easy.get(), clock_, deadline_);
            done(t);
          }
        } catch (...) {
          const std::lock_guard<std::mutex> lock(error_mutex);
          if (!error) error = std::current_exception();
        }
      });
    }
    for (std::thread& th : pool) th.join();
    if (error) std::rethrow_exception(error);
  }

  void multi() {
    std::unique_ptr<CURLM, CURLMcode (*)(CURLM*)> multi(curl_multi_init(), curl_multi_cleanup);
    if (!multi) throw std::runtime_error("libcurl: cannot create a multi handle");
    std::vector<EasyHandle> handles;  // every easy handle ever made, for cleanup
    std::vector<CURL*> idle;
    std::deque<std::size_t> ready;
    for (std::size_t i = 0; i < transfers_.size(); ++i) ready.push_back(i);
    using Due = std::pair<double, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> waiting;  // retries by due time
    const std::size_t window = static_cast<std::size_t>(std::max(1, request_.concurrency));
    std::size_t active = 0;
    std::vector<bool> started(transfers_.size(), false);

    for (;;) {
      const double now = clock_.now();
      while (!waiting.empty() && waiting.top().first <= now) {
        ready.push_front(waiting.top().second);  // retries go before new URLs
        waiting.pop();
      }
      while (active < window && !ready.empty()) {
        const std::size_t i = ready.front();
        ready.pop_front();
        Transfer& t = *transfers_[i];
        if (!started[i]) {
          started[i] = true;
          if (skipped(t)) {
            done(t);
            continue;
          }
        }
        if (idle.empty()) {
          handles.push_back(new_easy());
          idle.push_back(handles.back().get());
        }
        CURL* easy = idle.back();
        idle.pop_back();
        if (!t.start_attempt(easy, clock_.now(), deadline_)) {
          idle.push_back(easy);
          done(t);
          continue;
        }
        curl_multi_add_handle(multi.get(), easy);
        ++active;
      }
      if (active == 0 && ready.empty() && waiting.empty()) break;

      int running = 0;
      curl_multi_perform(multi.get(), &running);
      bool finished_any = false;
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        const CURLcode code = msg->data.result;
        Transfer* t = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
        curl_multi_remove_handle(multi.get(), easy);
        --active;
        finished_any = true;
        idle.push_back(easy);
        if (t->finish_attempt(easy, code, clock_.now(), deadline_) == Transfer::Next::retry)
          waiting.push({t->retry_at(), t->index()});
        else
          done(*t);
      }
      // Start what is queued before waiting again, or new transfers would
      // sit out the poll timeout.
      if (finished_any) continue;
      double wait = 0.1;
      if (!waiting.empty()) wait = std::min(wait, std::max(0.0, waiting.top().first - clock_.now()));
      curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait * 1000) + 1, nullptr);
    }
  }

 private:
  bool skipped(Transfer& t) { return !request_.force && t.skip_if_complete(clock_.now()); }

  void done(const Transfer& t) {
    const std::lock_guard<std::mutex> lock(done_mutex_);
    if (on_done_) on_done_(t.record());
  }

  const FetchRequest& request_;
  const results::Clock& clock_;
  const OnTransferDone& on_done_;
  double deadline_;
  std::vector<std::unique_ptr<Transfer>> transfers_;
  std::mutex done_mutex_;
};

}  // namespace

std::vector<TransferRecord> fetch_all(const FetchRequest& request, OutputDir& dir, const results::Clock& clock,
                                      const OnTransferDone& on_done) {
  global_init();
  Stage stage(request, dir, clock, on_done);
  switch (request.mode) {
    case FetchMode::sequential: stage.sequential(); break;
    case FetchMode::threads: stage.threads(); break;
    case FetchMode::multi: stage.multi(); break;
  }
  return stage.records();
}

}  // namespace juggle::fetch
