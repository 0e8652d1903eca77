// bench-mask: throughput of the masking detectors on one thread, and their precision and
// recall per entity, on a labeled chat corpus (JSONL, see tests/masking/labeled_corpus.hpp).
//
//   bench-mask [--reps N] [--json] [--errors N] [CORPUS.jsonl...]
//   bench-mask --spans FILE.jsonl [--json] [--errors N] CORPUS.jsonl
//
// Without a corpus: the committed ones (tests/masking/corpus/*.jsonl), small; the
// benchmark proper is scripts/bench-mask, which generates an 8 MiB corpus and runs the
// npm peers on it too. Throughput: every message is masked with mask_into() into one
// buffer kept across messages (detect, then write the masked text when something was
// found or the UTF-8 needs repair: what the plugin does on every surface, the view filter
// and the parley.masker service, with a buffer per thread), one message at a time, on
// this thread, N passes over the whole corpus after one warm-up pass; MB/s = bytes of
// message text (1 MB = 10^6 bytes) per second, the median pass (best pass also shown).
// detect() alone, and mask_text() (which returns a new string for every message, masked or
// not), are timed the same way. --spans scores another engine's spans (one
// {"spans": [...]} line per message, written by bench/mask/peers.mjs) with the same rule,
// without timing anything. --bound also times a pass in which the messages with a number
// of eight digits or more and nothing found (dates, order and tracking numbers, timestamps:
// the decoys) cost only a UTF-8 check: how fast any shortcut for them could make the pass.
#include "detect/detect.hpp"
#include "detect/text.hpp"
#include "labeled_corpus.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <iostream>

#ifndef PARLEY_MASK_CORPUS_DIR
#error "PARLEY_MASK_CORPUS_DIR must name tests/masking/corpus"
#endif

namespace c = parley::masking::corpus;
namespace m = parley::masking;

namespace {

volatile std::size_t g_sink;

struct Timing {
    double median_mb_s = 0, best_mb_s = 0;
};

// per_message(index, text) for every message, one pass after a warm-up one.
template <class F>
Timing time_passes(const std::vector<c::Message>& corpus, std::size_t bytes, int reps, F&& per_message) {
    using clock = std::chrono::steady_clock;
    for (std::size_t i = 0; i < corpus.size(); ++i) per_message(i, corpus[i].text);  // warm-up
    std::vector<double> mb_s;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = clock::now();
        for (std::size_t i = 0; i < corpus.size(); ++i) per_message(i, corpus[i].text);
        const double s = std::chrono::duration<double>(clock::now() - t0).count();
        mb_s.push_back(static_cast<double>(bytes) / 1e6 / s);
    }
    std::sort(mb_s.begin(), mb_s.end());
    return {mb_s[mb_s.size() / 2], mb_s.back()};
}

// Eight digits or more in one stretch of digits and single ' ', '-', '.', '(' or ')'.
bool has_long_number(const std::string& t) {
    auto digit = [&](std::size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    int digits = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (digit(i)) {
            if (++digits >= 8) return true;
        } else if (!(digits > 0 && std::strchr(" -.()", t[i]) && t[i] != '\0' && digit(i + 1))) {
            digits = 0;
        }
    }
    return false;
}

