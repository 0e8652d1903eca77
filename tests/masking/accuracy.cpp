// mask-accuracy: precision and recall of the masking detectors (or of any detector's
// spans) per entity on labeled JSONL corpora. The matching rule is in
// labeled_corpus.hpp: same entity, overlap of at least half of the labeled bytes.
//
//   mask-accuracy [options] CORPUS.jsonl...
//     --errors N             print up to N misses (FN: labeled, not found; FP: found, not
//                            labeled), each with its message and the span in [[ ]]
//     --floor E=P/R          fail (exit 1) if entity E (card, iban, ssn, email, phone,
//                            any) has precision < P or recall < R; repeatable; E=all
//                            sets every entity
//     --spans FILE.jsonl     score these detections (one {"spans": [...]} line per
//                            corpus message, in order) instead of running the detectors;
//                            only one corpus then
//     --json                 one line of JSON instead of the table
//
// Several corpora are scored together (counts added) and each on its own.
#include "detect/detect.hpp"
#include "labeled_corpus.hpp"

#include <cstdlib>
#include <iostream>
#include <map>

namespace c = parley::masking::corpus;
namespace m = parley::masking;

namespace {

std::vector<std::vector<c::LabeledSpan>> run_detectors(const std::vector<c::Message>& corpus) {
    std::vector<std::vector<c::LabeledSpan>> out;
    out.reserve(corpus.size());
    for (const c::Message& msg : corpus) {
        std::vector<c::LabeledSpan> found;
        for (const m::Span& s : m::detect(msg.text))
            found.push_back({c::entity_index(m::entity_name(s.entity)), s.begin, s.end});
        out.push_back(std::move(found));
    }
    return out;
}

void add(c::Score& a, const c::Score& b) {
    for (std::size_t e = 0; e < a.entity.size(); ++e) {
        a.entity[e].tp += b.entity[e].tp;
        a.entity[e].fp += b.entity[e].fp;
        a.entity[e].fn += b.entity[e].fn;
    }
    a.any.tp += b.any.tp;
    a.any.fp += b.any.fp;
    a.any.fn += b.any.fn;
}

int usage() {
    std::cerr << "usage: mask-accuracy [--errors N] [--floor ENTITY=P/R]... [--spans FILE] [--json] CORPUS.jsonl...\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> corpora;
    std::map<std::string, std::pair<double, double>> floors;
    std::string spans_file;
    std::size_t max_errors = 0;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--errors" && i + 1 < argc) {
            max_errors = std::strtoul(argv[++i], nullptr, 10);
        } else if (a == "--floor" && i + 1 < argc) {
            const std::string f = argv[++i];
            const auto eq = f.find('='), slash = f.find('/');
            if (eq == std::string::npos || slash == std::string::npos || slash < eq) return usage();
            const std::string e = f.substr(0, eq);
            const std::pair<double, double> pr{std::atof(f.substr(eq + 1, slash - eq - 1).c_str()),
                                               std::atof(f.substr(slash + 1).c_str())};
            if (e == "all") {
                for (const char* name : c::kEntities) floors[name] = pr;
            } else if (c::entity_index(e) != c::kOther || e == "any") {
                floors[e] = pr;
            } else {
                return usage();
            }
        } else if (a == "--spans" && i + 1 < argc) {
            spans_file = argv[++i];
        } else if (a == "--json") {
            json = true;
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else {
            corpora.push_back(a);
        }
    }
    if (corpora.empty() || (!spans_file.empty() && corpora.size() != 1)) return usage();

    try {
        c::Score total;
        for (const std::string& path : corpora) {
            const std::vector<c::Message> corpus = c::load(path);
            std::vector<std::vector<c::LabeledSpan>> found;
            if (spans_file.empty()) {
                found = run_detectors(corpus);
            } else {
                for (c::Message& p : c::load(spans_file, false)) found.push_back(std::move(p.spans));
            }
            const c::Score s = c::score(corpus, found);
            add(total, s);
            if (json) continue;
            std::cout << "== " << path << " (" << corpus.size() << " messages)\n";
            c::print_table(s);
            if (max_errors) c::print_errors(s, corpus, found, max_errors);
        }
        if (json) {
            std::cout << c::to_json(total) << '\n';
        } else if (corpora.size() > 1) {
            std::cout << "== all corpora\n";
            c::print_table(total);
        }

        bool ok = true;
        for (const auto& [name, pr] : floors) {
            const c::Counts& k = name == "any" ? total.any : total.entity[static_cast<std::size_t>(c::entity_index(name))];
            if (k.precision() < pr.first || k.recall() < pr.second) {
                std::cerr << "FAIL " << name << ": precision " << k.precision() << " (floor " << pr.first
                          << "), recall " << k.recall() << " (floor " << pr.second << ")\n";
                ok = false;
            }
        }
        if (!floors.empty() && ok) std::cerr << "all floors met\n";
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "mask-accuracy: " << e.what() << '\n';
        return 2;
    }
}
