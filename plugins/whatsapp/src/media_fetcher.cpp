#include "media_fetcher.hpp"

#include "graph_error.hpp"
#include "http_client.hpp"
#include "json_fields.hpp"
#include "media_files.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>

namespace parley::whatsapp {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

StoredMedia failed(const GraphError& e) {
    auto reason = e.http_status ? "HTTP " + std::to_string(e.http_status) : std::string("no answer");
    if (e.code) reason += ", error " + std::to_string(e.code);
    return {false, retryable(e), {}, {}, {}, 0, describe(e), reason};
}

StoredMedia local_failure(const std::string& what) { return {false, true, {}, {}, {}, 0, what, what}; }

}  // namespace

StoredMedia download_media(HttpClient& http, const std::string& token, const MediaJob& job) {
    auto info = http.get(job.graph_url + "/" + job.media.id, token);
    if (info.status < 200 || info.status > 299) return failed(parse_graph_error(info.status, info.body));
    json::error_code ec;
    auto parsed = json::parse(info.body, ec);
    auto url = !ec && parsed.is_object() ? text_of(parsed.get_object(), "url") : std::string();
    if (url.empty()) return failed({info.status, 0, "the media answer has no url", {}});
    auto mime = text_of(parsed.get_object(), "mime_type");
    if (mime.empty()) mime = job.media.mime_type;

    std::error_code fs_error;
    fs::create_directories(job.media_dir, fs_error);
    if (fs_error) return local_failure("cannot create the media folder");
    auto name = new_media_name(mime);
    auto final_path = fs::path(job.media_dir) / name;
    auto part = final_path.string() + ".part";
    auto bytes = http.download(url, token, part, kMaxMediaBytes);
    if (bytes.too_large || bytes.status < 200 || bytes.status > 299) {
        fs::remove(part, fs_error);
        if (bytes.too_large) return {false, false, {}, {}, {}, 0, "it is larger than 100 MB", "too large"};
        return failed(parse_graph_error(bytes.status, bytes.body));
    }
    fs::rename(part, final_path, fs_error);
    if (fs_error) return local_failure("cannot store the media file");
    auto size = static_cast<std::int64_t>(fs::file_size(final_path, fs_error));
    return {true, false, name, std::string(kMediaRoutePrefix) + name, mime, size, {}, {}};
}

MediaFetcher::MediaFetcher(std::string access_token) : token_(std::move(access_token)) {
    thread_ = std::thread([this] { run(); });
}

MediaFetcher::~MediaFetcher() { stop(); }

void MediaFetcher::fetch(MediaJob job, Done done) {
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(std::move(job), std::move(done));
    }
    wakeup_.notify_one();
}

void MediaFetcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    queue_.clear();
}

void MediaFetcher::run() {
    HttpClient http(&stopping_);
    std::unique_lock lock(mutex_);
    while (true) {
        wakeup_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        auto [job, done] = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        auto stored = download_media(http, token_, job);
        if (!stopping_) done(std::move(stored));
        lock.lock();
    }
}

}  // namespace parley::whatsapp