int usage() {
    std::cerr << "usage: bench-mask [--reps N] [--json] [--errors N] [--bound] [CORPUS.jsonl...]\n"
                 "       bench-mask --spans FILE.jsonl [--json] [--errors N] CORPUS.jsonl\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 10;
    bool json = false, bound = false;
    std::size_t max_errors = 0;
    std::string spans_file;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--reps" && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
        else if (a == "--json") json = true;
        else if (a == "--bound") bound = true;
        else if (a == "--errors" && i + 1 < argc) max_errors = std::strtoul(argv[++i], nullptr, 10);
        else if (a == "--spans" && i + 1 < argc) spans_file = argv[++i];
        else if (!a.empty() && a[0] == '-') return usage();
        else paths.push_back(a);
    }
    if (paths.empty()) {
        if (!spans_file.empty()) return usage();
        paths = {PARLEY_MASK_CORPUS_DIR "/handwritten.jsonl", PARLEY_MASK_CORPUS_DIR "/generated.jsonl"};
    }
    if (!spans_file.empty() && paths.size() != 1) return usage();

    try {
        std::vector<c::Message> corpus;
        for (const std::string& p : paths)
            for (c::Message& msg : c::load(p)) corpus.push_back(std::move(msg));
        std::size_t bytes = 0;
        for (const c::Message& msg : corpus) bytes += msg.text.size();

        std::vector<std::vector<c::LabeledSpan>> found;
        Timing mask_t, detect_t, copy_t, bound_t;
        std::size_t decoys = 0;
        if (spans_file.empty()) {
            std::size_t sink = 0;
            std::string masked;
            mask_t = time_passes(corpus, bytes, reps, [&](std::size_t, const std::string& t) {
                sink += m::mask_into(t, masked) ? masked.size() : t.size();
            });
            detect_t = time_passes(corpus, bytes, reps,
                                   [&](std::size_t, const std::string& t) { sink += m::detect(t).size(); });
            copy_t = time_passes(corpus, bytes, reps,
                                 [&](std::size_t, const std::string& t) { sink += m::mask_text(t).size(); });
            if (bound) {
                std::vector<char> decoy(corpus.size());
                for (std::size_t i = 0; i < corpus.size(); ++i) {
                    const std::string& t = corpus[i].text;
                    decoy[i] = has_long_number(t) && m::detect(t).empty();
                    decoys += static_cast<std::size_t>(decoy[i]);
                }
                bound_t = time_passes(corpus, bytes, reps, [&](std::size_t i, const std::string& t) {
                    if (decoy[i]) sink += parley::masking::detail::is_valid_utf8(t);
                    else sink += m::mask_into(t, masked) ? masked.size() : t.size();
                });
            }
            g_sink = sink;  // keep the work observable
            for (const c::Message& msg : corpus) {
                std::vector<c::LabeledSpan> f;
                for (const m::Span& s : m::detect(msg.text))
                    f.push_back({c::entity_index(m::entity_name(s.entity)), s.begin, s.end});
                found.push_back(std::move(f));
            }
        } else {
            for (c::Message& p : c::load(spans_file, false)) found.push_back(std::move(p.spans));
        }
        const c::Score score = c::score(corpus, found);

        if (json) {
            std::cout << "{\"engine\": \"parley\", \"messages\": " << corpus.size() << ", \"bytes\": " << bytes;
            if (spans_file.empty())
                std::cout << ", \"reps\": " << reps << ", \"mb_s\": " << mask_t.median_mb_s
                          << ", \"mb_s_best\": " << mask_t.best_mb_s << ", \"detect_mb_s\": " << detect_t.median_mb_s
                          << ", \"mask_text_mb_s\": " << copy_t.median_mb_s;
            if (bound) std::cout << ", \"decoys\": " << decoys << ", \"decoys_free_mb_s\": " << bound_t.median_mb_s;
            std::cout << ", \"accuracy\": " << c::to_json(score) << "}\n";
        } else {
            std::cout << "corpus: " << corpus.size() << " messages, " << bytes << " bytes of text\n";
            if (spans_file.empty()) {
                std::printf("mask_into: %.1f MB/s (median of %d passes; best %.1f MB/s), one thread\n",
                            mask_t.median_mb_s, reps, mask_t.best_mb_s);
                std::printf("detect:    %.1f MB/s (median; best %.1f MB/s)\n", detect_t.median_mb_s,
                            detect_t.best_mb_s);
                std::printf("mask_text: %.1f MB/s (median; best %.1f MB/s; a new string for every message)\n",
                            copy_t.median_mb_s, copy_t.best_mb_s);
                if (bound)
                    std::printf("bound:     %.1f MB/s (median) with the %zu messages with a number of eight digits or\n"
                                "           more and nothing found costing only a UTF-8 check\n",
                                bound_t.median_mb_s, decoys);
            }
            c::print_table(score);
        }
        if (max_errors) c::print_errors(score, corpus, found, max_errors, json ? stderr : stdout);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench-mask: " << e.what() << '\n';
        return 2;
    }
}
